import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from socialgov.notifications import registry
from socialgov.notifications.delivery import messages_deliver, messages_release_stale
from socialgov.notifications.digests import digests_build
from socialgov.notifications.models import Message
from socialgov.notifications.services import message_queue
from tests.factories import UserFactory
from tests.notifications.conftest import TUESDAY, at

PAGE = registry.Kind(key="tests.page", label="Test page", group="Pages", is_urgent=True)


@pytest.fixture
def urgent_kind():
    registry.register_kind(PAGE)
    yield PAGE
    registry.unregister(PAGE.key)


def queue(person, key="k1", **fields):
    values = {"kind": "people.account_setup", "subject": "Hello", "body_text": "Text", "idempotency_key": key}
    return message_queue(recipient=person, **(values | fields))


def test_a_digest_arrives_at_the_smtp_server_once(smtp_server, new_starter):
    digests_build(now=at(TUESDAY, 9, 5))
    assert messages_deliver(now=at(TUESDAY, 9, 6)).sent == 1
    assert messages_deliver(now=at(TUESDAY, 9, 7)).sent == 0
    [received] = smtp_server.messages
    message = Message.objects.get()
    assert received["To"] == new_starter.email
    assert received["Subject"] == message.subject
    assert received["Message-ID"] == message.message_id
    assert received.is_multipart()
    assert {part.get_content_type() for part in received.walk()} >= {"text/plain", "text/html"}
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_a_person_without_an_address_or_a_refused_one_fails_and_the_batch_goes_on(smtp_server, db):
    nobody = UserFactory(email="nobody@glenmorven.gov.uk")
    refused = UserFactory(email="gone@glenmorven.gov.uk")
    fine = UserFactory(email="fine@glenmorven.gov.uk")
    smtp_server.refuse.add("gone@glenmorven.gov.uk")
    queue(nobody, "a").__class__.objects.filter(idempotency_key="a").update(to_email="")
    queue(refused, "b")
    queue(fine, "c")
    result = messages_deliver()
    assert (result.sent, result.failed) == (1, 2)
    assert [m["To"] for m in smtp_server.messages] == ["fine@glenmorven.gov.uk"]
    assert Message.objects.get(idempotency_key="a").last_error == "This person has no email address."
    failed = Message.objects.get(idempotency_key="b")
    assert failed.status == Message.Status.FAILED
    assert "550" in failed.last_error
    assert "gone@glenmorven.gov.uk" in failed.last_error


def test_an_unreachable_server_is_retried_with_backoff(settings, smtp_server, staff):
    queue(staff)
    settings.EMAIL_PORT = smtp_server.port + 1 if smtp_server.port < 65535 else 1
    result = messages_deliver()
    assert result.retrying == 1
    message = Message.objects.get()
    assert message.status == Message.Status.PENDING
    assert message.attempts == 1
    assert "Could not reach the mail server" in message.last_error
    assert message.send_after > timezone.now()
    assert messages_deliver().sent == 0, "not before its backoff"
    settings.EMAIL_PORT = smtp_server.port
    assert messages_deliver(now=message.send_after + datetime.timedelta(seconds=1)).sent == 1
    assert len(smtp_server.messages) == 1


def test_a_claim_left_by_a_dead_worker_is_sent_again_once(smtp_server, staff):
    message = queue(staff)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENDING, claimed_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert messages_release_stale() == 1
    assert messages_deliver().sent == 1
    assert len(smtp_server.messages) == 1


def test_a_live_claim_is_not_taken_by_another_worker(smtp_server, staff):
    message = queue(staff)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, claimed_at=timezone.now())
    assert messages_deliver().sent == 0
    assert smtp_server.messages == []


def test_queueing_the_same_key_twice_keeps_one_message(staff):
    first = queue(staff)
    second = queue(staff, subject="Another")
    assert first.pk == second.pk
    assert Message.objects.count() == 1


def test_urgent_messages_go_as_soon_as_the_transaction_commits(
    smtp_server, staff, urgent_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(staff, kind=PAGE.key, subject="Incident needs you")
    assert message.is_urgent
    assert [m["Subject"] for m in smtp_server.messages] == ["Incident needs you"]


def test_a_rolled_back_transaction_queues_nothing(smtp_server, staff, urgent_kind, django_capture_on_commit_callbacks):
    def failing_request():
        with transaction.atomic():
            queue(staff, kind=PAGE.key)
            raise RuntimeError("the request failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_request()
    assert callbacks == []
    assert not Message.objects.exists()
    assert smtp_server.messages == []
