"""Leavers whose retention period is over are anonymised nightly at 02:15, after the other nightly jobs."""

from django.db import migrations

NAME = "Data protection: anonymise leavers"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "privacy.anonymise_leavers",
            "crontab": crontab,
            "description": "Nightly: replace the personal details of leavers whose retention period "
            "(LEAVER_RETENTION_DAYS after leaving) is over with neutral values, keeping their records.",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create, remove)]
