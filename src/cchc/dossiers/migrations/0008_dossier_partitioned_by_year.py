"""PostgreSQL: the dossier table partitioned by the year received (issue 18), with the
codes table that keeps (unit, code) unique across years and the events' foreign key
(cchc.dossiers.partitions). SQLite: nothing changes. The model's state is unchanged: the
parent keeps the index `dossier_unit_code_unique` on (unit_id, code), no longer unique by
itself (a partitioned table's unique index must hold the partition key); the codes table
enforces it. Holds the dossiers' ACCESS EXCLUSIVE lock while it copies the rows."""

from django.db import migrations


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from cchc.dossiers.partitions import partition_table

    with schema_editor.connection.cursor() as cursor:
        partition_table(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_dossier_content_hash"),
    ]

    operations = [
        # Backwards: the table stays partitioned (every earlier migration works on it).
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
    ]
