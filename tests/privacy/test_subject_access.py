"""Subject access: everything about a person, from every app, in a fixed number of queries, with no secrets."""

import json

from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialgov.privacy.subject_access import GROUPS, for_display, subject_access
from socialgov.rota.models import CalendarFeed
from tests.factories import UserFactory
from tests.privacy.conftest import give_records

# One a part of the export (and one for the person with their department and line manager).
QUERIES = 31


def queries_for(person) -> int:
    with CaptureQueriesContext(connection) as captured:
        subject_access(person)
    return len(captured)


def test_it_gathers_records_from_every_app(db, staff, manager):
    give_records(staff)
    data = subject_access(staff)
    assert data["profile"]["email"] == "staff@glenmorven.gov.uk"
    assert data["profile"]["line_manager"] == "Morag Manager <manager@glenmorven.gov.uk>"
    assert data["profile"]["department"] == "Tenancy team"
    for group, parts in {
        "sign_in": ["email_addresses", "single_sign_on", "signed_in_devices"],
        "training": ["assignments", "completions", "lessons_read", "support_assessments", "licences", "quiz_attempts"],
        "policies": ["acknowledgements"],
        "notifications": ["notifications", "emails", "preferences"],
        "rota": ["shifts", "swaps", "on_call_phone", "calendar_link"],
        "channels": ["accounts_owned", "access_requests", "access_grants", "absences"],
        "abuse": ["reports"],
        "incidents": ["incidents", "pages_sent_to_you"],
    }.items():
        for part in parts:
            assert data[group][part], f"{group}.{part} is empty"
    assert data["training"]["assignments"][0]["assigned_by"].startswith("Colin Colleague")
    assert data["abuse"]["reports"][0]["what_happened"] == "Threats after the meeting"
    assert data["channels"]["access_requests"][0]["reason"] == "I run the events page"


def test_it_holds_no_one_elses_records(db, staff, manager):
    give_records(manager)
    data = subject_access(staff)
    assert data["training"]["assignments"] == []
    assert data["abuse"]["reports"] == []
    assert data["incidents"]["incidents"] == []


def test_it_never_includes_password_token_or_authenticator_secrets(db, hr):
    give_records(hr)
    secret = Authenticator.objects.get(user=hr, type="totp").data["secret"]
    text = json.dumps(subject_access(hr), default=str)
    assert hr.password not in text
    assert secret not in text
    assert CalendarFeed.objects.get(person=hr).token_hash not in text
    assert "0" * 63 not in text, "page link token hashes stay out"
    for word in ("password", "secret", "token_hash", "recovery"):
        assert word not in text.lower(), word


def test_the_query_count_does_not_grow_with_the_records(db):
    few, many = UserFactory(), UserFactory()
    colleague = UserFactory()
    give_records(few, times=1, colleague=colleague)
    give_records(many, times=6, colleague=colleague)
    assert queries_for(few) == queries_for(many) == QUERIES
    # Evidence is fetched only when there are reports to fetch it for.
    assert queries_for(UserFactory()) <= QUERIES


def test_the_page_layout_shows_every_group(db, staff):
    give_records(staff)
    shown = for_display(subject_access(staff))
    assert [group["title"] for group in shown["groups"]] == [title for title, _ in GROUPS.values()]
    training = next(group for group in shown["groups"] if group["key"] == "training")
    assignments = next(part for part in training["parts"] if part["title"] == "Assignments")
    assert assignments["headings"][0] == "Course"
    assert ("Public facing", "No") in shown["profile"]
