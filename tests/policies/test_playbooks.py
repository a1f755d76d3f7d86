"""Playbooks: steps written as lines, checked line by line, versioned with the text, approved like policies."""

from __future__ import annotations

import pytest
from django.urls import reverse

from policies.models import Category, Document
from policies.playbooks import MAX_TARGET_MINUTES, Step, StepsError, steps_parse, steps_source
from policies.services import PolicyError, draft_for, draft_save, draft_start, draft_submit, version_publish
from tests.policies.conftest import document_draft, publish_draft

STEPS = """
Tell the platform the account is compromised | Whoever is on call | 15

Revoke every session | Account owner | 20
"""


def test_steps_are_read_line_by_line_in_order():
    assert steps_parse(STEPS) == [
        Step(1, "Tell the platform the account is compromised", "Whoever is on call", 15),
        Step(2, "Revoke every session", "Account owner", 20),
    ]


def test_steps_round_trip_through_the_text_authors_edit():
    steps = [step.as_dict() for step in steps_parse(STEPS)]

    assert [s.as_dict() for s in steps_parse(steps_source(steps))] == steps


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Do it | Me", "Line 1: write the step as"),
        ("Do it | Me | soon", "Line 1: give the target as whole minutes"),
        ("Do it | Me | 0", "Line 1: give the target as whole minutes"),
        (f"Do it | Me | {MAX_TARGET_MINUTES + 1}", "Line 1: give the target as whole minutes"),
        (" | Me | 5", "Line 1: say what to do."),
        ("Fine | Me | 5\n\nDo it |  | 5", "Line 3: say who does it"),
        ("Do | it | now | please", "Line 1: write the step as"),
    ],
)
def test_each_bad_line_is_named(text, problem):
    with pytest.raises(StepsError) as refused:
        steps_parse(text)

    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems


def test_every_problem_is_reported_at_once():
    with pytest.raises(StepsError) as refused:
        steps_parse("a | b\nc | d | x\ne | f | 5")

    assert [p.split(":")[0] for p in refused.value.problems] == ["Line 1", "Line 2"]


def playbook(author, **details) -> Document:
    return document_draft(
        author, title="Account hacked", category=Category.PLAYBOOK, help_question="Our account has been hacked",
        severity="critical", **details,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_playbook_needs_steps_and_an_approver_before_it_is_published(comms_lead, second_comms_lead):
    document = playbook(comms_lead)
    draft = draft_for(document)
    with pytest.raises(PolicyError, match="needs its steps"):
        draft_submit(version=draft, actor=comms_lead, approver=second_comms_lead)

    steps = [s.as_dict() for s in steps_parse(STEPS)]
    draft_save(version=draft, editor=comms_lead, body=draft.body, change="major", what_changed="",
               revision=draft.revision, steps=steps)  # fmt: skip
    with pytest.raises(PolicyError):
        version_publish(version=draft_for(document), actor=comms_lead)  # approval first
    version = publish_draft(document, author=comms_lead, approver=second_comms_lead)

    assert version.steps == steps


@pytest.mark.django_db
def test_a_new_draft_starts_from_the_published_steps_and_those_never_change(comms_lead, second_comms_lead):
    document = playbook(comms_lead, steps=[s.as_dict() for s in steps_parse(STEPS)])
    published = publish_draft(document, author=comms_lead, approver=second_comms_lead)

    draft = draft_start(document=document, author=comms_lead)
    assert draft.steps == published.steps
    draft_save(version=draft, editor=comms_lead, body=draft.body, change="minor", what_changed="",
               revision=draft.revision, steps=[])  # fmt: skip

    published.refresh_from_db()
    assert len(published.steps) == 2


@pytest.mark.django_db
def test_the_draft_page_checks_the_steps_and_keeps_what_was_typed(client, comms_lead):
    document = playbook(comms_lead)
    draft = draft_for(document)
    client.force_login(comms_lead)
    url = reverse("policies:draft", kwargs={"slug": document.slug})

    typed = "Call the platform | On call | soon"
    response = client.post(url, {"body": "Text.", "steps": typed, "revision": draft.revision, "action": "save"})

    assert response.status_code == 400
    assert "Line 1: give the target as whole minutes" in response.content.decode()
    assert response.context["form"]["steps"].value() == typed

    response = client.post(url, {"body": "Text.", "steps": STEPS, "revision": draft.revision, "action": "save"})
    assert response.status_code == 302
    assert [s["instruction"] for s in draft_for(document).steps] == [
        "Tell the platform the account is compromised",
        "Revoke every session",
    ]


@pytest.mark.django_db
def test_other_documents_have_no_steps_field(client, comms_lead):
    document = document_draft(comms_lead, title="House style", category=Category.HOUSE_STYLE)
    client.force_login(comms_lead)

    response = client.get(reverse("policies:draft", kwargs={"slug": document.slug}))

    assert "steps" not in response.context["form"].fields


@pytest.mark.django_db
def test_a_playbook_needs_its_question_and_severity(client, comms_lead):
    client.force_login(comms_lead)

    response = client.post(reverse("policies:create"), {
        "title": "Hacked", "summary": "What to do.", "category": "playbook", "owner": comms_lead.email,
        "is_for_everyone": "on", "acknowledge_within_days": "14", "body": "Text.",
    })  # fmt: skip

    errors = response.context["form"].errors
    assert "help_question" in errors
    assert "severity" in errors


@pytest.mark.django_db
def test_help_now_lists_published_playbooks_most_serious_first(client, staff, comms_lead, second_comms_lead):
    for title, question, severity in [("Viral", "A story is going viral", "high"),
                                      ("Hacked", "Our account has been hacked", "critical"),
                                      ("Away", "The owner is away", "medium")]:  # fmt: skip
        document = document_draft(comms_lead, title=title, category=Category.PLAYBOOK, help_question=question,
                                  severity=severity, steps=[s.as_dict() for s in steps_parse(STEPS)])  # fmt: skip
        publish_draft(document, author=comms_lead, approver=second_comms_lead)
    document_draft(comms_lead, title="Unpublished", category=Category.PLAYBOOK, help_question="Not yet",
                   severity="critical")  # fmt: skip
    client.force_login(staff)

    response = client.get(reverse("policies:help"))

    questions = [v.document.help_question for v in response.context["playbooks"]]
    assert questions == ["Our account has been hacked", "A story is going viral", "The owner is away"]
    page = client.get(reverse("policies:detail", kwargs={"slug": "hacked"})).content.decode()
    assert 'data-testid="steps"' in page
    assert "within 15 minutes" in page
    printed = client.get(reverse("policies:print", kwargs={"slug": "hacked"})).content.decode()
    assert "Revoke every session" in printed


@pytest.mark.django_db
def test_help_now_says_what_to_do_when_there_are_no_playbooks(client, staff):
    client.force_login(staff)

    response = client.get(reverse("policies:help"))

    assert 'data-testid="no-playbooks"' in response.content.decode()
