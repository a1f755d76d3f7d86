import datetime

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from conftest import wait_for
from socialgov.celery import app
from socialgov.people.models import User
from socialgov.people.services import leavers_deactivate
from socialgov.people.tasks import deactivate_leavers
from tests.factories import PASSWORD, UserFactory

TODAY = datetime.date(2026, 11, 24)


def test_people_whose_leaving_date_has_come_are_deactivated(db):
    gone = UserFactory(leaving_date=TODAY)
    going = UserFactory(leaving_date=TODAY + datetime.timedelta(days=1))
    assert leavers_deactivate(today=TODAY) == 1
    gone.refresh_from_db()
    going.refresh_from_db()
    assert not gone.is_active
    assert going.is_active
    assert User.objects.filter(pk=gone.pk).exists(), "leavers are never deleted"
    assert leavers_deactivate(today=TODAY) == 0, "running again changes nothing"


def test_a_leavers_sessions_end_at_once(client, staff, django_capture_on_commit_callbacks):
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert UserSession.objects.filter(user=staff).count() == 1
    staff.leaving_date = timezone.localdate()
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        leavers_deactivate()
    assert not UserSession.objects.filter(user=staff).exists()
    assert not Session.objects.exists()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_nightly_schedule_is_in_the_database_and_names_a_real_task(db):
    schedule = PeriodicTask.objects.get(name="Deactivate leavers")
    assert schedule.enabled
    assert schedule.crontab.timezone.key == "Europe/London"
    assert schedule.task in app.tasks


def test_a_real_worker_deactivates_leavers(celery_worker):
    leaver = UserFactory(leaving_date=timezone.localdate() - datetime.timedelta(days=1))
    deactivate_leavers.delay()
    wait_for(lambda: not User.objects.get(pk=leaver.pk).is_active)
