"""Handling a report: HR wellbeing gives it to a comms lead, either moves it on, and either opens an incident."""

from __future__ import annotations

import pytest
from django.urls import reverse

from incidents.models import Incident
from socialgov.abuse.models import AbuseReport
from socialgov.abuse.services import AbuseReportError, report_assign, report_escalate, report_status_set
from socialgov.notifications.models import Message
from socialgov.people.roles import Role
from tests.abuse.conftest import WHAT_HAPPENED, make_report, png, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_hr_wellbeing_gives_a_report_to_a_comms_lead_who_is_told_once(
    client, staff, wellbeing, comms_lead, django_capture_on_commit_callbacks
):
    report = make_report(staff)
    client.force_login(wellbeing)
    url = reverse("abuse:assign", kwargs={"pk": report.pk})
    assert comms_lead in client.get(url).context["form"].fields["comms_lead"].queryset

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comms_lead": comms_lead.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comms_lead": comms_lead.pk})  # the same choice again tells nobody again

    report.refresh_from_db()
    assert response.url == reverse("abuse:detail", kwargs={"pk": report.pk})
    assert (report.assigned_to, report.status) == (comms_lead, AbuseReport.Status.IN_HAND)
    told = Message.objects.filter(kind="abuse.assigned")
    assert list(told.values_list("to_email", flat=True)) == [comms_lead.email]
    assert WHAT_HAPPENED not in told.get().body_text
    assert report.history.latest().history_user == wellbeing


