"""The rules for writing, approving, publishing and acknowledging documents, through ``policies.services``.

Every view, command and the demo loader go through these functions, so the
rules are tested here once: the version lifecycle and its numbering, who may
approve, conflicting edits, acknowledgements and the history each step leaves.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from policies.models import Acknowledgement, Category, Document, DocumentVersion, Event
from policies.selectors import owed_by
from policies.services import (
    DraftConflict,
    PolicyError,
    acknowledgement_record,
    document_create,
    document_retire,
    draft_discard,
    draft_for,
    draft_return,
    draft_save,
    draft_start,
    draft_submit,
    version_publish,
)
from socialgov.notifications.models import Message, Notification
from socialgov.people.roles import Role
from tests.factories import UserFactory
from tests.policies.conftest import BODY, document_draft, publish_document, publish_new_version

pytestmark = pytest.mark.django_db

Status = DocumentVersion.Status
Action = Event.Action


def fresh(version: DocumentVersion) -> DocumentVersion:
    return DocumentVersion.objects.select_related("document").get(pk=version.pk)


def numbers(document: Document) -> list[tuple[str, str]]:
    """Each version's number and status, oldest first."""
    return [(v.number, v.status) for v in document.versions.order_by("created_at", "pk")]


@pytest.fixture
def third_comms_lead(db):
    return UserFactory(first_name="Calum", last_name="Third", roles=[Role.COMMS_LEAD])


# --- The lifecycle and numbering -----------------------------------------------------


def test_a_policy_moves_from_draft_to_submitted_to_published(comms_lead, second_comms_lead):
    """The states a policy passes through, and what each records: the approver, when it was sent, who published."""
    document = document_draft(comms_lead, category=Category.POLICY)
    draft = draft_for(document)
    assert (draft.status, draft.number, draft.label) == (Status.DRAFT, "", "draft")
    assert document.current_version is None

    draft_submit(version=draft, actor=comms_lead, approver=second_comms_lead)
    draft = fresh(draft)
    assert draft.status == Status.SUBMITTED
    assert draft.approver == second_comms_lead
    assert draft.submitted_at is not None

    published = version_publish(version=draft, actor=second_comms_lead)
    published = fresh(published)
    assert (published.status, published.number, published.label) == (Status.PUBLISHED, "1.0", "version 1.0")
    assert published.published_by == second_comms_lead
    assert published.published_at is not None
    document.refresh_from_db()
    assert document.current_version == published
    assert document.is_published


def test_guidance_and_house_style_publish_without_approval(comms_lead):
    """Only the categories in POLICY_APPROVAL_CATEGORIES need a second person; the rest go out directly."""
    for category in (Category.GUIDANCE, Category.HOUSE_STYLE):
        document = document_draft(comms_lead, title=f"A {category} document", category=category)
        version = version_publish(version=draft_for(document), actor=comms_lead)
        assert (fresh(version).status, version.number, version.published_by) == (Status.PUBLISHED, "1.0", comms_lead)


def test_versions_are_numbered_minor_and_major_and_earlier_ones_superseded(comms_lead, second_comms_lead):
    """1.0, then a minor change 1.1, a major change 2.0, a minor 2.1: one published version at a time."""
    document = publish_document(comms_lead, approver=second_comms_lead, category=Category.POLICY)
    first = document.current_version
    publish_new_version(document, change="minor", body=BODY + "\n\nA new link.", author=comms_lead,
                        approver=second_comms_lead)  # fmt: skip
    publish_new_version(document, change="major", body=BODY + "\n\n## Elections\n\nTake care.",
                        what_changed="A section on elections.", author=comms_lead,
                        approver=second_comms_lead)  # fmt: skip
    last = publish_new_version(document, change="minor", body=BODY + "\n\n## Elections\n\nTake great care.",
                               author=comms_lead, approver=second_comms_lead)  # fmt: skip

    assert numbers(document) == [
        ("1.0", Status.SUPERSEDED),
        ("1.1", Status.SUPERSEDED),
        ("2.0", Status.SUPERSEDED),
        ("2.1", Status.PUBLISHED),
    ]
    assert document.current_version == last
    first = fresh(first)
    assert first.ended_at is not None
    assert first.ended_at <= fresh(last).published_at


