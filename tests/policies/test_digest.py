"""Policies reach people through the reminders engine: the digest, escalation to the manager, the approver."""

import datetime

import pytest

from policies.models import Category
from policies.services import acknowledgement_record, draft_for, draft_submit
from socialgov.notifications import registry
from socialgov.notifications.delivery import messages_deliver
from socialgov.notifications.digests import digests_build
from socialgov.notifications.models import Message, Notification, ReminderPolicy
from socialgov.people.roles import Role
from tests.factories import UserFactory
from tests.notifications.conftest import TUESDAY, _working_time, at  # noqa: F401 - an autouse fixture
from tests.policies.conftest import backdate, document_draft, publish_document

pytestmark = pytest.mark.django_db


def published_policy(author, *, published_on: datetime.date, within: int = 14):
    document = publish_document(author, acknowledge_within_days=within)
    return backdate(document.current_version, published_at=at(published_on, 10))


def digest_for(person):
    return Message.objects.filter(kind=registry.DIGEST.key, recipient=person).latest("created_at")


def test_an_overdue_acknowledgement_is_in_the_digest_and_reaches_the_manager(staff, manager, comms_lead):
    staff.start_date = TUESDAY - datetime.timedelta(days=400)
    staff.save(update_fields=["start_date"])
    ReminderPolicy.objects.create(
        kind="policies.acknowledgement", offsets="0", overdue_every_days=0, escalate_after_days=3
    )
    # Due three days before Tuesday: the person's reminder and the manager's escalation are both due.
    published_policy(comms_lead, published_on=TUESDAY - datetime.timedelta(days=17))
    digests_build(now=at(TUESDAY, 9, 5))
    own = digest_for(staff)
    assert "Read and acknowledge Social media policy" in own.body_text
    assert "https://socialgov.glenmorven.gov.uk/policies/social-media-policy/" in own.body_text
    team = digest_for(manager)
    assert "YOUR TEAM" in team.body_text
    assert f"{staff.get_full_name()}: Read and acknowledge Social media policy" in team.body_text


def test_nobody_is_reminded_once_they_have_acknowledged(staff, comms_lead):
    ReminderPolicy.objects.create(kind="policies.acknowledgement", offsets="0", overdue_every_days=1)
    version = published_policy(comms_lead, published_on=TUESDAY - datetime.timedelta(days=20))
    acknowledgement_record(version=version, person=staff)
    digests_build(now=at(TUESDAY, 9, 5))
    assert not Message.objects.filter(recipient=staff).exists()


def test_the_approver_is_told_once_in_app_and_by_email(comms_lead, mailoutbox, django_capture_on_commit_callbacks):
    approver = UserFactory(roles=[Role.COMMS_LEAD], email="aileen.approver@glenmorven.gov.uk", first_name="Aileen")
    document = document_draft(comms_lead, title="Personal accounts", category=Category.POLICY)
    with django_capture_on_commit_callbacks(execute=True):
        draft_submit(version=draft_for(document), actor=comms_lead, approver=approver)
    notification = Notification.objects.get(recipient=approver)
    assert notification.title == "Approve Personal accounts"
    assert notification.url == "/policies/personal-accounts/draft/"
    message = Message.objects.get(recipient=approver, kind="policies.approval")
    assert message.subject == "[SocialGov] Please approve: Personal accounts"
    assert 'has sent a new draft of "Personal accounts" to you for approval' in message.body_text
    assert "https://socialgov.glenmorven.gov.uk/policies/personal-accounts/draft/" in message.body_text
    # The notice goes at once (it was queued just now), whatever the time of day the suite runs.
    messages_deliver()
    [sent] = [m for m in mailoutbox if m.to == [approver.email]]
    assert sent.subject == message.subject
    messages_deliver()
    assert len([m for m in mailoutbox if m.to == [approver.email]]) == 1
