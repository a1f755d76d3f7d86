"""GOV.UK Notify as the email service: a Django email backend with a client-side rate limit.

Notify allows 3,000 messages a minute per service; a large digest run would
pass that, so every process sending through Notify shares one counter per
minute in the cache (Redis in production) and waits for the next minute when
the limit is reached. Notify sends from a template: configure one email
template whose subject is ``((subject))`` and whose body is ``((body))``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)


class RateLimiter:
    """At most ``per_minute`` sends in any clock minute, counted across processes in the cache."""

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.per_minute = per_minute
        self.clock = clock
        self.sleep = sleep

    def acquire(self) -> None:
        while True:
            now = self.clock()
            minute = int(now // 60)
            key = f"notify-rate:{minute}"
            cache.add(key, 0, timeout=120)
            if cache.incr(key) <= self.per_minute:
                return
            wait = (minute + 1) * 60 - now
            logger.info("Notify rate limit reached; waiting %.1f s for the next minute", wait)
            self.sleep(max(wait, 0.01))


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each message through GOV.UK Notify's generic template."""

    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)
        self.template_id = settings.GOVUK_NOTIFY_TEMPLATE_ID
        self.limiter = RateLimiter(settings.GOVUK_NOTIFY_RATE_PER_MINUTE)

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for address in message.recipients():
                self.limiter.acquire()
                try:
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                        reference=message.extra_headers.get("Message-ID", ""),
                    )
                except HTTPError as error:
                    if self.fail_silently:
                        continue
                    raise NotifyRefused(error.status_code, str(error.message)) from error
            sent += 1
        return sent


class NotifyRefused(Exception):
    """Notify answered with an error; 400s (a bad address) will not succeed on retry."""

    def __init__(self, status_code: int, detail: str):
        super().__init__(f"GOV.UK Notify answered {status_code}: {detail}")
        self.status_code = status_code
        self.is_permanent = 400 <= status_code < 500 and status_code != 429