def test_a_new_draft_starts_from_the_published_text_as_a_minor_change(published_guidance, comms_lead):
    """Published text is never edited in place: a change is a new draft, copied from it, until published."""
    published = published_guidance.current_version
    draft = draft_start(document=published_guidance, author=comms_lead)
    assert draft.pk != published.pk
    assert (draft.body, draft.body_html) == (published.body, published.body_html)
    assert draft.change == DocumentVersion.Change.MINOR
    # Asking again gives the same open draft rather than a second one.
    assert draft_start(document=published_guidance, author=comms_lead) == draft

    draft_save(version=draft, editor=comms_lead, body="## Purpose\n\nRewritten.", change="minor", what_changed="",
               revision=draft.revision)  # fmt: skip
    published.refresh_from_db()
    assert published.body == BODY
    assert "Rewritten" not in published.body_html


def test_published_and_superseded_versions_never_change(published_guidance, comms_lead):
    """An acknowledgement proves what someone read only if the text they read can never be edited."""
    first = published_guidance.current_version
    with pytest.raises(PolicyError, match="Published versions never change"):
        draft_save(version=first, editor=comms_lead, body="Sneaky edit.", change="minor", what_changed="",
                   revision=first.revision)  # fmt: skip
    publish_new_version(published_guidance, change="minor", body=BODY + "\n\nMore.", author=comms_lead)
    first = fresh(first)
    with pytest.raises(PolicyError, match="This version is superseded: it can no longer be changed"):
        draft_save(version=first, editor=comms_lead, body="Sneaky edit.", change="minor", what_changed="",
                   revision=first.revision)  # fmt: skip
    with pytest.raises(PolicyError, match="Published versions never change"):
        version_publish(version=published_guidance.current_version, actor=comms_lead)
    assert fresh(first).body == BODY
    assert fresh(first).number == "1.0"


def test_a_stale_copy_of_a_draft_published_meanwhile_cannot_edit_it(comms_lead, second_comms_lead):
    """An editor still holding the draft after someone published it is told it is published, not that it conflicts."""
    document = document_draft(comms_lead)
    stale = draft_for(document)
    version_publish(version=draft_for(document), actor=second_comms_lead)
    assert stale.status == Status.DRAFT  # the editor's copy still says so
    with pytest.raises(PolicyError, match="Published versions never change") as caught:
        draft_save(version=stale, editor=comms_lead, body="Late edit.", change="minor", what_changed="",
                   revision=stale.revision)  # fmt: skip
    assert not isinstance(caught.value, DraftConflict)
    assert fresh(stale).body == BODY


def test_a_draft_waiting_for_approval_cannot_be_edited(comms_lead, second_comms_lead):
    """The approver approves the text they were sent: the author must withdraw it to change it."""
    document = document_draft(comms_lead, category=Category.POLICY)
    draft = draft_submit(version=draft_for(document), actor=comms_lead, approver=second_comms_lead)
    with pytest.raises(PolicyError, match="waiting for approval by Aileen Approver"):
        draft_save(version=draft, editor=comms_lead, body="Changed.", change="major", what_changed="",
                   revision=draft.revision)  # fmt: skip
    assert fresh(draft).body == BODY


def test_only_comms_leads_write_documents(staff, hr, administrator):
    for person in (staff, hr, administrator):
        with pytest.raises(PolicyError, match="Only comms leads can write documents"):
            document_draft(person, title=f"By {person.email}")
    assert not Document.objects.exists()


# --- Approval ------------------------------------------------------------------------


def test_nobody_approves_their_own_draft(comms_lead, second_comms_lead):
    """Neither the author nor whoever sends the draft may name themselves as its approver."""
    document = document_draft(comms_lead, category=Category.POLICY)
    draft = draft_for(document)
    with pytest.raises(PolicyError, match="Choose someone else to approve it: nobody approves a draft they wrote"):
        draft_submit(version=draft, actor=comms_lead, approver=comms_lead)
    with pytest.raises(PolicyError, match="nobody approves a draft they wrote"):
        draft_submit(version=draft, actor=second_comms_lead, approver=second_comms_lead)
    assert fresh(draft).status == Status.DRAFT
    assert fresh(draft).approver is None


def test_someone_who_edited_a_draft_cannot_approve_it(comms_lead, second_comms_lead):
    """Saving words into someone else's draft makes them partly yours: another person must approve them."""
    document = document_draft(comms_lead, category=Category.POLICY)
    draft = draft_for(document)
    draft_save(version=draft, editor=second_comms_lead, body="Their words too.", change="major",
               what_changed="", revision=draft.revision)  # fmt: skip
    with pytest.raises(PolicyError, match="nobody approves a draft they wrote any of"):
        draft_submit(version=draft, actor=comms_lead, approver=second_comms_lead)
    third = UserFactory(roles=[Role.COMMS_LEAD])
    draft_submit(version=fresh(draft), actor=comms_lead, approver=third)
    assert fresh(draft).approver == third