def test_a_report_given_to_someone_else_tells_them_and_is_no_longer_seen_by_the_first(
    client, report, second_comms_lead, comms_lead, wellbeing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_assign(report=report, comms_lead=second_comms_lead, by=wellbeing)

    assert Message.objects.filter(kind="abuse.assigned", to_email=second_comms_lead.email).count() == 1
    client.force_login(comms_lead)
    assert client.get(reverse("abuse:detail", kwargs={"pk": report.pk})).status_code == 404


def test_only_an_active_comms_lead_other_than_the_reporter_can_be_given_a_report(staff, comms_lead, hr):
    report = make_report(staff)
    with pytest.raises(AbuseReportError, match="is not a comms lead"):
        report_assign(report=report, comms_lead=hr)
    reporting_lead = make_report(comms_lead)
    with pytest.raises(AbuseReportError, match="made this report"):
        report_assign(report=reporting_lead, comms_lead=comms_lead)
    leaver = UserFactory(roles=[Role.COMMS_LEAD], is_active=False)
    with pytest.raises(AbuseReportError, match="is not a comms lead"):
        report_assign(report=report, comms_lead=leaver)


def test_the_assign_form_offers_only_comms_leads(client, staff, wellbeing, comms_lead, hr):
    report = make_report(staff)
    client.force_login(wellbeing)

    response = client.post(reverse("abuse:assign", kwargs={"pk": report.pk}), {"comms_lead": hr.pk})

    assert response.status_code == 400
    assert response.context["form"].errors["comms_lead"] == ["Choose a comms lead from the list"]


@pytest.mark.parametrize("who", ["staff", "comms_lead"])
def test_only_hr_wellbeing_gives_reports_out(client, personas, report, who):
    client.force_login(personas[who])

    assert client.get(reverse("abuse:assign", kwargs={"pk": report.pk})).status_code == 403


@pytest.mark.parametrize("who", ["comms_lead", "wellbeing"])
def test_the_assigned_comms_lead_and_hr_wellbeing_change_the_status(client, personas, report, who):
    client.force_login(personas[who])
    url = reverse("abuse:status", kwargs={"pk": report.pk})

    refused = client.post(url, {"status": "closed", "note": ""})
    closed = client.post(url, {"status": "closed", "note": "Facebook removed the post and banned the account."})

    assert refused.status_code == 400
    assert refused.context["form"].errors["note"] == ["Say what was done before closing the report"]
    assert closed.status_code == 302
    report.refresh_from_db()
    assert report.is_closed
    assert report.closed_at is not None
    assert report.closed_note == "Facebook removed the post and banned the account."


def test_the_reporter_reads_the_closing_note_but_cannot_change_the_status(client, report, staff, wellbeing):
    report_status_set(report=report, status="closed", note="The post was removed.", by=wellbeing)
    client.force_login(staff)

    page = client.get(reverse("abuse:detail", kwargs={"pk": report.pk})).content.decode()

    assert "The post was removed." in page
    assert client.get(reverse("abuse:status", kwargs={"pk": report.pk})).status_code == 403


def test_reopening_clears_the_close(report, wellbeing):
    report_status_set(report=report, status="closed", note="Done.", by=wellbeing)

    report_status_set(report=report, status="in_hand", by=wellbeing)

    report.refresh_from_db()
    assert (report.status, report.closed_at, report.closed_note) == ("in_hand", None, "")


def test_the_report_page_tells_what_has_happened(client, report, staff, wellbeing, comms_lead):
    report_status_set(report=report, status="closed", note="Done.", by=comms_lead)
    client.force_login(wellbeing)

    events = [text for _, text, _ in client.get(reverse("abuse:detail", kwargs={"pk": report.pk})).context["events"]]

    assert events == ["Report made", f"Given to {comms_lead}", "Status: In hand", "Status: Closed"]


@pytest.mark.parametrize("who", ["comms_lead", "wellbeing"])
def test_an_incident_is_opened_from_a_report_without_its_personal_details(client, personas, report, staff, who):
    client.force_login(personas[who])

    response = client.post(reverse("abuse:incident", kwargs={"pk": report.pk}), {"severity": "high"})

    incident = Incident.objects.get()
    assert response.url == reverse("incidents:detail", kwargs={"pk": incident.pk})
    report.refresh_from_db()
    assert report.incident == incident
    assert (incident.title, incident.severity, incident.opened_by) == (
        "Abuse of a member of staff on Facebook", "high", personas[who])  # fmt: skip
    written = " ".join([incident.title, *incident.timeline.values_list("text", flat=True)])
    for personal in (WHAT_HAPPENED, staff.get_full_name(), staff.email, "glenmorvenvoice", report.how_it_affects):
        assert personal not in written


def test_a_report_has_one_incident_at_most(report, comms_lead):
    report_escalate(report=report, by=comms_lead, severity="medium")

    with pytest.raises(AbuseReportError, match="already open"):
        report_escalate(report=report, by=comms_lead, severity="medium")
    assert Incident.objects.count() == 1


def test_the_platform_reads_naturally_in_the_incident_title(staff, wellbeing):
    report = make_report(staff, platform="messaging")

    title = report_escalate(report=report, by=wellbeing, severity="low").title

    assert title == "Abuse of a member of staff on a messaging app"


def test_the_reporter_cannot_open_an_incident_from_the_report(client, report, staff):
    client.force_login(staff)

    assert client.post(reverse("abuse:incident", kwargs={"pk": report.pk}), {"severity": "high"}).status_code == 403
    assert not Incident.objects.exists()


def test_the_reporter_adds_evidence_up_to_the_limit(client, report, staff):
    client.force_login(staff)
    url = reverse("abuse:evidence-new", kwargs={"pk": report.pk})

    added = client.post(url, {"files": [png(f"more-{n}.png") for n in range(9)]})
    too_many = client.post(url, {"files": [png("one-more.png")]})

    assert added.status_code == 302
    assert report.evidence.count() == 10
    assert too_many.status_code == 400
    assert "A report can have up to 10 files and this one already has 10" in too_many.content.decode()


def test_refused_evidence_names_the_file(client, report, staff):
    client.force_login(staff)

    response = client.post(
        reverse("abuse:evidence-new", kwargs={"pk": report.pk}),
        {"files": [upload("page.png", b"<html></html>"), png("ok.png")]},
    )

    assert response.status_code == 400
    assert "“page.png” is not a screenshot" in response.content.decode()
    assert response.context["choose_again"] == ["ok.png"]
    assert report.evidence.count() == 1


def test_a_closed_report_takes_no_more_evidence(client, report, staff, wellbeing):
    report_status_set(report=report, status="closed", note="Done.", by=wellbeing)
    client.force_login(staff)

    response = client.post(reverse("abuse:evidence-new", kwargs={"pk": report.pk}), {"files": [png()]})

    assert response.status_code == 302
    assert report.evidence.count() == 1
