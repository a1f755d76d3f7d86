"""The Celery application.

Celery only moves work: anything that must happen later is a database row
first, and tasks call plain service functions. Configuration comes from
Django settings prefixed ``CELERY_``; periodic schedules live in the database
(django-celery-beat's DatabaseScheduler).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")

app = Celery("socialgov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