def test_an_approver_must_be_a_current_comms_lead(comms_lead, staff, hr):
    document = document_draft(comms_lead, category=Category.POLICY)
    draft = draft_for(document)
    leaver = UserFactory(first_name="Lee", last_name="Leaver", roles=[Role.COMMS_LEAD], is_active=False)
    for person in (staff, hr, leaver):
        with pytest.raises(PolicyError, match=f"{person} cannot approve documents: approvers must be comms leads"):
            draft_submit(version=draft, actor=comms_lead, approver=person)
    with pytest.raises(PolicyError, match="Choose who should approve it"):
        draft_submit(version=draft, actor=comms_lead, approver=None)
    assert fresh(draft).status == Status.DRAFT


def test_a_policy_is_not_published_without_approval(comms_lead, second_comms_lead):
    """Even another comms lead cannot publish a policy that was never sent for approval."""
    document = document_draft(comms_lead, category=Category.POLICY)
    for person in (comms_lead, second_comms_lead):
        with pytest.raises(PolicyError, match="A policy needs approval: send it to an approver first"):
            version_publish(version=draft_for(document), actor=person)
    document.refresh_from_db()
    assert document.current_version is None
    assert draft_for(document).status == Status.DRAFT


def test_only_the_named_approver_publishes_a_policy(comms_lead, second_comms_lead, third_comms_lead):
    document = document_draft(comms_lead, category=Category.POLICY)
    draft = draft_submit(version=draft_for(document), actor=comms_lead, approver=second_comms_lead)
    with pytest.raises(PolicyError, match="You cannot approve your own draft"):
        version_publish(version=draft, actor=comms_lead)
    with pytest.raises(PolicyError, match="Only Aileen Approver, the named approver, can publish this draft"):
        version_publish(version=draft, actor=third_comms_lead)
    document.refresh_from_db()
    assert document.current_version is None

    version_publish(version=draft, actor=second_comms_lead)
    assert fresh(draft).status == Status.PUBLISHED


def test_a_major_change_must_say_what_changed(published_guidance, comms_lead):
    """People who read the last version are told what changed, so a major version cannot go out without it."""
    draft = draft_start(document=published_guidance, author=comms_lead)
    draft = draft_save(version=draft, editor=comms_lead, body="## New\n\nAll new.", change="major",
                       what_changed="   ", revision=draft.revision)  # fmt: skip
    assert draft.what_changed == ""  # blank is stored as nothing
    with pytest.raises(PolicyError, match="Say what changed: a major change needs a short summary"):
        version_publish(version=draft, actor=comms_lead)
    assert fresh(draft).status == Status.DRAFT

    draft = draft_save(version=draft, editor=comms_lead, body="## New\n\nAll new.", change="major",
                       what_changed="Everything is new.", revision=draft.revision)  # fmt: skip
    version = version_publish(version=draft, actor=comms_lead)
    assert (version.number, version.what_changed) == ("2.0", "Everything is new.")


def test_a_major_policy_change_without_what_changed_is_not_sent_for_approval(approved_policy, comms_lead,
                                                                             second_comms_lead):  # fmt: skip
    draft = draft_start(document=approved_policy, author=comms_lead)
    draft = draft_save(version=draft, editor=comms_lead, body="## New\n\nAll new.", change="major",
                       what_changed="", revision=draft.revision)  # fmt: skip
    with pytest.raises(PolicyError, match="Say what changed"):
        draft_submit(version=draft, actor=comms_lead, approver=second_comms_lead)
    assert fresh(draft).status == Status.DRAFT


def test_a_document_without_text_cannot_be_published(comms_lead):
    document = document_draft(comms_lead, body="   \n\n ")
    with pytest.raises(PolicyError, match="The document has no text yet"):
        version_publish(version=draft_for(document), actor=comms_lead)


# --- Two editors at once -------------------------------------------------------------


