"""Opening and running an incident. Plain functions; views, tasks and tests call them.

Everything that happens is also written to the incident's timeline, with
who and when, in the same transaction as the change itself.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from incidents.escalation import escalations_run, token_hash
from incidents.models import BreachOutcome, Incident, IncidentStep, Page, ReviewAction, TimelineEntry
from policies.models import Category, DocumentVersion


class IncidentError(Exception):
    """A request the rules refuse; the message says why."""


def _log(incident: Incident, actor, text: str, at: datetime.datetime | None = None) -> TimelineEntry:
    return TimelineEntry.objects.create(incident=incident, actor=actor, text=text, at=at or timezone.now())


@transaction.atomic
def incident_open(
    *, opened_by, playbook: DocumentVersion | None = None, title: str = "", severity: str = "", account=None,
    now: datetime.datetime | None = None,
) -> Incident:  # fmt: skip
    """Open an incident from a published playbook (its steps become the checklist) or ad hoc.

    The escalation ladder is read from the rota now and kept with the incident; the first page goes at once.
    """
    from socialgov.rota.selectors import escalation_ladder

    now = now or timezone.now()
    if playbook is not None:
        if playbook.status != DocumentVersion.Status.PUBLISHED or playbook.document.category != Category.PLAYBOOK:
            raise IncidentError("Only a published playbook can start an incident.")
        title = title or playbook.document.title
        severity = severity or playbook.document.severity
    if not title.strip():
        raise IncidentError("Say what is happening: an incident needs a title.")
    incident = Incident.objects.create(
        title=title.strip(), playbook=playbook, severity=severity or "high", account=account, opened_by=opened_by,
        opened_at=now,
        ladder=[person.pk for person in escalation_ladder(now)],
        escalation_minutes=settings.INCIDENT_ESCALATION_MINUTES, escalation_rounds=settings.INCIDENT_ESCALATION_ROUNDS,
    )  # fmt: skip
    steps = playbook.steps if playbook is not None else []
    IncidentStep.objects.bulk_create(
        IncidentStep(incident=incident, order=s["order"], instruction=s["instruction"], who=s["who"],
                     target_minutes=s["target_minutes"], due_at=now + datetime.timedelta(minutes=s["target_minutes"]))
        for s in steps
    )  # fmt: skip
    source = f" from the playbook “{playbook.document.title}” ({playbook.label})" if playbook else ""
    affected = f" Account affected: {account}." if account else ""
    _log(incident, opened_by, f"Opened{source}.{affected}", at=now)
    if not incident.ladder:
        _log(incident, None, "Nobody is on the rota now: nobody can be paged. Phone the head of communications.")
    transaction.on_commit(lambda: escalations_run(timezone.now()))
    return incident


def _require_open(incident: Incident) -> None:
    if not incident.is_open:
        raise IncidentError("This incident is closed: it can no longer be changed.")


@transaction.atomic
def incident_acknowledge(*, incident: Incident, by) -> Incident:
    """Someone has it in hand: the incident's own paging stops (steps still escalate when they are overdue)."""
    _require_open(incident)
    updated = Incident.objects.filter(pk=incident.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=by
    )
    incident.refresh_from_db()
    if updated:
        _log(incident, by, "Acknowledged the incident.")
    return incident


@transaction.atomic
def step_take(*, step: IncidentStep, by) -> IncidentStep:
    """“I'm on it”: the step has an owner, and stops escalating."""
    _require_open(step.incident)
    if step.done_at is not None:
        raise IncidentError(f"Step {step.order} is already done.")
    if step.owner_id == by.pk and step.taken_at is not None:
        return step
    step.owner, step.taken_at = by, timezone.now()
    step.save(update_fields=["owner", "taken_at"])
    _log(step.incident, by, f"Took step {step.order}: {step.instruction}.")
    return step


@transaction.atomic
def step_done(*, step: IncidentStep, by, note: str = "") -> IncidentStep:
    _require_open(step.incident)
    if step.done_at is not None:
        raise IncidentError(f"Step {step.order} was already marked done by {step.done_by}.")
    now = timezone.now()
    step.done_at, step.done_by = now, by
    if step.owner_id is None:
        step.owner, step.taken_at = by, now
    if note.strip():
        step.notes = (step.notes + "\n" if step.notes else "") + note.strip()
    step.save(update_fields=["done_at", "done_by", "owner", "taken_at", "notes"])
    late = " (after its target)" if now > step.due_at else ""
    added = f" Note: {note.strip()}" if note.strip() else ""
    _log(step.incident, by, f"Done: step {step.order}, {step.instruction}{late}.{added}")
    return step


@transaction.atomic
def note_add(*, incident: Incident, by, text: str) -> TimelineEntry:
    _require_open(incident)
    if not text.strip():
        raise IncidentError("Write the note before adding it.")
    return _log(incident, by, text.strip()[:1000])


