"""The rules for writing, approving, publishing and acknowledging documents.

Every change goes through one of these functions, so each rule lives in one
place: views, the demo loader, commands and tests all call them. Each writes
a line of the document's history (``Event``) saying who did what.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from policies.access import RECORDER_ROLES, WRITER_ROLES
from policies.models import Acknowledgement, Category, Document, DocumentVersion, Event
from policies.reminders import APPROVAL_REQUEST
from policies.rendering import markdown_render
from policies.signals import acknowledgement_recorded
from socialgov.people.roles import has_role

Status = DocumentVersion.Status
Change = DocumentVersion.Change

AUTHOR_ROLES = tuple(WRITER_ROLES)


class PolicyError(Exception):
    """A request the rules refuse; the message says why, in words a person can act on."""


class DraftConflict(PolicyError):
    """Someone else saved the draft since this person opened it."""

    def __init__(self, current: DocumentVersion):
        self.current = current
        saved = timezone.localtime(current.updated_at)
        super().__init__(
            f"{current.updated_by} saved this draft at {saved:%H:%M} on {date_format(saved, 'j F Y')} "
            "while you were editing it. Your text has not been saved: compare the two below, then save again."
        )


def category_needs_approval(category: str) -> bool:
    return category in settings.POLICY_APPROVAL_CATEGORIES


def _event(document: Document, action: str, actor, *, version: DocumentVersion | None = None, note: str = "") -> Event:
    return Event.objects.create(document=document, version=version, action=action, actor=actor, note=note[:500])


WRITING_ACTIONS = (Event.Action.CREATED, Event.Action.DRAFT_STARTED, Event.Action.DRAFT_SAVED)


def _has_written(version: DocumentVersion, person) -> bool:
    """Whether ``person`` wrote any of this draft: its author, or anyone who saved it."""
    if person.pk == version.author_id:
        return True
    return Event.objects.filter(version=version, actor=person, action__in=WRITING_ACTIONS).exists()


def _render_into(version: DocumentVersion, body: str) -> None:
    rendered = markdown_render(body)
    version.body = body
    version.body_html = rendered.html
    version.body_text = rendered.text
    version.contents = rendered.contents_json


def _require_author(actor) -> None:
    if not has_role(actor, *AUTHOR_ROLES):
        raise PolicyError("Only comms leads can write documents.")


@transaction.atomic
def document_create(
    *,
    author,
    title: str,
    slug: str,
    summary: str,
    category: str,
    owner,
    body: str,
    is_for_everyone: bool = True,
    departments: Iterable = (),
    roles: Iterable = (),
    is_for_public_facing: bool = False,
    requires_acknowledgement: bool = True,
    acknowledge_within_days: int = 14,
    review_on: datetime.date | None = None,
    help_question: str = "",
    severity: str = "",
    steps: list[dict] | None = None,
) -> Document:
    """A new document with its first draft (for a playbook, with its steps if given)."""
    _require_author(author)
    document = Document.objects.create(
        title=title,
        slug=slug,
        summary=summary,
        category=category,
        help_question=help_question,
        severity=severity,
        owner=owner,
        is_for_everyone=is_for_everyone,
        is_for_public_facing=is_for_public_facing,
        requires_acknowledgement=requires_acknowledgement,
        acknowledge_within_days=acknowledge_within_days,
        review_on=review_on,
    )
    document.audience_departments.set(departments)
    document.audience_roles.set(roles)
    version = DocumentVersion(
        document=document, author=author, updated_by=author, change=Change.MAJOR, steps=steps or []
    )
    _render_into(version, body)
    version.save()
    _event(document, Event.Action.CREATED, author, version=version)
    return document


@transaction.atomic
def document_update_details(
    *, document: Document, actor, departments: Iterable = (), roles: Iterable = (), **fields
) -> Document:
    """Change what stays put between versions: title, summary, owner, audience, review date."""
    _require_author(actor)
    allowed = {"title", "summary", "category", "help_question", "severity", "owner", "is_for_everyone",
               "is_for_public_facing", "requires_acknowledgement", "acknowledge_within_days", "review_on"}  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not a document detail: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(document, name, value)
    document.save(update_fields=list(fields))
    document.audience_departments.set(departments)
    document.audience_roles.set(roles)
    _event(document, Event.Action.DETAILS_CHANGED, actor)
    return document


def draft_for(document: Document) -> DocumentVersion | None:
    return document.versions.open_draft().first()


@transaction.atomic
def draft_start(*, document: Document, author) -> DocumentVersion:
    """The document's open draft, or a new one copied from the published text. Published text is never edited."""
    _require_author(author)
    if document.is_retired:
        raise PolicyError("This document is retired. Retired documents cannot be changed.")
    existing = draft_for(document)
    if existing is not None:
        return existing
    # Read the published version afresh: the caller's copy of the document may predate a publication.
    current = DocumentVersion.objects.filter(document=document, status=Status.PUBLISHED).first()
    version = DocumentVersion(
        document=document,
        author=author,
        updated_by=author,
        change=Change.MINOR if current else Change.MAJOR,
        steps=current.steps if current else [],
    )
    _render_into(version, current.body if current else "")
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:
        # Someone else started one at the same moment: use theirs.
        return draft_for(document)
    _event(document, Event.Action.DRAFT_STARTED, author, version=version)
    return version


