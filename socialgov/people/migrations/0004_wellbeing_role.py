"""The HR wellbeing role: the people who support staff reporting online abuse."""

from django.db import migrations

NAME = "HR wellbeing"


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=NAME)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0003_staff_import_applied_by")]

    operations = [migrations.RunPython(create, remove)]
