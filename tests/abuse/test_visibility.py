"""A report is seen by the person who made it, the comms lead it was given to and HR wellbeing; everyone else
gets "not found", for the report and for its evidence."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socialgov.abuse.models import AbuseReport
from socialgov.people.roles import Role
from tests.abuse.conftest import make_report, png
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEES_IT = ["staff", "comms_lead", "wellbeing"]
NOT_FOUND = ["colleague", "manager", "hr", "other_comms_lead", "incident_lead", "administrator"]


@pytest.fixture
def people(personas, second_comms_lead):
    """Everyone who might try: the personas, a colleague in the same team, and a comms lead it was not given to."""
    colleague = UserFactory(department=personas["staff"].department, line_manager=personas["manager"])
    return personas | {"colleague": colleague, "other_comms_lead": second_comms_lead}


def _urls(report):
    evidence = report.evidence.get()
    return [
        reverse("abuse:detail", kwargs={"pk": report.pk}),
        reverse("abuse:submitted", kwargs={"pk": report.pk}),
        reverse("abuse:evidence-new", kwargs={"pk": report.pk}),
        reverse("abuse:evidence", kwargs={"pk": report.pk, "evidence": evidence.uuid}),
    ]


@pytest.mark.parametrize("who", SEES_IT)
def test_the_reporter_the_assigned_comms_lead_and_hr_wellbeing_see_it(client, people, report, who):
    client.force_login(people[who])

    for url in _urls(report):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", NOT_FOUND)
def test_everyone_else_gets_not_found_for_the_report_and_its_evidence(client, people, report, who):
    client.force_login(people[who])

    for url in _urls(report):
        response = client.get(url)
        assert response.status_code == 404, url
        assert report.what_happened not in response.content.decode()


def test_an_administrator_who_also_holds_hr_wellbeing_sees_it(client, report, administrator):
    administrator.groups.add(*administrator.groups.model.objects.filter(name=Role.WELLBEING))
    client.force_login(administrator)

    assert client.get(reverse("abuse:detail", kwargs={"pk": report.pk})).status_code == 200


def test_a_comms_lead_who_loses_the_role_no_longer_sees_the_report_given_to_them(client, report, comms_lead):
    from socialgov.people.services import person_set_roles

    person_set_roles(person=comms_lead, roles=[])
    client.force_login(comms_lead)

    assert client.get(reverse("abuse:detail", kwargs={"pk": report.pk})).status_code == 404


def test_a_report_that_does_not_exist_looks_the_same_as_one_you_may_not_see(client, hr, report):
    client.force_login(hr)

    assert client.get(reverse("abuse:detail", kwargs={"pk": report.pk + 1000})).status_code == 404
    assert client.get(reverse("abuse:detail", kwargs={"pk": report.pk})).status_code == 404


def test_evidence_of_another_report_is_not_found_through_mine(client, staff, manager, report):
    mine = make_report(manager, files=[png("mine.png")])
    client.force_login(manager)
    theirs = report.evidence.get()

    url = reverse("abuse:evidence", kwargs={"pk": mine.pk, "evidence": theirs.uuid})

    assert client.get(url).status_code == 404


def test_evidence_is_always_a_download_of_what_was_uploaded(client, staff, report):
    client.force_login(staff)
    evidence = report.evidence.get()

    response = client.get(reverse("abuse:evidence", kwargs={"pk": report.pk, "evidence": evidence.uuid}))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="screenshot.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == evidence.file.open("rb").read()


def test_evidence_is_never_on_a_public_media_url(client, staff, report):
    evidence = report.evidence.get()
    client.force_login(staff)

    for prefix in ("/media/", "/"):
        assert client.get(prefix + evidence.file.name).status_code == 404


def test_the_reporter_sees_their_own_report_without_an_authenticator(client, second_comms_lead, wellbeing):
    """Someone who reports abuse follows it at once, whatever roles they hold."""
    reporter = UserFactory(roles=[Role.COMMS_LEAD, Role.WELLBEING])
    report = make_report(reporter)
    client.force_login(reporter)

    assert client.get(reverse("abuse:detail", kwargs={"pk": report.pk})).status_code == 200


def test_hr_wellbeing_without_an_authenticator_must_set_one_up(client, report, settings):
    settings.MFA_REQUIRED_FOR_ROLES = True
    unprotected = UserFactory(roles=[Role.WELLBEING])
    client.force_login(unprotected)

    for url in (reverse("abuse:detail", kwargs={"pk": report.pk}), reverse("abuse:triage")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("mfa_activate_totp"))


def test_my_reports_and_the_triage_list_show_nothing_of_other_peoples_reports(client, manager, report):
    client.force_login(manager)

    assert client.get(reverse("abuse:mine")).context["reports"].count() == 0
    assert client.get(reverse("abuse:triage")).status_code == 403
    assert client.get(reverse("abuse:assigned")).status_code == 403


def test_the_triage_list_is_every_report_newest_first_with_a_status_filter(
    client, wellbeing, staff, manager, comms_lead, django_assert_max_num_queries
):
    first = make_report(staff)
    second = make_report(manager)
    third = make_report(staff)
    from socialgov.abuse.services import report_status_set

    report_status_set(report=second, status="closed", note="Reported to Facebook; the post was removed.")
    client.force_login(wellbeing)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("abuse:triage"))
    assert [r.pk for r in response.context["page"]] == [third.pk, first.pk]
    closed = client.get(reverse("abuse:triage"), {"status": "closed"})
    assert [r.pk for r in closed.context["page"]] == [second.pk]
    every = client.get(reverse("abuse:triage"), {"status": "all"})
    assert [r.pk for r in every.context["page"]] == [third.pk, second.pk, first.pk]
    assert [r.pk for r in client.get(reverse("abuse:triage"), {"status": "nonsense"}).context["page"]] == [
        third.pk, first.pk]  # fmt: skip


def test_the_triage_list_is_paged_in_a_fixed_number_of_queries(client, wellbeing, staff, django_assert_max_num_queries):
    for _ in range(30):
        make_report(staff, files=[png()])
    client.force_login(wellbeing)

    with django_assert_max_num_queries(12):
        first_page = client.get(reverse("abuse:triage"))
    second_page = client.get(reverse("abuse:triage"), {"page": 2})

    assert len(first_page.context["page"]) == 25
    assert len(second_page.context["page"]) == 5
    assert 'aria-label="Page 2"' in first_page.content.decode()
    assert first_page.context["page"][0].evidence_count == 1


def test_a_comms_lead_sees_the_reports_given_to_them(client, report, comms_lead, second_comms_lead, staff):
    make_report(staff)  # not given to anyone
    client.force_login(comms_lead)

    response = client.get(reverse("abuse:assigned"))

    assert [r.pk for r in response.context["open"]] == [report.pk]
    client.force_login(second_comms_lead)
    assert client.get(reverse("abuse:assigned")).context["open"] == []


def test_only_the_reporter_is_shown_the_support_on_the_report_page(client, report, staff, wellbeing):
    url = reverse("abuse:detail", kwargs={"pk": report.pk})
    client.force_login(staff)
    assert 'data-testid="support"' in client.get(url).content.decode()

    client.force_login(wellbeing)
    page = client.get(url).content.decode()
    assert 'data-testid="support"' not in page
    assert report.what_happened in page
    assert AbuseReport.objects.count() == 1
