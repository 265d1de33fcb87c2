"""PostgreSQL: the dossier table partitioned by the year received (issue 18), with the
codes table that keeps (unit, code) unique across years and the events' foreign key
(cchc.dossiers.partitions). SQLite: nothing changes. The model's state is unchanged: the
parent keeps the index `dossier_unit_code_unique` on (unit_id, code), no longer unique by
itself (a partitioned table's unique index must hold the partition key); the codes table
enforces it. Holds the dossiers' ACCESS EXCLUSIVE lock while it copies the rows."""

import django.utils.timezone
from django.db import migrations, models


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
        migrations.CreateModel(
            name="ArchivedYear",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),  # fmt: skip
                ("year", models.PositiveSmallIntegerField(unique=True,
                                                          verbose_name="năm tiếp nhận")),  # fmt: skip
                ("table", models.CharField(blank=True, max_length=63, verbose_name="bảng đã tách")),
                ("file", models.CharField(blank=True, max_length=500, verbose_name="tệp lưu trữ")),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="số hồ sơ")),
                ("last_finished_on", models.DateField(blank=True, null=True,
                                                      verbose_name="ngày kết thúc muộn nhất")),  # fmt: skip
                ("archived_at", models.DateTimeField(default=django.utils.timezone.now,
                                                     verbose_name="lưu trữ lúc")),  # fmt: skip
            ],
            options={
                "verbose_name": "năm hồ sơ đã lưu trữ",
                "verbose_name_plural": "năm hồ sơ đã lưu trữ",
                "ordering": ["year"],
            },
        ),
        # Backwards: the table stays partitioned (every earlier migration works on it).
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
    ]
