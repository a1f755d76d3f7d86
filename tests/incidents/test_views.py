"""Incident pages: open from a playbook, run the checklist, keep it from people it does not concern."""

from __future__ import annotations

import pytest
from django.urls import reverse

from incidents.models import Incident
from incidents.services import incident_open
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anyone_can_open_an_incident_from_a_playbook(
    client, staff, ladder, playbook, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    form = client.get(reverse("incidents:new"), {"playbook": playbook.pk})
    assert form.context["form"]["playbook"].value() == playbook.pk

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("incidents:new"), {"playbook": playbook.pk})

    incident = Incident.objects.get()
    assert response.url == reverse("incidents:detail", kwargs={"pk": incident.pk})
    assert incident.ladder == [person.pk for person in ladder]
    assert [s.instruction for s in incident.steps.all()] == [
        "Tell the platform the account is compromised",
        "Revoke every session",
    ]
    assert incident.pages.get().recipient == ladder[0]  # paged at once
    page = client.get(response.url)
    assert 'data-testid="on-call-now"' in page.content.decode()


def test_without_a_playbook_it_needs_a_title_and_a_severity(client, staff):
    client.force_login(staff)

    response = client.post(reverse("incidents:new"), {"title": "", "severity": ""})

    assert set(response.context["form"].errors) == {"title", "severity"}
    assert not Incident.objects.exists()


def test_the_checklist_is_run_from_the_page_and_written_to_the_timeline(client, staff, ladder, playbook):
    incident = incident_open(opened_by=staff, playbook=playbook)
    primary = ladder[0]
    client.force_login(primary)
    url = reverse("incidents:action", kwargs={"pk": incident.pk})
    step = incident.steps.get(order=1)

    client.post(url, {"action": "acknowledge"})
    client.post(url, {"action": "take", "step": step.pk})
    client.post(url, {"action": "done", "step": step.pk, "note": "Ticket 4471 with X support"})
    client.post(
        reverse("incidents:detail", kwargs={"pk": incident.pk}), {"form": "note", "text": "Holding message drafted."}
    )

    step.refresh_from_db()
    assert (step.owner, step.done_by) == (primary, primary)
    texts = [entry.text for entry in incident.timeline.all()]
    assert any("Acknowledged the incident" in t for t in texts)
    assert any("Done: step 1" in t and "Ticket 4471" in t for t in texts)
    assert texts[-1] == "Holding message drafted."


def test_an_empty_note_is_refused_with_a_message(client, staff, ladder, playbook):
    incident = incident_open(opened_by=staff, playbook=playbook)
    client.force_login(staff)

    response = client.post(reverse("incidents:detail", kwargs={"pk": incident.pk}), {"form": "note", "text": ""})

    assert response.status_code == 400
    assert "Write the note before adding it" in response.content.decode()


def test_people_it_does_not_concern_cannot_see_it(client, staff, ladder, playbook, comms_lead):
    incident = incident_open(opened_by=staff, playbook=playbook)
    url = reverse("incidents:detail", kwargs={"pk": incident.pk})

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert incident not in client.get(reverse("incidents:list")).context["open"]
    for person in (staff, ladder[1], comms_lead):
        client.force_login(person)
        assert client.get(url).status_code == 200


def test_the_acknowledge_link_asks_for_one_click_and_refuses_anyone_else(client, staff, ladder, playbook, monkeypatch):
    monkeypatch.setattr("incidents.escalation.secrets.token_urlsafe", lambda n: "the-token")
    from incidents.escalation import escalations_run

    incident = incident_open(opened_by=staff, playbook=playbook)
    escalations_run(incident.opened_at)
    url = reverse("incidents:acknowledge-link", kwargs={"token": "the-token"})

    client.force_login(ladder[1])
    assert client.get(url).status_code == 200  # opening the link changes nothing
    response = client.post(url)
    assert response.status_code == 403
    assert "This link was sent to Priya Primary" in response.content.decode()

    client.force_login(ladder[0])
    response = client.post(url)
    assert response.url == reverse("incidents:detail", kwargs={"pk": incident.pk})
    incident.refresh_from_db()
    assert incident.acknowledged_by == ladder[0]


def test_an_incident_closes_only_after_its_review_actions_and_breach_are_settled(
    client, staff, ladder, playbook, comms_lead
):
    incident = incident_open(opened_by=staff, playbook=playbook)
    client.force_login(comms_lead)
    page = reverse("incidents:detail", kwargs={"pk": incident.pk})
    act = reverse("incidents:action", kwargs={"pk": incident.pk})

    client.post(act, {"action": "breach"})
    response = client.post(page, {"form": "action_add", "description": "Turn on 2FA everywhere",
                                  "owner": "nobody@example.org", "due_on": "2026-12-31"})  # fmt: skip
    assert response.status_code == 400
    assert "Nobody with the email address nobody@example.org" in response.content.decode()
    assert response.context["forms"]["action_add"]["description"].value() == "Turn on 2FA everywhere"

    client.post(page, {"form": "action_add", "description": "Turn on 2FA everywhere", "owner": staff.email,
                       "due_on": "2026-12-31"})  # fmt: skip
    response = client.post(act, {"action": "close"}, follow=True)
    text = response.content.decode()
    assert "cannot close yet" in text
    incident.refresh_from_db()
    assert incident.is_open
    blockers = response.context["blockers"]
    assert len(blockers) == 3  # review, the action, the breach

    client.post(page, {"form": "review", "what_happened": "Phished password.", "what_worked": "The playbook."})
    action = incident.actions.get()
    response = client.post(act, {"action": "action_not_doing", "review_action": action.pk, "reason": ""}, follow=True)
    assert "Say why the action is not being done" in response.content.decode()
    client.post(act, {"action": "action_done", "review_action": action.pk})
    response = client.post(page, {"form": "breach_outcome", "outcome": "not_reportable", "note": ""})
    assert response.status_code == 400
    client.post(page, {"form": "breach_outcome", "outcome": "not_reportable", "note": "No personal data was seen."})
    client.post(act, {"action": "close"})

    incident.refresh_from_db()
    assert not incident.is_open
    assert incident.timeline.last().text == "Closed the incident."


def test_the_affected_account_is_chosen_from_the_register(client, staff, ladder, playbook, comms_lead):
    from tests.channels.conftest import make_account

    account = make_account(owners=[comms_lead], by=comms_lead)
    client.force_login(staff)

    client.post(reverse("incidents:new"), {"playbook": playbook.pk, "account": account.pk})

    incident = Incident.objects.get()
    assert incident.account == account
    assert f"Account affected: {account}." in incident.timeline.first().text
    page = client.get(reverse("incidents:detail", kwargs={"pk": incident.pk})).content.decode()
    assert 'data-testid="account"' in page