def test_the_second_of_two_editors_is_refused_and_shown_the_saved_text(comms_lead, second_comms_lead):
    """Both opened revision N; the first save wins, the second gets a conflict carrying the text now saved."""
    document = document_draft(comms_lead)
    first_copy, second_copy = draft_for(document), draft_for(document)
    opened = first_copy.revision

    draft_save(version=first_copy, editor=comms_lead, body="## Purpose\n\nThe first editor's words.",
               change="major", what_changed="", revision=opened)  # fmt: skip
    with pytest.raises(DraftConflict) as caught:
        draft_save(version=second_copy, editor=second_comms_lead, body="## Purpose\n\nThe second editor's words.",
                   change="major", what_changed="", revision=opened)  # fmt: skip

    conflict = caught.value
    assert conflict.current.body == "## Purpose\n\nThe first editor's words."
    assert conflict.current.updated_by == comms_lead
    assert conflict.current.revision == opened + 1
    assert f"{comms_lead} saved this draft at" in str(conflict)
    assert "Your text has not been saved" in str(conflict)
    stored = fresh(first_copy)
    assert stored.body == "## Purpose\n\nThe first editor's words."
    assert "The first editor" in stored.body_html
    assert stored.updated_by == comms_lead
    assert Event.objects.filter(action=Action.DRAFT_SAVED).count() == 1

    # Having seen the saved text, the second editor saves on top of it.
    draft_save(version=second_copy, editor=second_comms_lead, body="## Purpose\n\nBoth editors' words.",
               change="major", what_changed="", revision=conflict.current.revision)  # fmt: skip
    stored = fresh(first_copy)
    assert (stored.body, stored.updated_by, stored.revision) == (
        "## Purpose\n\nBoth editors' words.",
        second_comms_lead,
        opened + 2,
    )


# --- Acknowledging -------------------------------------------------------------------


def test_a_superseded_version_cannot_be_acknowledged(published_guidance, staff, comms_lead):
    first = published_guidance.current_version
    publish_new_version(published_guidance, change="minor", body=BODY + "\n\nMore.", author=comms_lead)
    with pytest.raises(PolicyError) as caught:
        acknowledgement_record(version=fresh(first), person=staff)
    assert str(caught.value) == (
        "Writing for the web version 1.0 is superseded: only the current published version can be acknowledged."
    )
    assert not Acknowledgement.objects.exists()


def test_a_retired_document_cannot_be_acknowledged(published_guidance, staff, comms_lead):
    version = published_guidance.current_version
    document_retire(document=published_guidance, actor=comms_lead, reason="Replaced by the new guide.")
    with pytest.raises(PolicyError) as caught:
        acknowledgement_record(version=fresh(version), person=staff)
    assert str(caught.value) == (
        "Writing for the web version 1.0 is retired: only the current published version can be acknowledged."
    )
    assert not Acknowledgement.objects.exists()


def test_a_draft_cannot_be_acknowledged(comms_lead, staff):
    document = document_draft(comms_lead)
    with pytest.raises(PolicyError, match="only the current published version can be acknowledged"):
        acknowledgement_record(version=draft_for(document), person=staff)
    assert not Acknowledgement.objects.exists()


def test_acknowledging_again_keeps_the_first_record(published_guidance, staff, comms_lead):
    """A second click, or the same person acknowledging a minor version, changes nothing."""
    version = published_guidance.current_version
    when = timezone.now() - datetime.timedelta(days=3)
    first = acknowledgement_record(version=version, person=staff, at=when)
    again = acknowledgement_record(version=version, person=staff)
    assert again.pk == first.pk
    minor = publish_new_version(published_guidance, change="minor", body=BODY + "\n\nA link.", author=comms_lead)
    on_minor = acknowledgement_record(version=minor, person=staff)
    assert on_minor.pk == first.pk
    record = Acknowledgement.objects.get()
    assert (record.version, record.acknowledged_at, record.kind) == (version, when, Acknowledgement.Kind.READ)


def test_a_minor_version_needs_no_new_acknowledgement_but_a_major_one_does(published_guidance, staff, manager,
                                                                          comms_lead):  # fmt: skip
    first = published_guidance.current_version
    acknowledgement = acknowledgement_record(version=first, person=staff)
    assert owed_by(staff) == []

    publish_new_version(published_guidance, change="minor", body=BODY + "\n\nA new link.", author=comms_lead)
    assert owed_by(staff) == []

    major = publish_new_version(published_guidance, change="major", body=BODY + "\n\n## New rules\n\nRead them.",
                                what_changed="New rules.", author=comms_lead)  # fmt: skip
    [owed] = owed_by(staff)
    assert (owed.document, owed.version, owed.previous) == (published_guidance, major, acknowledgement)
    # Someone who never read it owes the new version too, with nothing before it.
    [owed] = owed_by(manager)
    assert (owed.version, owed.previous) == (major, None)

    acknowledgement_record(version=major, person=staff)
    assert owed_by(staff) == []


