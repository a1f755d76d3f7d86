"""The nightly pass (dates, leavers, the day's snapshot) and the weekly recount."""

from django.db import migrations

SCHEDULES = [
    (
        "Reports: nightly standings and snapshot",
        "reports.nightly",
        {"minute": "40", "hour": "2", "day_of_week": "*"},
        "Nightly: move standings a date has changed, drop leavers, keep the day's snapshot for the charts.",
    ),
    (
        "Reports: weekly recount",
        "reports.rebuild",
        {"minute": "30", "hour": "4", "day_of_week": "0"},
        "Sundays: recount every standing and tally from the training, policy and licence records.",
    ),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, when, description in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            **when, day_of_month="*", month_of_year="*", timezone="Europe/London"
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "description": description}
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_rollups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