def draft_save(
    *,
    version: DocumentVersion,
    editor,
    body: str,
    change: str,
    what_changed: str,
    revision: int,
    steps: list[dict] | None = None,
) -> DocumentVersion:
    """Save a draft's text (and a playbook's steps, when given).

    ``revision`` is the one the editor started from: if someone saved since, refuse.
    """
    _require_author(editor)
    if version.status != Status.DRAFT:
        raise PolicyError(_not_editable_reason(version))
    draft = DocumentVersion(pk=version.pk)
    _render_into(draft, body)
    now = timezone.now()
    with transaction.atomic():
        updated = DocumentVersion.objects.filter(pk=version.pk, status=Status.DRAFT, revision=revision).update(
            body=draft.body,
            body_html=draft.body_html,
            body_text=draft.body_text,
            contents=draft.contents,
            change=change,
            what_changed=what_changed.strip(),
            steps=version.steps if steps is None else steps,
            revision=F("revision") + 1,
            updated_by=editor,
            updated_at=now,
        )
        if updated != 1:
            current = DocumentVersion.objects.select_related("updated_by", "document").get(pk=version.pk)
            if current.status != Status.DRAFT:
                raise PolicyError(_not_editable_reason(current))
            raise DraftConflict(current)
        _event(version.document, Event.Action.DRAFT_SAVED, editor, version=version)
    version.refresh_from_db()
    return version


def _not_editable_reason(version: DocumentVersion) -> str:
    if version.status == Status.SUBMITTED:
        return (
            f"This draft is waiting for approval by {version.approver}. "
            "Withdraw it, or ask them to return it, before you change it."
        )
    if version.status == Status.PUBLISHED:
        return "Published versions never change. Start a new draft to make a change."
    return f"This version is {version.get_status_display().lower()}: it can no longer be changed."


def _check_ready(version: DocumentVersion) -> None:
    if not version.body.strip():
        raise PolicyError("The document has no text yet. Write it before you publish it.")
    if version.document.category == Category.PLAYBOOK and not version.steps:
        raise PolicyError("A playbook needs its steps. Add at least one before you publish it.")
    if version.document.current_version_id and version.change == Change.MAJOR and not version.what_changed:
        raise PolicyError(
            "Say what changed: a major change needs a short summary for people who acknowledged the last version."
        )


@transaction.atomic
def draft_submit(*, version: DocumentVersion, actor, approver) -> DocumentVersion:
    """Send a draft to one named approver, who is told at once."""
    _require_author(actor)
    if version.status != Status.DRAFT:
        raise PolicyError(_not_editable_reason(version))
    if approver is None:
        raise PolicyError("Choose who should approve it.")
    if approver.pk == actor.pk or _has_written(version, approver):
        raise PolicyError("Choose someone else to approve it: nobody approves a draft they wrote any of.")
    if not approver.is_active or not has_role(approver, *AUTHOR_ROLES):
        raise PolicyError(f"{approver} cannot approve documents: approvers must be comms leads.")
    _check_ready(version)
    now = timezone.now()
    version.status = Status.SUBMITTED
    version.approver = approver
    version.submitted_at = now
    version.save(update_fields=["status", "approver", "submitted_at"])
    event = _event(version.document, Event.Action.SUBMITTED, actor, version=version, note=f"To {approver}")
    transaction.on_commit(lambda: _tell_approver(version, actor, event))
    return version


def _tell_approver(version: DocumentVersion, submitter, submission: Event) -> None:
    from socialgov.notifications.services import notice_send

    notice_send(
        recipient=version.approver,
        kind=APPROVAL_REQUEST.key,
        # One notice per submission: sending it again after a return is a new request.
        key=f"policies-approval:{submission.pk}",
        title=f"Approve {version.document.title}",
        path=reverse("policies:draft", kwargs={"slug": version.document.slug}),
        template="policies/email/approval_request",
        context={"version": version, "document": version.document, "submitter": submitter},
    )


@transaction.atomic
def draft_return(*, version: DocumentVersion, actor, note: str = "") -> DocumentVersion:
    """The approver sends a draft back with a comment, or its author withdraws it."""
    if version.status != Status.SUBMITTED:
        raise PolicyError("Only a draft waiting for approval can be returned.")
    if actor.pk not in (version.approver_id, version.author_id) and not has_role(actor, *AUTHOR_ROLES):
        raise PolicyError("Only the approver or a comms lead can return this draft.")
    version.status = Status.DRAFT
    version.save(update_fields=["status"])
    _event(version.document, Event.Action.RETURNED, actor, version=version, note=note)
    return version


