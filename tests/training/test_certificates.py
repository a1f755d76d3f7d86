"""Certificates: the page, the PDF, who may see them, and checking a number.

Completions are made directly (not through the training services), so these
tests say only what a certificate shows and who sees it.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from socialgov.people.roles import Role
from tests.factories import UserFactory
from training.certificates import certificate_pdf_bytes, completion_by_number, normalise_certificate_number
from training.models import Completion, Course
from training.views import certificates as views

pytestmark = pytest.mark.django_db

NUMBER = "SG-7KQ4-MX2P-9TRW"


def long_date(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def make_completion(person, *, title="Social media at work", number=NUMBER, days_ago=30, expires_in=335):
    """A completion ``days_ago``, expiring ``expires_in`` days from today (None: never; negative: expired)."""
    course = Course.objects.create(
        title=title, slug=title.lower().replace(" ", "-"), summary=f"{title}: what you need to know."
    )
    today = timezone.localdate()
    return Completion.objects.create(
        person=person,
        course=course,
        completed_at=timezone.now() - datetime.timedelta(days=days_ago),
        expires_on=None if expires_in is None else today + datetime.timedelta(days=expires_in),
        certificate_number=number,
    )


@pytest.fixture
def completion(staff):
    return make_completion(staff)


def certificate_url(number: str = NUMBER) -> str:
    return reverse("training:certificate", kwargs={"number": number})


def pdf_url(number: str = NUMBER) -> str:
    return reverse("training:certificate-pdf", kwargs={"number": number})


def verify(client, number: str):
    return client.get(reverse("training:verify"), {"number": number})


# --- Numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [NUMBER, "sg-7kq4-mx2p-9trw", "  SG7KQ4MX2P9TRW ", "7kq4mx2p9trw", "7KQ4-MX2P-9TRW", "sg 7kq4 mx2p 9trw"],
)
def test_a_number_is_found_however_it_is_typed(completion, typed):
    assert normalise_certificate_number(typed) == NUMBER
    assert completion_by_number(typed) == completion


def test_twelve_characters_starting_with_sg_are_not_mistaken_for_the_prefix():
    assert normalise_certificate_number("sgab-cdef-ghjk") == "SG-SGAB-CDEF-GHJK"


@pytest.mark.parametrize("typed", ["", "   ", "SG-7KQ4-MX2P", "SG-7KQ4-MX2P-9TR0", "SG-7KQ4-MX2P-9TRWX", "hello"])
def test_text_that_cannot_be_a_number_finds_nothing_without_asking_the_database(
    completion, typed, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert completion_by_number(typed) is None


def test_a_well_formed_number_nobody_has_finds_nothing(completion):
    assert completion_by_number("SG-2222-3333-4444") is None


# --- The certificate page ------------------------------------------------------------------


def test_the_certificate_page_shows_who_completed_what_and_when(client, staff, completion, settings):
    settings.SITE_URL = "https://socialgov.glenmorven.gov.uk"
    client.force_login(staff)
    response = client.get(certificate_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sandy Staff" in html
    assert "Social media at work" in html
    assert NUMBER in html
    assert settings.ORGANISATION_NAME in html
    assert long_date(timezone.localdate(completion.completed_at)) in html
    assert "Valid until" in html
    assert long_date(completion.expires_on) in html
    assert "Check this certificate at" in html
    assert "https://socialgov.glenmorven.gov.uk/training/certificates/verify/" in html
    assert f'href="{pdf_url()}"' in html
    assert "Download as PDF" in html
    assert response.context["breadcrumbs"][-1] == (f"Certificate {NUMBER}", None)


def test_a_certificate_without_expiry_and_an_expired_one_say_so(client, staff):
    make_completion(staff, title="Writing for the web", number="SG-AAAA-BBBB-CCCC", expires_in=None)
    expired = make_completion(staff, title="Online safety", number="SG-DDDD-EEEE-FFFF", days_ago=400, expires_in=-35)
    client.force_login(staff)
    never = client.get(certificate_url("SG-AAAA-BBBB-CCCC")).content.decode()
    assert "Valid until" not in never
    assert "Expired" not in never
    old = client.get(certificate_url("SG-DDDD-EEEE-FFFF")).content.decode()
    assert "Expired on" in old
    assert long_date(expired.expires_on) in old
    assert "Valid until" not in old


def test_the_address_accepts_the_number_typed_loosely(client, staff, completion):
    client.force_login(staff)
    assert client.get(certificate_url("sg7kq4mx2p9trw")).status_code == 200


def test_text_in_a_certificate_is_escaped(client, staff):
    staff.first_name = "<script>alert(1)</script>"
    staff.save(update_fields=["first_name"])
    make_completion(staff, title="Tags & <b>bold</b> claims")
    client.force_login(staff)
    html = client.get(certificate_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html


# --- The PDF -------------------------------------------------------------------------------


def test_the_pdf_is_a_real_pdf_shown_inline_with_a_file_name(client, staff, completion):
    client.force_login(staff)
    response = client.get(pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="certificate-{NUMBER}.pdf"'
    body = response.content
    assert body.startswith(b"%PDF-")
    assert len(body) > 1000
    assert body.rstrip().endswith(b"%%EOF")


def test_the_pdf_of_an_expired_certificate_renders_too(staff):
    expired = make_completion(staff, days_ago=400, expires_in=-35)
    body = certificate_pdf_bytes(expired)
    assert body.startswith(b"%PDF-")
    assert len(body) > 1000


def test_the_pdf_fetches_nothing(staff, monkeypatch):
    """Text in the certificate is escaped; and even if a URL got in, WeasyPrint's fetcher refuses it."""
    from training import certificates

    with pytest.raises(ValueError, match="without fetching"):
        certificates._refuse_fetch("http://127.0.0.1:9/tracker.png")

    calls = []

    def refuse(url, *args, **kwargs):
        calls.append(url)
        raise ValueError(url)

    monkeypatch.setattr(certificates, "_refuse_fetch", refuse)
    staff.first_name = '<img src="http://127.0.0.1:9/tracker.png">'
    staff.save(update_fields=["first_name"])
    assert certificate_pdf_bytes(make_completion(staff)).startswith(b"%PDF-")
    assert calls == []


