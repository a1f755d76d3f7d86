"""A person with records in every app, for the subject access and anonymisation tests."""

import datetime
import itertools

from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.utils import timezone
from rest_framework.authtoken.models import Token

from incidents.models import Page
from incidents.services import incident_open
from socialgov.abuse.models import AbuseReport
from socialgov.channels.models import Absence, AccessGrant, AccessRequest, Account
from socialgov.notifications.models import Message, Notification, Preference
from socialgov.rota.models import OnCallPhone, Shift, ShiftSwap
from socialgov.rota.services import calendar_feed_renew
from tests.factories import (
    AcknowledgementFactory,
    AssignmentFactory,
    CompletionFactory,
    CourseFactory,
    LessonFactory,
    LicenceFactory,
    PublishedVersionFactory,
    UserFactory,
)
from training.models import LessonProgress, SupportAssessment
from training.models.quizzes import Attempt, Quiz

_serial = itertools.count(1)


def give_records(person, *, times: int = 1, colleague=None) -> None:
    """``times`` records of every kind the platform keeps about a person, in every app."""
    colleague = colleague or UserFactory(first_name="Colin", last_name="Colleague")
    now = timezone.now()
    for _ in range(times):
        n = next(_serial)
        course = CourseFactory()
        lesson = LessonFactory(course=course)
        AssignmentFactory(person=person, course=course, assigned_by=colleague, reason="Needs it for the role")
        CompletionFactory(person=person, course=course)
        LessonProgress.objects.create(person=person, lesson=lesson, lesson_version=1)
        SupportAssessment.objects.create(person=person, answers={"q1": 2}, score=4, level="developing")
        quiz = Quiz.objects.create(title=f"Quiz {n}", slug=f"privacy-quiz-{n}")
        Attempt.objects.create(quiz=quiz, person=person, number=1, max_score=5, score=4, is_passed=True)
        AcknowledgementFactory(version=PublishedVersionFactory(), person=person)
        Notification.objects.create(recipient=person, kind="training", key=f"privacy-{n}", title=f"Finish course {n}")
        Message.objects.create(recipient=person, to_email=person.email, kind="digest", subject=f"Your digest {n}",
                               body_text=f"Dear {person.first_name}", idempotency_key=f"privacy-{n}")  # fmt: skip
        starts = now + datetime.timedelta(days=n)
        shift = Shift.objects.create(person=person, role="primary", starts_at=starts,
                                     ends_at=starts + datetime.timedelta(hours=8), note="Cover for Colin")  # fmt: skip
        ShiftSwap.objects.create(shift=shift, from_person=person, to_person=colleague, requested_at=now)
        account = Account.objects.create(platform="x", handle=f"@Privacy{n}", credentials_location="Keeper")
        account.owners.add(person)
        request = AccessRequest.objects.create(person=person, account=account, reason="I run the events page")
        AccessGrant.objects.create(person=person, account=account, request=request, approved_by=colleague)
        Absence.objects.create(owner=person, starts_on=now.date(), ends_on=now.date(), covered_by=colleague)
        AbuseReport.objects.create(reporter=person, platform="x", what_happened="Threats after the meeting",
                                   how_it_affects="I feel anxious", links="https://example.com/post/1",
                                   is_contact_wanted=True, safety="unsure")  # fmt: skip
        incident = incident_open(opened_by=person, title=f"Account hacked {n}", severity="low")
        Page.objects.create(incident=incident, subject="incident", sequence=90 + n, recipient=person,
                            token_hash=f"{n:064d}")  # fmt: skip
        UserSession.objects.create(user=person, ip="192.0.2.1", session_key=f"privacy-session-{n}",
                                   user_agent="Firefox")  # fmt: skip
        SocialAccount.objects.create(user=person, provider="entra", uid=f"entra-{n}-{person.pk}")
    LicenceFactory(person=person)
    Preference.objects.get_or_create(person=person)
    OnCallPhone.objects.update_or_create(person=person, defaults={"number": "+447700900123"})
    calendar_feed_renew(person=person)
    Token.objects.get_or_create(user=person)