@transaction.atomic
def draft_discard(*, version: DocumentVersion, actor) -> None:
    _require_author(actor)
    if not version.is_open:
        raise PolicyError(_not_editable_reason(version))
    document = version.document
    _event(document, Event.Action.DRAFT_DISCARDED, actor)
    version.delete()


@transaction.atomic
def version_publish(*, version: DocumentVersion, actor) -> DocumentVersion:
    """Publish a draft; the version before it is superseded. Policies need their named approver to do it."""
    document = Document.objects.select_for_update().get(pk=version.document_id)
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if document.is_retired:
        raise PolicyError("This document is retired. Retired documents cannot be published.")
    if category_needs_approval(document.category):
        if version.status != Status.SUBMITTED:
            raise PolicyError(
                f"A {document.get_category_display().lower()} needs approval: send it to an approver first."
            )
        if _has_written(version, actor):
            raise PolicyError(
                "You cannot approve your own draft: it needs the approval of someone who did not write it."
            )
        if actor.pk != version.approver_id:
            raise PolicyError(f"Only {version.approver}, the named approver, can publish this draft.")
    else:
        _require_author(actor)
        if not version.is_open:
            raise PolicyError(_not_editable_reason(version))
    _check_ready(version)
    now = timezone.now()
    previous = document.current_version
    if previous is None:
        version.major, version.minor = 1, 0
        version.change = Change.MAJOR
    elif version.change == Change.MAJOR:
        version.major, version.minor = previous.major + 1, 0
    else:
        version.major, version.minor = previous.major, previous.minor + 1
    if previous is not None:
        previous.status = Status.SUPERSEDED
        previous.ended_at = now
        previous.save(update_fields=["status", "ended_at"])
    version.status = Status.PUBLISHED
    version.published_at = now
    version.published_by = actor
    version.save(update_fields=["status", "major", "minor", "change", "published_at", "published_by"])
    document.current_version = version
    document.save(update_fields=["current_version"])
    _event(document, Event.Action.PUBLISHED, actor, version=version, note=f"Version {version.number}")
    return version


@transaction.atomic
def document_retire(*, document: Document, actor, reason: str) -> Document:
    """Withdraw a document: nobody is asked to read it any more; its history stays."""
    _require_author(actor)
    if document.is_retired:
        raise PolicyError("This document is already retired.")
    if not reason.strip():
        raise PolicyError("Say why the document is being retired.")
    now = timezone.now()
    for draft in document.versions.open_draft():
        draft.delete()
    document.versions.filter(status=Status.PUBLISHED).update(status=Status.RETIRED, ended_at=now)
    document.is_retired = True
    document.save(update_fields=["is_retired"])
    _event(document, Event.Action.RETIRED, actor, note=reason)
    return document


def _state_words(version: DocumentVersion) -> str:
    if version.document.is_retired or version.status == Status.RETIRED:
        return "is retired"
    return {
        Status.DRAFT: "is still a draft",
        Status.SUBMITTED: "is still waiting for approval",
        Status.SUPERSEDED: "is superseded",
    }.get(version.status, f"is {version.get_status_display().lower()}")


def acknowledgement_record(
    *,
    version: DocumentVersion,
    person,
    kind: str = Acknowledgement.Kind.READ,
    recorded_by=None,
    reason: str = "",
    at: datetime.datetime | None = None,
) -> Acknowledgement:
    """Record that ``person`` read the current version (or was exempted, or HR recorded it for them).

    Only the published version can be acknowledged. Acknowledging twice keeps the first record.
    """
    # Read afresh: the caller's copy may predate a newer version being published.
    version = DocumentVersion.objects.select_related("document").get(pk=version.pk)
    document = version.document
    if version.status != Status.PUBLISHED or document.is_retired:
        raise PolicyError(
            f"{document.title} {version.label} {_state_words(version)}: only the current published version "
            "can be acknowledged."
        )
    if kind != Acknowledgement.Kind.READ:
        if recorded_by is None or not has_role(recorded_by, *RECORDER_ROLES):
            raise PolicyError("Only HR or a comms lead can record this for someone else.")
        if not reason.strip():
            raise PolicyError("Give a reason: it is kept with the record.")
    existing = Acknowledgement.objects.covering(version).filter(person=person).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        try:
            with transaction.atomic():
                acknowledgement = Acknowledgement.objects.create(
                    version=version,
                    person=person,
                    kind=kind,
                    recorded_by=recorded_by,
                    reason=reason.strip(),
                    acknowledged_at=at or timezone.now(),
                )
        except IntegrityError:
            return Acknowledgement.objects.get(version=version, person=person)
        if kind != Acknowledgement.Kind.READ:
            _event(
                document,
                Event.Action.RECORDED,
                recorded_by,
                version=version,
                note=f"{acknowledgement.get_kind_display()}: {person} – {reason.strip()}",
            )
        transaction.on_commit(
            lambda: acknowledgement_recorded.send(sender=Acknowledgement, acknowledgement=acknowledgement)
        )
    return acknowledgement
