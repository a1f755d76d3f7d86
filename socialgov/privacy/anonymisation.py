"""Anonymising leavers once the retention period is over.

A leaver's records stay for ``LEAVER_RETENTION_DAYS`` after their leaving
date (six years: the time within which a claim about their employment can be
brought, so HR must be able to show who was trained and who acknowledged
what). After that nothing needs to say who they were, so their personal
details are replaced with neutral values.

What stays is the *shape* of the records: the person's row (with its
department, and its leaving date, which is what the retention is counted
from), and every assignment, completion, acknowledgement, licence and quiz
attempt. Departmental compliance figures and trends over the years are
therefore unchanged by anonymisation; only the name on the rows is gone.

What goes: name, email address, employee number, job title, the
public-facing flag, start date, line manager, roles, the password, every
way to sign in (email addresses, single sign-on links, authenticators,
sessions, API tokens), reminders and the content of emails sent to them,
notification choices, the on-call phone number and calendar link, the
words and files of reports of abuse they made, and the old names and
addresses in the history of their record.
"""

from __future__ import annotations

import datetime
import logging

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from socialgov.abuse.models import AbuseReport, Evidence
from socialgov.notifications.models import Message, Notification, Preference
from socialgov.people.models import User
from socialgov.rota.models import CalendarFeed, OnCallPhone

logger = logging.getLogger(__name__)

# Each batch is one transaction: small enough to hold locks briefly, large enough to move quickly.
BATCH_SIZE = 200
ANONYMISED_EMAIL_DOMAIN = "anonymised.invalid"
REMOVED = "[Removed when the reporter's details were anonymised]"


def anonymised_values(pk: int) -> dict:
    """The neutral values a person's row (and every historical copy of it) takes; unique by id."""
    return {
        # ``.invalid`` can never be delivered to (RFC 2606), and the id keeps the address unique.
        "email": f"anonymised-{pk}@{ANONYMISED_EMAIL_DOMAIN}",
        "first_name": "Anonymised",
        "last_name": f"person {pk}",
        "employee_number": None,
        "job_title": "",
        "is_public_facing": False,
        "start_date": None,
        "line_manager": None,
        "is_staff": False,
        "is_superuser": False,
    }


def leavers_due(today: datetime.date):
    """Leavers whose retention period is over and who still carry their personal details.

    The period is counted in whole days after the leaving date: on the last day of it they are kept.
    """
    cutoff = today - datetime.timedelta(days=settings.LEAVER_RETENTION_DAYS)
    return User.objects.filter(is_active=False, leaving_date__lt=cutoff, anonymised_at__isnull=True)


def anonymise(person: User, *, now: datetime.datetime) -> bool:
    """Replace a leaver's personal details with neutral values, keeping their records; False if done already.

    Runs inside the caller's transaction (``leavers_anonymise`` opens one per batch), so a failure part way
    leaves the person as they were, to be tried again the next night.
    """
    if person.anonymised_at is not None:
        return False
    values = anonymised_values(person.pk)
    for field, value in values.items():
        setattr(person, field, value)
    person.set_unusable_password()
    person.last_login = None
    person.anonymised_at = now
    person.save(update_fields=[*values, "password", "last_login", "anonymised_at", "updated_at"])
    person.groups.clear()
    person.user_permissions.clear()
    # Every historical copy of the row, including the one the save above just wrote.
    history = {("line_manager_id" if field == "line_manager" else field): value for field, value in values.items()}
    User.history.filter(id=person.pk).update(**history)

    EmailAddress.objects.filter(user=person).delete()
    SocialAccount.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    Token.objects.filter(user=person).delete()
    # The list of signed-in devices (addresses, browsers) goes now; the sessions themselves end once this
    # commits, as they do for any leaver, so a rolled-back batch signs nobody out.
    sessions = list(UserSession.objects.filter(user=person))
    UserSession.objects.filter(user=person).delete()
    transaction.on_commit(lambda: _sessions_end(sessions))

    Notification.objects.filter(recipient=person).delete()
    Preference.objects.filter(person=person).delete()
    # The outbox keeps that an email of a kind was sent, and when; not to where, nor what it said.
    Message.objects.filter(recipient=person, status=Message.Status.PENDING).update(
        status=Message.Status.FAILED, last_error="Not sent: the recipient's details were anonymised."
    )
    Message.objects.filter(recipient=person).update(to_email="", subject="", body_text="", body_html="")
    CalendarFeed.objects.filter(person=person).delete()
    OnCallPhone.objects.filter(person=person).delete()

    _abuse_reports_scrub(person)
    return True


def _sessions_end(sessions: list[UserSession]) -> None:
    for user_session in sessions:
        user_session.end()


def _abuse_reports_scrub(person: User) -> None:
    """A report's words and files are the reporter's; the report stays, so counts by platform still add up."""
    reports = AbuseReport.objects.filter(reporter=person)
    reports.update(links="", what_happened=REMOVED, how_it_affects="", closed_note="")
    evidence = list(Evidence.objects.filter(report__in=reports))
    if not evidence:
        return
    files = [item.file for item in evidence]
    Evidence.objects.filter(pk__in=[item.pk for item in evidence]).delete()

    def remove_files():
        for file in files:
            file.delete(save=False)

    # Files go only once the rows are gone for good: a rolled-back batch keeps both.
    transaction.on_commit(remove_files)


def leavers_anonymise(today: datetime.date | None = None, *, batch_size: int = BATCH_SIZE) -> int:
    """Anonymise every leaver whose retention is over, a batch per transaction; safe to run any number of times.

    Rows are locked as they are taken (skipping rows another run holds on PostgreSQL), and each is checked
    again once locked, so two overlapping runs never anonymise a person twice.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    count = 0
    while True:
        ids = list(leavers_due(today).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        with transaction.atomic():
            people = list(leavers_due(today).filter(pk__in=ids).select_for_update(skip_locked=True).order_by("pk"))
            done = sum(anonymise(person, now=now) for person in people)
        count += done
        if not people:
            # Every remaining leaver is held by another run, which will finish them.
            break
    if count:
        logger.info("Anonymised %s leavers", count)
    return count
