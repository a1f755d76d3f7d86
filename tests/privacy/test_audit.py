"""The audit of compliance records: merged sources, keyset pages, filters, bad input and the CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from socialgov.privacy.audit import SOURCES, Cursor, Filters, audit_entries, audit_page
from tests.factories import AcknowledgementFactory, AssignmentFactory, CompletionFactory, LicenceFactory, UserFactory
from training.models import Assignment

URL = reverse("privacy:audit")


def exempt(assignment: Assignment, *, by, reason: str) -> None:
    """Change an assignment as the exemption page does, with who did it kept in its history."""
    assignment._history_user = by
    assignment.status = Assignment.Status.EXEMPT
    assignment.reason = reason
    assignment.closed_by = by
    assignment.save()


@pytest.fixture
def records(staff, hr):
    """One of every kind of entry, about ``staff``."""
    assignment = AssignmentFactory(person=staff)
    exempt(assignment, by=hr, reason="On long-term leave")
    CompletionFactory(person=staff)
    LicenceFactory(person=staff)
    AcknowledgementFactory(person=staff)
    return assignment


def test_it_merges_every_source_newest_first(db, records):
    entries = audit_page(Filters()).entries
    assert {entry.record_type for entry in entries} == {"Assignment", "Completion", "Licence", "Acknowledgement"}
    assert [entry.at for entry in entries] == sorted((entry.at for entry in entries), reverse=True)


def test_a_change_says_what_changed_who_changed_it_and_why(db, records, hr):
    change = next(entry for entry in audit_page(Filters()).entries if entry.action == "Changed")
    assert "Status: To do → Exempt" in change.changes
    assert change.changed_by == f"{hr.get_full_name()} ({hr.email})"
    assert change.reason == "On long-term leave"
    created = next(
        entry for entry in audit_page(Filters(record_type="assignment")).entries if entry.action == "Created"
    )
    assert created.changed_by == "The system"


def test_pages_walk_every_entry_once_both_ways(db, staff):
    for _ in range(4):
        AssignmentFactory(person=staff)
        CompletionFactory(person=staff)
    # Some at exactly the same moment, so ties are broken by source and id.
    moment = timezone.now()
    for _ in range(3):
        CompletionFactory(person=staff, completed_at=moment)
    everything = list(audit_entries(Filters(), chunk=100))
    assert len(everything) == 11

    pages, cursor = [], None
    while True:
        page = audit_page(Filters(), before=cursor, size=3)
        pages.append(page)
        if page.older is None:
            break
        cursor = page.older
    walked = [entry for page in pages for entry in page.entries]
    assert [(e.rank, e.pk) for e in walked] == [(e.rank, e.pk) for e in everything]

    # Back from the last page towards the newest: the same pages.
    back = audit_page(Filters(), after=pages[-1].entries[0].cursor, size=3)
    assert [(e.rank, e.pk) for e in back.entries] == [(e.rank, e.pk) for e in pages[-2].entries]


def test_a_deep_page_costs_what_the_first_one_does(db, staff, django_assert_max_num_queries):
    for _ in range(6):
        exempt(AssignmentFactory(person=staff), by=staff, reason="r")
        AcknowledgementFactory(person=staff)
    first = audit_page(Filters(), size=2)
    deep = audit_page(Filters(), before=list(audit_entries(Filters()))[-3].cursor, size=2)
    assert deep.entries
    # Per source: the page's rows, and the previous versions of the changed ones.
    with django_assert_max_num_queries(2 * len(SOURCES)):
        audit_page(Filters(), before=first.older, size=2)


def test_filters_narrow_by_person_record_date_and_who_changed_it(db, records, staff, hr):
    other = UserFactory()
    CompletionFactory(person=other)
    assert {e.person for e in audit_page(Filters(person=other)).entries} == {f"{other.get_full_name()} ({other.email})"}
    assert {e.record_type for e in audit_page(Filters(record_type="licence")).entries} == {"Licence"}
    assert [e.action for e in audit_page(Filters(changed_by=hr)).entries] == ["Changed"]
    today = timezone.localdate()
    assert audit_page(Filters(date_to=today - datetime.timedelta(days=1))).entries == []
    assert len(audit_page(Filters(date_from=today, date_to=today)).entries) == 6


def test_cursors_round_trip_and_refuse_rubbish():
    cursor = Cursor(datetime.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=datetime.UTC), 2, 77)
    assert Cursor.decode(cursor.encode()) == cursor
    for rubbish in ["", "abc", "1.9.1", "1.1", "9" * 21 + ".1.1", "99999999999999999999.1.1"]:
        with pytest.raises(ValueError, match=r".*"):
            Cursor.decode(rubbish)


# --- The page ----------------------------------------------------------------------------------------------


def test_hr_sees_the_changes_with_breadcrumbs(client, records, hr, django_assert_max_num_queries):
    client.force_login(hr)
    with django_assert_max_num_queries(20):
        response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Audit of compliance records" in text
    assert 'aria-label="Breadcrumb"' in text
    assert "Status: To do → Exempt" in text
    assert "On long-term leave" in text


def test_filters_are_read_from_the_url(client, records, hr, staff):
    client.force_login(hr)
    response = client.get(URL, {"person": staff.email.upper(), "record_type": "licence"})
    assert response.status_code == 200
    assert [e.record_type for e in response.context["page"].entries] == ["Licence"]
    response = client.get(URL, {"changed_by": str(hr.pk)})
    assert [e.action for e in response.context["page"].entries] == ["Changed"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "31/02/2026"}, "Enter the date from as a real date, for example 2026-03-31"),
        ({"date_to": "yesterday"}, "Enter the date to as a real date, for example 2026-03-31"),
        (
            {"date_from": "2026-03-02", "date_to": "2026-03-01"},
            "The date to must be the same as or after the date from",
        ),
        ({"person": "nobody@glenmorven.gov.uk"}, "There is nobody with the email address nobody@glenmorven.gov.uk."),
        ({"changed_by": "999999"}, "There is nobody with the ID 999999."),
        ({"person": "Sandy"}, "Enter the person whose record it is as an email address"),
        ({"record_type": "salary"}, "Choose a record from the list: salary is not one of them"),
    ],
)
def test_bad_filters_say_what_is_wrong(client, hr, params, message):
    client.force_login(hr)
    response = client.get(URL, params)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert message in text
    assert "Correct the filters to see the changes." in text


def test_a_broken_page_link_shows_the_newest_changes(client, records, hr):
    client.force_login(hr)
    response = client.get(URL, {"before": "not-a-cursor"})
    assert response.status_code == 200
    assert "That page link was not complete" in response.content.decode()
    assert len(response.context["page"].entries) == 5


def test_the_empty_states_help(client, hr, staff):
    client.force_login(hr)
    assert "No compliance records have been made or changed yet" in client.get(URL).content.decode()
    text = client.get(URL, {"person": staff.email}).content.decode()
    assert "No changes match these filters." in text
    assert "clear the filters" in text


def test_the_csv_has_every_matching_change_and_neutralises_formulas(client, staff, hr):
    exempt(AssignmentFactory(person=staff), by=hr, reason='=HYPERLINK("http://evil.example","Click")')
    CompletionFactory(person=staff)
    client.force_login(hr)
    response = client.get(URL, {"person": staff.email, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="compliance-audit-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["When", "Record", "Person", "About", "What happened", "Changes", "Changed by", "Reason"]
    assert sorted(row[4] for row in rows[1:]) == ["Changed", "Completed", "Created"]
    reasons = [row[7] for row in rows[1:] if row[7]]
    assert reasons
    assert all(reason.startswith("'=HYPERLINK") for reason in reasons)


def test_the_export_goes_past_one_chunk(db, staff):
    for _ in range(5):
        CompletionFactory(person=staff)
    assert len(list(audit_entries(Filters(), chunk=2))) == 5