# --- Who may see a certificate -------------------------------------------------------------


def test_the_access_rule_is_declared_on_the_views():
    for view in (views.certificate, views.certificate_pdf):
        assert view.access_roles == frozenset({Role.HR, Role.ADMINISTRATOR, Role.COMMS_LEAD})
        assert view.access_managers is True
    assert not hasattr(views.verify, "access_roles")


@pytest.fixture
def team():
    """A person, their line manager, and the manager's manager."""
    director = UserFactory(first_name="Dana", last_name="Director")
    manager = UserFactory(first_name="Mo", last_name="Manager", line_manager=director)
    person = UserFactory(first_name="Pat", last_name="Person", line_manager=manager)
    return {"person": person, "manager": manager, "director": director}


@pytest.mark.parametrize("viewer", ["person", "manager", "director", "hr", "administrator", "comms_lead"])
def test_the_person_anyone_above_them_hr_administrators_and_comms_leads_see_a_certificate(
    client, team, hr, administrator, comms_lead, viewer
):
    make_completion(team["person"])
    people = team | {"hr": hr, "administrator": administrator, "comms_lead": comms_lead}
    client.force_login(people[viewer])
    page = client.get(certificate_url())
    assert page.status_code == 200
    assert "Pat Person" in page.content.decode()
    assert client.get(pdf_url()).status_code == 200


@pytest.mark.parametrize("viewer", ["colleague", "report", "incident_lead"])
def test_anyone_else_is_told_the_certificate_does_not_exist(client, team, incident_lead, viewer):
    make_completion(team["person"])
    others = {
        "colleague": UserFactory(line_manager=team["manager"]),  # same manager: a peer, not above
        "report": UserFactory(),  # someone unrelated
        "incident_lead": incident_lead,
    }
    client.force_login(others[viewer])
    for url in (certificate_url(), pdf_url()):
        response = client.get(url)
        assert response.status_code == 404
        assert "Pat Person" not in response.content.decode()