@transaction.atomic
def page_acknowledge(*, token: str, by) -> tuple[Page, str]:
    """Acknowledge from the link in a page. Returns the page and what happened, in words.

    A link used twice, or by someone it was not sent to, changes nothing and says why.
    """
    page = Page.objects.select_related("incident", "step", "recipient").filter(token_hash=token_hash(token)).first()
    if page is None:
        raise IncidentError("This link is not one we sent, or it has been mistyped. Open the incident from the list.")
    if page.recipient_id != by.pk:
        raise IncidentError(
            f"This link was sent to {page.recipient}. You are signed in as {by}: nothing has been changed. "
            "Open the incident to help."
        )
    if page.used_at is not None:
        local = timezone.localtime(page.used_at)
        return page, f"You already acknowledged this at {local:%H:%M} on {local:%d %B}: nothing more to do here."
    if not page.incident.is_open:
        return page, "The incident is closed: nothing more to do."
    Page.objects.filter(pk=page.pk).update(used_at=timezone.now())
    if page.step is not None:
        step_take(step=page.step, by=by)
        return page, f"Step {page.step.order} is yours now. Paging for it has stopped."
    incident_acknowledge(incident=page.incident, by=by)
    return page, "You have the incident. Paging for it has stopped; overdue steps still page until someone takes them."


@transaction.atomic
def breach_mark(*, incident: Incident, by, now: datetime.datetime | None = None) -> Incident:
    """Start the 72-hour clock for telling the regulator. Marking twice keeps the first time: the clock runs
    from when the organisation became aware."""
    _require_open(incident)
    if incident.breach_at is not None:
        return incident
    incident.breach_at = now or timezone.now()
    incident.save(update_fields=["breach_at"])
    deadline = timezone.localtime(incident.breach_deadline)
    _log(incident, by, f"Marked as a possible personal-data breach. Report to the regulator by "
                       f"{deadline:%H:%M on %d %B %Y} (72 hours), or record that it is not reportable.")  # fmt: skip
    return incident


@transaction.atomic
def breach_record(*, incident: Incident, by, outcome: str, note: str) -> Incident:
    """Stop the clock: reported (with the regulator's reference) or not reportable (with why)."""
    if incident.breach_at is None:
        raise IncidentError("This incident is not marked as a possible breach.")
    if outcome not in BreachOutcome.values:
        raise IncidentError("Choose whether it was reported or is not reportable.")
    if not note.strip():
        raise IncidentError(
            "Give the regulator's reference, or say why it is not reportable: it is kept with the incident."
        )
    incident.breach_outcome, incident.breach_outcome_at, incident.breach_outcome_by = outcome, timezone.now(), by
    incident.breach_note = note.strip()[:1000]
    incident.save(update_fields=["breach_outcome", "breach_outcome_at", "breach_outcome_by", "breach_note"])
    _log(incident, by, f"Breach: {BreachOutcome(outcome).label.lower()}. {incident.breach_note}")
    return incident


@transaction.atomic
def review_save(*, incident: Incident, by, what_happened: str, what_worked: str) -> Incident:
    _require_open(incident)
    incident.review_what_happened, incident.review_what_worked = what_happened.strip(), what_worked.strip()
    incident.save(update_fields=["review_what_happened", "review_what_worked"])
    _log(incident, by, "Updated the review.")
    return incident


@transaction.atomic
def action_add(*, incident: Incident, by, description: str, owner, due_on: datetime.date) -> ReviewAction:
    _require_open(incident)
    if not owner.is_active:
        raise IncidentError(f"{owner} has left: choose someone who works here now.")
    action = ReviewAction.objects.create(incident=incident, description=description.strip(), owner=owner,
                                         due_on=due_on)  # fmt: skip
    _log(incident, by, f"Action for {owner}, by {due_on:%d %B %Y}: {action.description}")
    return action


@transaction.atomic
def action_settle(*, action: ReviewAction, by, status: str, reason: str = "") -> ReviewAction:
    """Done, or not doing (with a reason). Either way it no longer holds the incident open."""
    if status not in {ReviewAction.Status.DONE, ReviewAction.Status.NOT_DOING}:
        raise IncidentError("Choose done or not doing.")
    if status == ReviewAction.Status.NOT_DOING and not reason.strip():
        raise IncidentError("Say why the action is not being done: it is kept with the review.")
    action.status, action.reason, action.settled_at = status, reason.strip()[:500], timezone.now()
    action.save(update_fields=["status", "reason", "settled_at"])
    words = "done" if status == ReviewAction.Status.DONE else f"not doing ({action.reason})"
    _log(action.incident, by, f"Action {words}: {action.description}")
    return action


def close_blockers(incident: Incident) -> list[str]:
    """What still stands between the incident and closing, in words; empty when it can close."""
    blockers = []
    if not incident.review_what_happened.strip():
        blockers.append("Write the review: what happened.")
    open_actions = incident.actions.filter(status=ReviewAction.Status.OPEN).count()
    if open_actions:
        blockers.append(f"{open_actions} action{'s are' if open_actions != 1 else ' is'} still to do: mark each "
                        "done, or not doing with a reason.")  # fmt: skip
    if incident.breach_clock_running:
        blockers.append("Record whether the possible breach was reported to the regulator.")
    return blockers


@transaction.atomic
def incident_close(*, incident: Incident, by) -> Incident:
    _require_open(incident)
    blockers = close_blockers(incident)
    if blockers:
        raise IncidentError("The incident cannot close yet. " + " ".join(blockers))
    incident.status, incident.closed_at = Incident.Status.CLOSED, timezone.now()
    incident.save(update_fields=["status", "closed_at"])
    _log(incident, by, "Closed the incident.")
    return incident
