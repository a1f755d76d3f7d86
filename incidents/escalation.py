"""The escalation ladder: who is paged, when, for an incident or a step nobody has taken on.

The clock starts when the incident opens (for the incident itself) or when a
step's target passes. Page *n* goes to rung ``n % len(ladder)`` at
``start + n * escalation_minutes``, round after round up to
``escalation_rounds``, until someone acknowledges. ``escalations_run(now)``
is called every minute by a task, and by tests with any ``now`` they like:
it works out every page that should have gone by ``now`` and sends those
that have not, each once (a unique row per incident, subject and number).
Pages are urgent messages: they ignore quiet hours and bank holidays.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from incidents.models import BREACH_HOURS, BREACH_REMINDER_HOURS, Incident, IncidentStep, Page, TimelineEntry
from socialgov.notifications.registry import Kind
from socialgov.notifications.services import message_queue, notice_send
from socialgov.people.models import User

PAGE = Kind(key="incidents.page", label="Incident pages", group="Incidents", is_mandatory=True, is_urgent=True)
BREACH = Kind(key="incidents.breach", label="Breach reporting deadlines", group="Incidents", is_urgent=True)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _due_pages(incident: Incident, start: datetime.datetime, now: datetime.datetime) -> range:
    """Page numbers whose time has come by ``now``, from a clock started at ``start``."""
    if not incident.ladder or now < start:
        return range(0)
    total = len(incident.ladder) * incident.escalation_rounds
    step = datetime.timedelta(minutes=max(incident.escalation_minutes, 1))
    reached = int((now - start) / step) + 1
    return range(min(reached, total))


def _send(incident: Incident, *, subject: str, step: IncidentStep | None, sequence: int, people: dict) -> Page | None:
    recipient = people.get(incident.ladder[sequence % len(incident.ladder)])
    if recipient is None:
        return None
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            page = Page.objects.create(incident=incident, step=step, subject=subject, sequence=sequence,
                                       recipient=recipient, token_hash=token_hash(token))  # fmt: skip
            rung = _rung_name(sequence % len(incident.ladder), len(incident.ladder))
            round_number = sequence // len(incident.ladder) + 1
            what = f"step {step.order}, “{step.instruction}”, is overdue" if step else "needs someone now"
            TimelineEntry.objects.create(
                incident=incident, text=f"Paged {recipient} ({rung}, round {round_number}): {what}."
            )
            site = settings.SITE_URL.rstrip("/")
            context = {
                "incident": incident,
                "step": step,
                "recipient": recipient,
                "link": site + reverse("incidents:acknowledge-link", kwargs={"token": token}),
                "incident_url": site + reverse("incidents:detail", kwargs={"pk": incident.pk}),
                "round": round_number,
                "rung": rung,
                "organisation_name": settings.ORGANISATION_NAME,
            }
            message_queue(
                recipient=recipient,
                kind=PAGE.key,
                subject=render_to_string("incidents/email/page_subject.txt", context).strip(),
                body_text=render_to_string("incidents/email/page.txt", context),
                body_html=render_to_string("incidents/email/page.html", context),
                idempotency_key=f"incident-page:{incident.pk}:{subject}:{sequence}",
            )
    except IntegrityError:
        return None  # another run sent this one
    return page


def _rung_name(rung: int, size: int) -> str:
    """By place, not by title: the rota leaves out anyone missing, so the second rung may be the head of comms."""
    return f"number {rung + 1} of {size} on the on-call ladder"


def _breach_reminders(incident: Incident, now: datetime.datetime) -> None:
    """At 24, 48 and 66 hours, until the outcome is recorded: everyone on the incident is told the time left."""
    if not incident.breach_clock_running:
        return
    ids = dict.fromkeys([*incident.ladder, incident.opened_by_id, incident.acknowledged_by_id])
    people = [p for p in User.objects.filter(pk__in=[i for i in ids if i]) if p.is_active]
    for hours in BREACH_REMINDER_HOURS:
        if now < incident.breach_at + datetime.timedelta(hours=hours):
            break
        for person in people:
            notice_send(
                recipient=person, kind=BREACH.key, key=f"incident-breach:{incident.pk}:{hours}:{person.pk}",
                title=f"{BREACH_HOURS - hours} hours left to report a possible breach: {incident.title}",
                path=reverse("incidents:detail", kwargs={"pk": incident.pk}), template="incidents/email/breach",
                context={"incident": incident, "hours_gone": hours, "hours_left": BREACH_HOURS - hours,
                         "deadline": incident.breach_deadline},
            )  # fmt: skip


def escalations_run(now: datetime.datetime) -> int:
    """Send every page that is due by ``now`` and not yet sent, and breach reminders; returns pages sent."""
    sent = 0
    incidents = Incident.objects.filter(status=Incident.Status.OPEN).prefetch_related("steps")
    for incident in incidents:
        _breach_reminders(incident, now)
        people = User.objects.in_bulk(incident.ladder)
        already = set(Page.objects.filter(incident=incident).values_list("subject", "sequence"))
        clocks: list[tuple[str, IncidentStep | None, datetime.datetime]] = []
        if incident.acknowledged_at is None:
            clocks.append(("incident", None, incident.opened_at))
        clocks += [(f"step:{s.pk}", s, s.due_at) for s in incident.steps.all() if s.is_overdue(now)]
        for subject, step, start in clocks:
            for sequence in _due_pages(incident, start, now):
                if (subject, sequence) in already:
                    continue
                sent += _send(incident, subject=subject, step=step, sequence=sequence, people=people) is not None
    return sent
