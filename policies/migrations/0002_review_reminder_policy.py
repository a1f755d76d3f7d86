"""Owners hear of a review date a month ahead, and nobody's manager is told if they are late."""

from django.db import migrations

REVIEW = "policies.review"


def create(apps, schema_editor):
    ReminderPolicy = apps.get_model("notifications", "ReminderPolicy")
    ReminderPolicy.objects.get_or_create(
        kind=REVIEW, defaults={"offsets": "30, 7, 0", "overdue_every_days": 7, "escalate_after_days": None}
    )


def remove(apps, schema_editor):
    apps.get_model("notifications", "ReminderPolicy").objects.filter(kind=REVIEW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0001_initial"),
        ("notifications", "0003_message_pending_index"),
    ]

    operations = [migrations.RunPython(create, remove)]
