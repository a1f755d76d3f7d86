"""Anonymising leavers: personal details go, the records (and so every compliance figure) stay."""

import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from rest_framework.authtoken.models import Token

from policies.models import Acknowledgement
from socialgov.abuse.models import AbuseReport, Evidence
from socialgov.celery import app
from socialgov.notifications.models import Message, Notification, Preference
from socialgov.people.models import User
from socialgov.privacy.anonymisation import anonymise, leavers_anonymise
from socialgov.rota.models import CalendarFeed, OnCallPhone
from tests.factories import AcknowledgementFactory, CompletionFactory, DepartmentFactory, UserFactory
from tests.privacy.conftest import give_records
from training.models import Assignment, Completion, Licence
from training.models.quizzes import Attempt

TODAY = datetime.date(2032, 6, 15)
RETENTION = 2190
LONG_AGO = TODAY - datetime.timedelta(days=RETENTION + 1)


def leaver(**fields) -> User:
    fields.setdefault("leaving_date", LONG_AGO)
    person = UserFactory(is_active=False, **fields)
    return person


def test_a_leavers_personal_details_are_replaced_and_their_sign_in_removed(db, settings, department, manager):
    settings.LEAVER_RETENTION_DAYS = RETENTION
    person = leaver(email="fiona.former@glenmorven.gov.uk", first_name="Fiona", last_name="Former",
                    employee_number="E99999", job_title="Press officer", is_public_facing=True,
                    department=department, line_manager=manager, start_date=datetime.date(2020, 1, 6),
                    with_mfa=True)  # fmt: skip
    give_records(person)
    person.first_name = "Fi"  # one more version of the record in its history
    person.save()

    assert leavers_anonymise(TODAY) == 1

    person.refresh_from_db()
    assert person.email == f"anonymised-{person.pk}@anonymised.invalid"
    assert (person.first_name, person.last_name) == ("Anonymised", f"person {person.pk}")
    assert person.employee_number is None
    assert person.job_title == ""
    assert not person.is_public_facing
    assert person.line_manager is None
    assert person.start_date is None
    assert not person.has_usable_password()
    assert person.anonymised_at is not None
    assert person.department == department, "the department stays, for the figures"
    assert person.leaving_date == LONG_AGO, "the retention is counted from it"
    assert not person.groups.exists()
    for model, field in [(EmailAddress, "user"), (SocialAccount, "user"), (Authenticator, "user"),
                         (UserSession, "user"), (Token, "user"), (Notification, "recipient"),
                         (Preference, "person"), (CalendarFeed, "person"), (OnCallPhone, "person")]:  # fmt: skip
        assert not model.objects.filter(**{field: person}).exists(), model.__name__
    assert list(Message.objects.filter(recipient=person).values_list("to_email", "subject", "body_text")) == [
        ("", "", "")
    ]


def test_the_history_of_their_record_keeps_no_old_name_or_address(db, settings):
    settings.LEAVER_RETENTION_DAYS = RETENTION
    person = leaver(email="fiona.former@glenmorven.gov.uk", first_name="Fiona", last_name="Former",
                    employee_number="E99999", job_title="Press officer")  # fmt: skip
    person.email = "fiona.f@glenmorven.gov.uk"
    person.save()
    assert person.history.count() >= 2

    anonymise(person, now=timezone.now())

    for row in User.history.filter(id=person.pk):
        assert row.email == f"anonymised-{person.pk}@anonymised.invalid"
        assert (row.first_name, row.last_name, row.employee_number, row.job_title) == (
            "Anonymised", f"person {person.pk}", None, "")  # fmt: skip
    values = str(list(User.history.filter(id=person.pk).values()))
    for old in ("Fiona", "Former", "fiona", "E99999", "Press officer"):
        assert old not in values


def test_their_training_and_policy_records_stay(db, settings):
    settings.LEAVER_RETENTION_DAYS = RETENTION
    person = leaver()
    give_records(person, times=2)
    kept = [Assignment, Completion, Licence, Acknowledgement, Attempt, AbuseReport]
    before = {model: model.objects.filter(person=person).count() if model is not AbuseReport
              else model.objects.filter(reporter=person).count() for model in kept}  # fmt: skip
    leavers_anonymise(TODAY)
    after = {model: model.objects.filter(person=person).count() if model is not AbuseReport
             else model.objects.filter(reporter=person).count() for model in kept}  # fmt: skip
    assert after == before


def _by_department():
    completions = dict(Completion.objects.values_list("person__department__name").annotate(n=Count("pk")).order_by())
    acknowledgements = dict(
        Acknowledgement.objects.values_list("person__department__name").annotate(n=Count("pk")).order_by()
    )
    return completions, acknowledgements