@pytest.mark.parametrize("kind", [Acknowledgement.Kind.ON_BEHALF, Acknowledgement.Kind.EXEMPT])
@pytest.mark.parametrize("recorder", ["hr", "comms_lead"])
def test_hr_and_comms_leads_record_for_someone_with_a_reason(published_guidance, personas, kind, recorder):
    """Recording for someone else (on their behalf, or an exemption) names who did it and why, in the history."""
    staff, recorded_by = personas["staff"], personas[recorder]
    version = published_guidance.current_version
    with pytest.raises(PolicyError, match="Give a reason: it is kept with the record"):
        acknowledgement_record(version=version, person=staff, kind=kind, recorded_by=recorded_by, reason="  ")
    assert not Acknowledgement.objects.exists()

    record = acknowledgement_record(
        version=version, person=staff, kind=kind, recorded_by=recorded_by, reason=" On long-term leave. "
    )
    record.refresh_from_db()
    assert (record.kind, record.recorded_by, record.reason) == (kind, recorded_by, "On long-term leave.")
    event = Event.objects.get(action=Action.RECORDED)
    assert (event.actor, event.version) == (recorded_by, version)
    assert event.note == f"{record.get_kind_display()}: {staff} – On long-term leave."
    assert owed_by(staff) == []


@pytest.mark.parametrize("recorder", ["staff", "manager", "incident_lead", "administrator"])
def test_nobody_else_records_for_someone(published_guidance, personas, recorder):
    staff = personas["staff"]
    for kind in (Acknowledgement.Kind.ON_BEHALF, Acknowledgement.Kind.EXEMPT):
        with pytest.raises(PolicyError, match="Only HR or a comms lead can record this for someone else"):
            acknowledgement_record(version=published_guidance.current_version, person=staff, kind=kind,
                                   recorded_by=personas[recorder], reason="Asked to.")  # fmt: skip
    with pytest.raises(PolicyError, match="Only HR or a comms lead"):
        acknowledgement_record(version=published_guidance.current_version, person=staff,
                               kind=Acknowledgement.Kind.EXEMPT, recorded_by=None, reason="Asked to.")  # fmt: skip
    assert not Acknowledgement.objects.exists()
    assert not Event.objects.filter(action=Action.RECORDED).exists()


# --- History and the approver's notice -------------------------------------------------


def test_each_step_writes_a_line_of_history_naming_who_did_it(comms_lead, second_comms_lead, hr, staff):
    document = document_draft(comms_lead, category=Category.POLICY)
    draft = draft_for(document)
    draft = draft_save(version=draft, editor=comms_lead, body=BODY + "\n\nLonger.", change="major",
                       what_changed="", revision=draft.revision)  # fmt: skip
    draft_submit(version=draft, actor=comms_lead, approver=second_comms_lead)
    draft_return(version=draft, actor=second_comms_lead, note="Shorter, please.")
    draft = draft_save(version=draft, editor=comms_lead, body=BODY, change="major", what_changed="",
                       revision=draft.revision)  # fmt: skip
    draft_submit(version=draft, actor=comms_lead, approver=second_comms_lead)
    published = version_publish(version=draft, actor=second_comms_lead)
    acknowledgement_record(version=published, person=staff, kind=Acknowledgement.Kind.ON_BEHALF, recorded_by=hr,
                           reason="Signed the paper copy.")  # fmt: skip
    document.refresh_from_db()
    new_draft = draft_start(document=document, author=comms_lead)
    draft_discard(version=new_draft, actor=comms_lead)
    document_retire(document=document, actor=comms_lead, reason="Merged into the code of conduct.")

    lines = [(e.action, e.actor, e.note) for e in Event.objects.filter(document=document).order_by("pk")]
    assert lines == [
        (Action.CREATED, comms_lead, ""),
        (Action.DRAFT_SAVED, comms_lead, ""),
        (Action.SUBMITTED, comms_lead, "To Aileen Approver"),
        (Action.RETURNED, second_comms_lead, "Shorter, please."),
        (Action.DRAFT_SAVED, comms_lead, ""),
        (Action.SUBMITTED, comms_lead, "To Aileen Approver"),
        (Action.PUBLISHED, second_comms_lead, "Version 1.0"),
        (Action.RECORDED, hr, f"Acknowledged on their behalf: {staff} – Signed the paper copy."),
        (Action.DRAFT_STARTED, comms_lead, ""),
        (Action.DRAFT_DISCARDED, comms_lead, ""),
        (Action.RETIRED, comms_lead, "Merged into the code of conduct."),
    ]
    assert Event.objects.get(action=Action.PUBLISHED).version == published
    assert Event.objects.get(action=Action.CREATED).version == draft


