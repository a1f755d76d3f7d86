"""GOV.UK Notify is outside this machine: its API client is replaced; everything else is real."""

import pytest
from django.core.cache import cache
from notifications_python_client.errors import HTTPError

from socialgov.notifications.delivery import messages_deliver
from socialgov.notifications.models import Message
from socialgov.notifications.notify import RateLimiter
from socialgov.notifications.services import message_queue
from tests.factories import UserFactory


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class FakeResponse:
    def __init__(self, status_code, payload):
        self.status_code = status_code
        self._payload = payload

    def json(self):
        return self._payload


@pytest.fixture
def notify(settings, monkeypatch):
    settings.EMAIL_BACKEND = "socialgov.notifications.notify.NotifyEmailBackend"
    settings.GOVUK_NOTIFY_API_KEY = "socialgov-" + "a" * 36 + "-" + "b" * 36
    settings.GOVUK_NOTIFY_TEMPLATE_ID = "template-1"
    sent = []

    def send_email_notification(self, email_address, template_id, personalisation=None, reference=None, **kwargs):
        if email_address.startswith("bad"):
            raise HTTPError(FakeResponse(400, {"errors": [{"message": "email_address Not a valid email address"}]}))
        sent.append({"to": email_address, "template": template_id, **personalisation, "reference": reference})
        return {"id": "notify-id"}

    monkeypatch.setattr(
        "notifications_python_client.notifications.NotificationsAPIClient.send_email_notification",
        send_email_notification,
    )
    cache.clear()
    return sent


def test_the_limiter_waits_for_the_next_minute_when_the_limit_is_reached(db):
    cache.clear()
    clock = FakeClock(start=1_800_000_030.0)  # half way through a minute
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        limiter.acquire()
    assert clock.slept == [30.0]


def test_messages_go_through_notify_and_a_refused_address_fails_for_good(notify, db):
    good = UserFactory(email="good@glenmorven.gov.uk")
    bad = UserFactory(email="bad@glenmorven.gov.uk")
    for person in (good, bad):
        message_queue(
            recipient=person,
            kind="people.account_setup",
            subject="Your digest",
            body_text="Body",
            idempotency_key=f"k-{person.pk}",
        )
    result = messages_deliver()
    assert (result.sent, result.failed) == (1, 1)
    assert notify == [
        {
            "to": "good@glenmorven.gov.uk",
            "template": "template-1",
            "subject": "Your digest",
            "body": "Body",
            "reference": Message.objects.get(recipient=good).message_id,
        }
    ]
    failed = Message.objects.get(recipient=bad)
    assert failed.status == Message.Status.FAILED
    assert "400" in failed.last_error