def test_compliance_counts_by_department_are_unchanged(db, settings):
    settings.LEAVER_RETENTION_DAYS = RETENTION
    press, housing = DepartmentFactory(name="Press office"), DepartmentFactory(name="Housing")
    people = [leaver(department=press), leaver(department=press), leaver(department=housing),
              UserFactory(department=housing), UserFactory(department=press)]  # fmt: skip
    for number, person in enumerate(people, start=1):
        for _ in range(number):
            CompletionFactory(person=person)
        AcknowledgementFactory(person=person)
    before = _by_department()
    assert before[0] == {"Press office": 1 + 2 + 5, "Housing": 3 + 4}

    assert leavers_anonymise(TODAY) == 3

    assert _by_department() == before


def test_running_again_changes_nothing(db, settings):
    settings.LEAVER_RETENTION_DAYS = RETENTION
    person = leaver()
    assert leavers_anonymise(TODAY) == 1
    person.refresh_from_db()
    first = (person.anonymised_at, person.email, person.history.count())
    assert leavers_anonymise(TODAY) == 0
    assert anonymise(person, now=timezone.now()) is False
    person.refresh_from_db()
    assert (person.anonymised_at, person.email, person.history.count()) == first


def test_the_retention_period_is_kept_to_the_day(db, settings):
    settings.LEAVER_RETENTION_DAYS = RETENTION
    last_kept_day = leaver(leaving_date=TODAY - datetime.timedelta(days=RETENTION))
    just_over = leaver(leaving_date=TODAY - datetime.timedelta(days=RETENTION + 1))
    still_here = UserFactory(leaving_date=LONG_AGO)  # active: not a leaver yet, whatever the date says
    no_date = UserFactory(is_active=False)

    assert leavers_anonymise(TODAY) == 1

    for person in (last_kept_day, just_over, still_here, no_date):
        person.refresh_from_db()
    assert just_over.anonymised_at is not None
    assert last_kept_day.anonymised_at is None
    assert still_here.anonymised_at is None
    assert no_date.anonymised_at is None
    assert leavers_anonymise(TODAY + datetime.timedelta(days=1)) == 1, "the next day is theirs"


def test_the_retention_comes_from_the_setting(db, settings):
    settings.LEAVER_RETENTION_DAYS = 30
    person = leaver(leaving_date=TODAY - datetime.timedelta(days=31))
    assert leavers_anonymise(TODAY) == 1
    person.refresh_from_db()
    assert person.anonymised_at is not None


def test_thousands_of_leavers_are_taken_a_batch_at_a_time(db, settings, django_assert_max_num_queries):
    settings.LEAVER_RETENTION_DAYS = RETENTION
    people = [leaver() for _ in range(7)]
    assert leavers_anonymise(TODAY, batch_size=3) == 7
    assert not User.objects.filter(pk__in=[p.pk for p in people], anonymised_at__isnull=True).exists()


def test_their_reports_of_abuse_keep_no_words_or_files(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.LEAVER_RETENTION_DAYS = RETENTION
    settings.MEDIA_ROOT = tmp_path
    person = leaver()
    report = AbuseReport.objects.create(reporter=person, platform="x", what_happened="Threats after the meeting",
                                        how_it_affects="Anxious", links="https://example.com/1",
                                        is_contact_wanted=False, safety="safe")  # fmt: skip
    evidence = Evidence.objects.create(report=report, file=SimpleUploadedFile("shot.png", b"png"),
                                       original_name="shot.png", content_type="image/png", size=3,
                                       uploaded_by=person)  # fmt: skip
    path = evidence.file.path
    with django_capture_on_commit_callbacks(execute=True):
        leavers_anonymise(TODAY)
    report.refresh_from_db()
    assert "Threats" not in report.what_happened
    assert (report.links, report.how_it_affects) == ("", "")
    assert not Evidence.objects.filter(report=report).exists()
    assert not (tmp_path / path).exists()


def test_the_nightly_schedule_runs_the_task(db, settings):
    settings.LEAVER_RETENTION_DAYS = RETENTION
    schedule = PeriodicTask.objects.get(task="privacy.anonymise_leavers")
    assert schedule.enabled
    assert (schedule.crontab.minute, schedule.crontab.hour, str(schedule.crontab.timezone)) == (
        "15", "2", "Europe/London")  # fmt: skip
    person = leaver()
    app.loader.import_default_modules()  # what a worker does at start: finds every app's tasks
    task = app.tasks[schedule.task]
    assert task.delay(today=TODAY.isoformat()).get() == 1
    assert task.delay(today=TODAY.isoformat()).get() == 0
    person.refresh_from_db()
    assert person.anonymised_at is not None