def test_the_approver_is_told_once_per_submission_after_it_commits(comms_lead, second_comms_lead, monkeypatch,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    """An in-app notification and an outbox email, sent only once the submission is committed, never twice."""
    document = document_draft(comms_lead, title="Personal accounts", category=Category.POLICY)
    draft = draft_for(document)
    with django_capture_on_commit_callbacks() as callbacks:
        draft_submit(version=draft, actor=comms_lead, approver=second_comms_lead)
    # Until the transaction commits nobody is told: a submission that rolls back sends nothing.
    assert not Notification.objects.exists()
    assert not Message.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    callbacks[0]()  # the same notice run twice is still one notice

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.title, notification.url) == (
        second_comms_lead,
        "policies.approval",
        "Approve Personal accounts",
        "/policies/personal-accounts/draft/",
    )
    message = Message.objects.get()
    assert (message.recipient, message.to_email, message.kind) == (
        second_comms_lead,
        "aileen.approver@glenmorven.gov.uk",
        "policies.approval",
    )
    assert "Personal accounts" in message.subject

    # Returned for changes and sent again later: a new submission, so the approver is told again.
    draft_return(version=draft, actor=second_comms_lead, note="Shorter, please.")
    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        draft_submit(version=draft, actor=comms_lead, approver=second_comms_lead)
    assert Notification.objects.filter(recipient=second_comms_lead).count() == 2
    assert Message.objects.filter(recipient=second_comms_lead, kind="policies.approval").count() == 2
    assert not Notification.objects.exclude(recipient=second_comms_lead).exists()


# --- Retiring ------------------------------------------------------------------------


def test_retiring_discards_open_drafts_and_retires_the_published_version(published_guidance, comms_lead, staff):
    document = published_guidance
    first = document.current_version
    current = publish_new_version(document, change="minor", body=BODY + "\n\nMore.", author=comms_lead)
    draft = draft_start(document=document, author=comms_lead)
    assert owed_by(staff) != []

    document_retire(document=document, actor=comms_lead, reason="Replaced by the new guide.")

    document.refresh_from_db()
    assert document.is_retired
    assert not document.is_published
    assert not DocumentVersion.objects.filter(pk=draft.pk).exists()
    current = fresh(current)
    assert (current.status, current.ended_at is not None) == (Status.RETIRED, True)
    assert fresh(first).status == Status.SUPERSEDED  # the history is kept as it was
    assert numbers(document) == [("1.0", Status.SUPERSEDED), ("1.1", Status.RETIRED)]
    assert owed_by(staff) == []
    event = Event.objects.filter(document=document).latest("pk")
    assert (event.action, event.actor, event.note) == (Action.RETIRED, comms_lead, "Replaced by the new guide.")


def test_a_retired_document_cannot_be_changed_or_retired_again(published_guidance, comms_lead):
    with pytest.raises(PolicyError, match="Say why the document is being retired"):
        document_retire(document=published_guidance, actor=comms_lead, reason="  ")
    assert not Document.objects.get().is_retired
    document_retire(document=published_guidance, actor=comms_lead, reason="Out of date.")
    with pytest.raises(PolicyError, match="This document is already retired"):
        document_retire(document=published_guidance, actor=comms_lead, reason="Again.")
    with pytest.raises(PolicyError, match="Retired documents cannot be changed"):
        draft_start(document=published_guidance, author=comms_lead)


def test_a_document_retired_while_a_draft_was_open_cannot_publish_it(comms_lead):
    """An editor holding a draft of a document someone retired meanwhile cannot bring it back."""
    document = document_create(author=comms_lead, title="Old guide", slug="old-guide", summary="Old.",
                               category=Category.GUIDANCE, owner=comms_lead, body=BODY)  # fmt: skip
    draft = draft_for(document)
    Document.objects.filter(pk=document.pk).update(is_retired=True)
    with pytest.raises(PolicyError, match="Retired documents cannot be published"):
        version_publish(version=draft, actor=comms_lead)
    assert fresh(draft).status == Status.DRAFT
