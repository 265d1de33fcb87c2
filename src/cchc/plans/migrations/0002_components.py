"""The seven CCHC areas (cchc.plans.components) as rows of plans.Component."""

from django.db import migrations


def load(apps, schema_editor):
    from cchc.plans.components import ensure

    ensure(apps.get_model("plans", "Component"))


def unload(apps, schema_editor):
    from cchc.plans.components import COMPONENTS

    codes = [code for code, _, _ in COMPONENTS]
    apps.get_model("plans", "Component").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
