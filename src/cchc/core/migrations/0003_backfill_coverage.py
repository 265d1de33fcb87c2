"""Coverage of the data already held, derived from the data itself (cchc.core.services)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from cchc.core.services import coverage_rebuild

    coverage_rebuild(apps.get_model, origin="dẫn xuất khi nâng cấp (migration core 0003)")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_data_coverage"),
        ("dossiers", "0004_dossier_unique_plain_index"),
        ("service_index", "0001_initial"),
        ("plans", "0002_components"),
        ("surveys", "0001_initial"),
        ("evaluations", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
