"""The calendar feed: a person's shifts as iCalendar (RFC 5545), at a secret link their calendar app polls.

Calendar apps cannot sign in, so the link itself is the secret. Only a hash
of its token is stored; a token is looked up by its hash (an indexed
equality, which reveals nothing about the token through timing) and the
hashes are compared again in constant time. Times are written in UTC, which
every calendar app converts to local time correctly across clock changes.
"""

from __future__ import annotations

import datetime
import hmac

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from socialgov.people.models import User
from socialgov.rota.models import CalendarFeed, Shift
from socialgov.rota.services import calendar_token_hash

# Past shifts stay in the calendar this long, so last week's on-call can still be looked up.
FEED_HISTORY = datetime.timedelta(days=30)
# Calendar apps are asked to fetch the feed again this often.
REFRESH_EVERY = datetime.timedelta(hours=1)
MAX_TOKEN_LENGTH = 100


def calendar_feed_person(token: str) -> User | None:
    """Whose calendar link ``token`` opens: None for an unknown, replaced or malformed token, or a leaver's."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    wanted = calendar_token_hash(token)
    feed = CalendarFeed.objects.select_related("person").filter(token_hash=wanted).first()
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted) or not feed.person.is_active:
        return None
    return feed.person


def _site_host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "socialgov"


def shift_uid(shift: Shift) -> str:
    """Stable for the life of the shift, so an edited shift moves in the calendar instead of being duplicated."""
    return f"rota-shift-{shift.pk}@{_site_host()}"


def calendar_ics(*, person: User, now: datetime.datetime | None = None) -> bytes:
    """``person``'s shifts from 30 days ago onwards as an iCalendar file."""
    now = now or timezone.now()
    site = settings.SITE_URL.rstrip("/")
    shifts = Shift.objects.filter(person=person, ends_at__gt=now - FEED_HISTORY).order_by("starts_at", "pk")
    calendar = icalendar.Calendar.new(
        prodid=f"-//{settings.ORGANISATION_NAME}//{settings.SERVICE_NAME} on-call rota//EN",
        name=f"On call: {person}",
        description=f"{person}'s on-call shifts from the {settings.SERVICE_NAME} rota.",
        refresh_interval=REFRESH_EVERY,
        uid=f"rota-calendar-{person.pk}@{_site_host()}",
        url=site + reverse("rota:mine"),
    )
    # RFC 7986 requires the value type to be said; the older spelling is still the one some calendar apps read.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH_EVERY))
    rota_url = site + reverse("rota:rota")
    for shift in shifts:
        role = shift.get_role_display().lower()
        description = f"You are {role} on call. See the rota: {rota_url}"
        if shift.note:
            description = f"{shift.note}\n\n{description}"
        calendar.add_component(
            icalendar.Event.new(
                uid=shift_uid(shift),
                stamp=now.astimezone(datetime.UTC),
                last_modified=shift.updated_at.astimezone(datetime.UTC),
                start=shift.starts_at.astimezone(datetime.UTC),
                end=shift.ends_at.astimezone(datetime.UTC),
                summary=f"On call ({role})",
                description=description,
                url=rota_url,
            )
        )
    return calendar.to_ical()