def test_a_number_nobody_has_is_not_found(client, staff):
    client.force_login(staff)
    assert client.get(certificate_url("SG-2222-3333-4444")).status_code == 404
    assert client.get(pdf_url("not-a-number")).status_code == 404


def test_signing_in_is_needed(client, completion):
    for url in (certificate_url(), pdf_url(), reverse("training:verify")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_second_factor_is_needed_to_see_someone_else_s_certificate_through_a_role(client, staff, completion):
    """HR without an authenticator app is sent to set one up, like every page HR reaches through the role."""
    hr_without_mfa = UserFactory(roles=[Role.HR])
    client.force_login(hr_without_mfa)
    response = client.get(certificate_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


# --- Query count ---------------------------------------------------------------------------


def test_the_certificate_page_runs_a_fixed_number_of_queries(client, staff, completion, django_assert_num_queries):
    other = make_completion(
        staff, title="Handling complaints online", number="SG-HHHH-JJJJ-KKKK", days_ago=400, expires_in=-1
    )
    client.force_login(staff)
    client.get(certificate_url())  # warm the session and caches
    with CaptureQueriesContext(connection) as first:
        assert client.get(certificate_url()).status_code == 200
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(certificate_url(other.certificate_number)).status_code == 200


# --- Checking a number ---------------------------------------------------------------------


def test_the_verify_page_starts_with_an_empty_form(client, staff):
    client.force_login(staff)
    response = client.get(reverse("training:verify"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Certificate number" in html
    assert "There is a problem" not in html
    assert 'data-testid="result"' not in html


def test_a_valid_number_typed_in_lower_case_without_dashes_is_valid(client, hr, staff, completion):
    client.force_login(hr)
    response = verify(client, "sg7kq4mx2p9trw")
    assert response.status_code == 200
    html = response.content.decode()
    completed = long_date(timezone.localdate(completion.completed_at))
    assert (
        f"Valid: Sandy Staff completed Social media at work on {completed}, "
        f"valid until {long_date(completion.expires_on)}"
    ) in html
    assert 'value="sg7kq4mx2p9trw"' in html
    assert "There is a problem" not in html


def test_anyone_signed_in_may_check_a_number(client, completion):
    client.force_login(UserFactory())
    assert "Valid: Sandy Staff" in verify(client, NUMBER).content.decode()


def test_a_certificate_that_never_expires_is_valid_without_an_end_date(client, staff):
    make_completion(staff, expires_in=None)
    client.force_login(staff)
    html = verify(client, NUMBER).content.decode()
    assert "Valid: Sandy Staff completed Social media at work on" in html
    assert "valid until" not in html


def test_an_unknown_number_is_explained_and_what_was_typed_is_kept(client, staff, completion):
    client.force_login(staff)
    response = verify(client, "sg-2222 3333-4444")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "No certificate has the number SG-2222-3333-4444: check it and try again" in html
    assert 'href="#id_number"' in html  # the summary links to the field
    assert 'id="id_number-error"' in html
    assert 'value="sg-2222 3333-4444"' in html
    assert 'data-testid="result"' not in html
    assert "Sandy Staff" not in html


def test_text_that_is_not_a_number_is_echoed_as_typed_but_escaped(client, staff):
    client.force_login(staff)
    html = verify(client, " <b>nope</b> ").content.decode()
    assert "No certificate has the number &lt;B&gt;NOPE&lt;/B&gt;: check it and try again" in html
    assert "<b>nope</b>" not in html


def test_an_empty_number_asks_for_one(client, staff):
    client.force_login(staff)
    for typed in ("", "   "):
        response = verify(client, typed)
        assert response.status_code == 200
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Enter a certificate number" in html


def test_an_expired_certificate_says_when_it_expired(client, staff):
    expired = make_completion(staff, days_ago=400, expires_in=-35)
    client.force_login(staff)
    html = verify(client, NUMBER).content.decode()
    assert "Valid:" not in html
    assert f"expired on {long_date(expired.expires_on)}" in html


def test_a_certificate_expiring_today_has_expired(client, staff):
    make_completion(staff, days_ago=365, expires_in=0)
    client.force_login(staff)
    assert "expired on" in verify(client, NUMBER).content.decode()
