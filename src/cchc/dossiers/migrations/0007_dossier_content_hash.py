"""A content hash per dossier, indexed: a monthly re-import finds its unchanged rows by it
without reading or writing them (issue 18). Existing dossiers get the hash an export of
all their columns would have (imports.backfill), a batch of 50,000 at a time."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    from cchc.dossiers.imports.backfill import backfill_content_hashes

    backfill_content_hashes(apps.get_model("dossiers", "Dossier"), schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0006_merge_fee_work_process"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="content_hash",
            field=models.BigIntegerField(
                editable=False, null=True, verbose_name="mã băm nội dung nhập"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["content_hash"], name="dossier_content_hash"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
