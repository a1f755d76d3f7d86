"""The staff import: parsing, planning, applying all-or-nothing, the command and the pages."""

import csv
import datetime
import html
import io
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape

from socialgov.people import forms as people_forms
from socialgov.people.models import Department, StaffImport, User
from socialgov.people.services import person_provision
from socialgov.people.staff_import import (
    EXAMPLE_HEADER,
    FieldChange,
    StaffImportAlreadyApplied,
    StaffImportError,
    StaffImportFileError,
    StaffImportStale,
    parsing,
    staff_import_apply,
    staff_import_create,
    staff_import_decode,
    staff_import_parse,
    staff_import_plan,
)
from tests.factories import PASSWORD, DepartmentFactory, UserFactory

DATA = Path(__file__).parent / "data"
GOOD = DATA / "staff_good.csv"
WITH_ERRORS = DATA / "staff_with_errors.csv"
HEADER = EXAMPLE_HEADER.split(",")
TODAY = datetime.date(2025, 6, 2)


def person(number="GC1", **values) -> dict:
    """One valid line of the file, with ``values`` overriding it."""
    row = {
        "employee_number": number,
        "first_name": "Isla",
        "last_name": "Munro",
        "email": f"{number.lower()}@glenmorven.gov.uk",
        "department": "Communities > Housing > Tenancy team",
        "manager_employee_number": "",
        "job_title": "Tenancy Officer",
        "start_date": "2020-01-06",
        "leaving_date": "",
        "public_facing": "yes",
    }
    row.update(values)
    return row


def csv_text(*rows: dict, header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column.lower().replace(" ", "_"), "") for column in header])
    return out.getvalue()


def plan_for(text: str, today: datetime.date = TODAY):
    return staff_import_plan(parsed=staff_import_parse(text), today=today)


def problems(text: str) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in plan_for(text).errors]


def good_text() -> str:
    return GOOD.read_text(encoding="utf-8")


def apply_text(text: str, applied_by=None, name="staff.csv"):
    staff_import = staff_import_create(file_name=name, content=text, uploaded_by=applied_by)
    return staff_import, staff_import_apply(staff_import=staff_import, applied_by=applied_by)


def edited_good(changes: dict[str, dict]) -> str:
    """The good file with some people's values changed, by employee number."""
    rows = list(csv.DictReader(io.StringIO(good_text())))
    for row in rows:
        row.update(changes.get(row["employee_number"], {}))
    return csv_text(*rows)


# --- Reading the file -------------------------------------------------------------------------------------------


def test_utf8_with_or_without_a_byte_order_mark_is_read():
    text = "employee_number\nGC1\n"
    assert staff_import_decode(text.encode()) == text
    assert staff_import_decode(b"\xef\xbb\xbf" + text.encode()) == text


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("employee_number\nGC1,Siobhán\n".encode("latin-1"), "line 2 has a character that cannot be read"),
        ("employee_number\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04workbook", "spreadsheet workbook"),
    ],
)
def test_files_that_are_not_utf8_csv_are_refused_with_a_reason(data, fragment):
    with pytest.raises(StaffImportFileError, match=fragment):
        staff_import_decode(data)


@pytest.mark.django_db
def test_missing_required_columns_are_named_on_line_1():
    header = [c for c in HEADER if c not in {"email", "department", "public_facing"}]
    errors = plan_for(csv_text(person(), header=header)).errors
    assert [(e.line, e.column) for e in errors] == [(1, "email"), (1, "department")]
    assert "no email column" in errors[0].message


@pytest.mark.django_db
def test_columns_may_come_in_any_order_and_case_and_extra_columns_are_ignored():
    header = ["Email", "Employee Number", "FIRST_NAME", "last_name", "Department", "manager_employee_number",
              "job_title", "Start_Date", "leaving_date", "Payroll group"]  # fmt: skip
    plan = plan_for(csv_text(person(), header=header))
    assert plan.errors == []
    assert [p.employee_number for p in plan.new] == ["GC1"]
    assert plan.ignored_columns == ["Payroll group"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "column", "fragment"),
    [
        ({"employee_number": ""}, "employee_number", "cannot be blank"),
        ({"first_name": " "}, "first_name", "cannot be blank"),
        ({"last_name": ""}, "last_name", "cannot be blank"),
        ({"email": ""}, "email", "cannot be blank"),
        ({"department": ""}, "department", "cannot be blank"),
        ({"email": "isla.munro.glenmorven.gov.uk"}, "email", "not a valid email"),
        ({"start_date": "March 2020"}, "start_date", "YYYY-MM-DD or DD/MM/YYYY"),
        ({"start_date": "31/02/2020"}, "start_date", "not a real date"),
        ({"leaving_date": "2021-13-01"}, "leaving_date", "not a real date"),
        ({"leaving_date": "05/01/2020"}, "leaving_date", "before the start date"),
        ({"manager_employee_number": "GC2"}, "manager_employee_number", "cannot be their own line manager"),
        ({"manager_employee_number": "GC404"}, "manager_employee_number", "no one with employee number GC404"),
        ({"department": "Communities >  > Tenancy team"}, "department", "path is blank"),
        ({"department": "Communities > Housing >"}, "department", "path is blank"),
        ({"public_facing": "sometimes"}, "public_facing", "Enter yes or no"),
        ({"job_title": "x" * 201}, "job_title", "longer than 200"),
    ],
)
def test_each_problem_is_reported_with_its_line_and_column(values, column, fragment):
    text = csv_text(person("GC1"), person("GC2", **values))
    errors = plan_for(text).errors
    assert [(e.line, e.column) for e in errors] == [(3, column)]
    assert fragment in errors[0].message
    assert errors[0].value == person("GC2", **values)[column].strip()


@pytest.mark.django_db
def test_a_column_named_twice_or_a_line_with_too_many_values_is_a_problem():
    assert problems(csv_text(person(), header=[*HEADER, "Email"])) == [(1, "email")]
    text = csv_text(person("GC1")) + "GC2,Ewan,Reid,ewan@glenmorven.gov.uk,Communities,,Officer,,,,surplus\n"
    errors = plan_for(text).errors
    assert [(e.line, e.column) for e in errors] == [(3, "")]
    assert "11 values but the header row has 10 columns" in errors[0].message


@pytest.mark.django_db
def test_both_date_formats_and_every_yes_no_spelling_are_accepted():
    rows = [
        person("GC1", start_date="2020-01-06", public_facing="Yes"),
        person("GC2", start_date="06/01/2020", public_facing="TRUE"),
        person("GC3", start_date="6/1/2020", public_facing="1"),
        person("GC4", public_facing="no"),
        person("GC5", public_facing="false"),
        person("GC6", public_facing="0"),
        person("GC7", public_facing=""),
    ]
    parsed = staff_import_parse(csv_text(*rows))
    assert parsed.errors == []
    assert {row.start_date for row in parsed.rows} == {datetime.date(2020, 1, 6)}
    assert [row.public_facing for row in parsed.rows] == [True, True, True, False, False, False, None]


@pytest.mark.django_db
def test_duplicates_in_the_file_are_reported_on_the_later_line():
    text = csv_text(person("GC1"), person("GC2"), person("GC1", email="other@glenmorven.gov.uk"),
                    person("GC4", email="GC2@Glenmorven.gov.uk"))  # fmt: skip
    errors = plan_for(text).errors
    assert [(e.line, e.column, e.message) for e in errors] == [
        (4, "employee_number", "GC1 is also on line 2."),
        (5, "email", "This email is also on line 3."),
    ]


@pytest.mark.django_db
def test_line_numbers_are_the_files_own_lines_even_with_quoted_line_breaks_and_blank_lines():
    text = (
        EXAMPLE_HEADER + "\r\n"
        'GC1,Isla,Munro,isla@glenmorven.gov.uk,Communities,,"Tenancy Officer\r\n(part time)",2020-01-06,,\r\n'
        "\r\n"
        ",,,,,,,,,\r\n"
        "GC2,Ewan,Reid,not-an-email,Communities,,Officer,2020-01-06,,\r\n"
    )
    errors = plan_for(text).errors
    assert [(e.line, e.column) for e in errors] == [(6, "email")]
    assert staff_import_parse(text).rows[0].job_title == "Tenancy Officer\r\n(part time)"


@pytest.mark.django_db
def test_too_many_rows_is_a_problem(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 3)
    text = csv_text(*(person(f"GC{n}") for n in range(1, 6)))
    errors = plan_for(text).errors
    assert [(e.line, e.column) for e in errors] == [(5, "")]
    assert "more than 3 people" in errors[0].message


@pytest.mark.django_db
def test_an_empty_file_or_a_header_alone_is_a_problem():
    assert [(e.line, e.message) for e in plan_for("").errors] == [
        (1, "The file is empty: it needs a header row and a line for each person.")
    ]
    assert [(e.line, e.message) for e in plan_for(EXAMPLE_HEADER + "\n").errors] == [
        (1, "The file has a header row but no people.")
    ]


@pytest.mark.django_db
def test_a_loop_in_the_file_names_the_chain_on_every_line_in_it():
    text = csv_text(
        person("GC1"),
        person("GC2", manager_employee_number="GC3"),
        person("GC3", manager_employee_number="GC4"),
        person("GC4", manager_employee_number="GC2"),
    )
    errors = plan_for(text).errors
    assert [(e.line, e.column, e.message) for e in errors] == [
        (3, "manager_employee_number", "The management chain goes round in a circle: GC2 → GC3 → GC4 → GC2."),
        (4, "manager_employee_number", "The management chain goes round in a circle: GC3 → GC4 → GC2 → GC3."),
        (5, "manager_employee_number", "The management chain goes round in a circle: GC4 → GC2 → GC3 → GC4."),
    ]


@pytest.mark.django_db
def test_a_loop_made_with_people_already_in_the_staff_list_is_found():
    boss = UserFactory(employee_number="GC1")
    UserFactory(employee_number="GC2", line_manager=boss)
    # The file makes GC1 report to GC2, who (in the staff list) reports to GC1.
    errors = plan_for(csv_text(person("GC1", manager_employee_number="GC2"))).errors
    assert [(e.line, e.column, e.message) for e in errors] == [
        (2, "manager_employee_number", "The management chain goes round in a circle: GC1 → GC2 → GC1.")
    ]


@pytest.mark.django_db
def test_an_email_already_used_by_a_different_person_is_refused():
    UserFactory(employee_number="GC9", email="isla.munro@glenmorven.gov.uk", first_name="Isla", last_name="Other")
    errors = plan_for(csv_text(person("GC1", email="Isla.Munro@glenmorven.gov.uk"))).errors
    assert [(e.line, e.column, e.message) for e in errors] == [
        (2, "email", "This email address belongs to Isla Other (GC9).")
    ]


@pytest.mark.django_db
def test_an_email_held_as_another_persons_second_address_is_refused():
    other = UserFactory(employee_number="GC9")
    EmailAddress.objects.create(user=other, email="isla.munro@glenmorven.gov.uk", verified=True, primary=False)
    errors = plan_for(csv_text(person("GC1", email="isla.munro@glenmorven.gov.uk"))).errors
    assert [(e.line, e.column) for e in errors] == [(2, "email")]


@pytest.mark.django_db
@pytest.mark.parametrize("good_file_applied", [False, True])
def test_the_sample_file_with_errors_reports_every_problem_by_line_and_column(good_file_applied):
    if good_file_applied:  # the sample files share no one, so the problems are the same either way
        apply_text(good_text())
    errors = plan_for(WITH_ERRORS.read_text(encoding="utf-8")).errors
    assert [(e.line, e.column) for e in errors] == [
        (3, "first_name"),
        (4, "email"),
        (6, "employee_number"),
        (7, "email"),
        (8, "start_date"),
        (9, "leaving_date"),
        (10, "manager_employee_number"),
        (11, "manager_employee_number"),
        (12, "department"),
        (13, "public_facing"),
        (14, "manager_employee_number"),
        (15, "manager_employee_number"),
    ]
    assert errors[-1].message == "The management chain goes round in a circle: GC2013 → GC2012 → GC2013."


# --- Planning and applying --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_good_file_creates_people_departments_and_managers(department, hr):
    staff_import, plan = apply_text(good_text(), applied_by=hr, name="staff_good.csv")

    assert plan.errors == []
    assert staff_import.status == StaffImport.Status.APPLIED
    assert staff_import.applied_at is not None
    assert staff_import.summary["counts"] | {"not_in_file": 0} == {
        "rows": 20, "new": 20, "updated": 0, "leavers": 0, "returners": 0, "unchanged": 0,
        "departments": 10, "not_in_file": 0, "errors": 0,
    }  # fmt: skip
    # Communities > Housing > Tenancy team existed already; the other ten departments are new.
    assert department.members.count() == 3
    assert "Communities > Housing > Tenancy team" not in plan.departments
    revenues = User.objects.get(employee_number="GC1013")
    assert revenues.line_manager.employee_number == "GC1014"  # the manager comes later in the file
    assert revenues.department.name == "Revenues and Benefits"
    assert [d.name for d in Department.objects.filter(pk__in=revenues.department.ancestor_ids())] == [
        "Resources", "Finance", "Revenues and Benefits",
    ]  # fmt: skip
    chief = User.objects.get(employee_number="GC1001")
    assert chief.line_manager is None
    assert chief.is_public_facing
    assert User.objects.get(employee_number="GC1003").first_name == "Siobhán"
    assert User.objects.get(employee_number="GC1003").start_date == datetime.date(2018, 1, 3)
    assert User.objects.get(employee_number="GC1020").job_title == "Officer, Communications and Engagement"
    future_leaver = User.objects.get(employee_number="GC1006")
    assert future_leaver.is_active
    assert future_leaver.leaving_date == datetime.date(2030, 3, 31)
    # Provisioned as person_provision does: a verified primary address and no usable password.
    address = EmailAddress.objects.get(user=chief)
    assert (address.email, address.verified, address.primary) == ("fiona.macleod@glenmorven.gov.uk", True, True)
    assert not chief.has_usable_password()
    record = chief.history.get()
    assert record.history_type == "+"
    assert record.history_user == hr
    assert record.history_change_reason == f"Staff import {staff_import.pk}: staff_good.csv"


@pytest.mark.django_db
def test_person_provision_makes_a_person_as_the_import_does():
    person = person_provision(email="Eilidh.Grant@Glenmorven.gov.uk", first_name="Eilidh", job_title="Officer")
    with_password = person_provision(email="ross.kerr@glenmorven.gov.uk", password=PASSWORD)

    person.refresh_from_db()
    assert (person.email, person.first_name, person.job_title) == (
        "eilidh.grant@glenmorven.gov.uk",
        "Eilidh",
        "Officer",
    )
    address = EmailAddress.objects.get(user=person)
    assert (address.email, address.verified, address.primary) == ("eilidh.grant@glenmorven.gov.uk", True, True)
    assert not person.has_usable_password()
    assert person.history.get().history_type == "+"
    with_password.refresh_from_db()
    assert with_password.check_password(PASSWORD)
    assert with_password.history.count() == 1


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(hr):
    apply_text(good_text(), applied_by=hr)
    people_history, department_history = User.history.count(), Department.history.count()

    staff_import, plan = apply_text(good_text(), applied_by=hr)

    assert not plan.has_changes
    assert plan.unchanged == 20
    assert plan.describe() == "No changes: the staff list already matches this file."
    assert staff_import.status == StaffImport.Status.APPLIED
    assert (User.history.count(), Department.history.count()) == (people_history, department_history)


@pytest.mark.django_db
def test_updates_show_each_changed_field_old_and_new_and_are_applied():
    apply_text(good_text())
    text = edited_good(
        {
            "GC1005": {"job_title": "Senior Tenancy Officer", "email": "callum.macdonald2@glenmorven.gov.uk"},
            "GC1010": {"department": "Communities > Libraries and Leisure > Mobile library", "public_facing": "no"},
            "GC1013": {"manager_employee_number": "GC1012"},
        }
    )
    plan = plan_for(text, today=timezone.localdate())
    assert [p.employee_number for p in plan.updated] == ["GC1005", "GC1010", "GC1013"]
    assert plan.updated[0].changes == [
        FieldChange("Email", "callum.macdonald@glenmorven.gov.uk", "callum.macdonald2@glenmorven.gov.uk"),
        FieldChange("Job title", "Tenancy Officer", "Senior Tenancy Officer"),
    ]
    assert plan.updated[1].changes == [
        FieldChange(
            "Department", "Communities > Libraries and Leisure", "Communities > Libraries and Leisure > Mobile library"
        ),
        FieldChange("Public-facing", "Yes", "No"),
    ]
    assert plan.updated[2].changes == [FieldChange("Line manager", "Shona Paterson (GC1014)", "Catriona Reid (GC1012)")]
    assert plan.departments == ["Communities > Libraries and Leisure > Mobile library"]
    assert plan.unchanged == 17

    _, applied = apply_text(text)
    assert applied.has_changes
    callum = User.objects.get(employee_number="GC1005")
    assert (callum.job_title, callum.email) == ("Senior Tenancy Officer", "callum.macdonald2@glenmorven.gov.uk")
    assert list(EmailAddress.objects.filter(user=callum).values_list("email", "verified", "primary")) == [
        ("callum.macdonald2@glenmorven.gov.uk", True, True)
    ]
    morven = User.objects.get(employee_number="GC1010")
    assert morven.department.name == "Mobile library"
    assert not morven.is_public_facing
    assert User.objects.get(employee_number="GC1013").line_manager.employee_number == "GC1012"
    assert callum.history.first().history_type == "~"
    assert callum.history.count() == 2


@pytest.mark.django_db
def test_leavers_are_deactivated_and_signed_out_and_a_future_date_is_only_recorded(
    client, django_capture_on_commit_callbacks
):
    apply_text(good_text())
    leaver = User.objects.get(employee_number="GC1005")
    leaver.set_password(PASSWORD)
    leaver.save(update_fields=["password"])
    client.post(reverse("account_login"), {"login": leaver.email, "password": PASSWORD})
    assert client.get(reverse("web:home")).status_code == 200
    assert UserSession.objects.filter(user=leaver).count() == 1
    today = timezone.localdate()
    text = edited_good(
        {
            "GC1005": {"leaving_date": (today - datetime.timedelta(days=1)).isoformat()},
            "GC1008": {"leaving_date": (today + datetime.timedelta(days=30)).isoformat()},
        }
    )
    plan = plan_for(text, today=today)
    assert [p.employee_number for p in plan.leavers] == ["GC1005"]
    assert [p.employee_number for p in plan.updated] == ["GC1005", "GC1008"]

    with django_capture_on_commit_callbacks(execute=True):
        apply_text(text)

    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not UserSession.objects.filter(user=leaver).exists()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    later = User.objects.get(employee_number="GC1008")
    assert later.is_active
    assert later.leaving_date == today + datetime.timedelta(days=30)


@pytest.mark.django_db
def test_a_returner_is_reactivated_and_shown_as_such():
    apply_text(good_text())
    User.objects.filter(employee_number="GC1010").update(is_active=False)
    plan = plan_for(good_text(), today=timezone.localdate())
    assert [p.employee_number for p in plan.returners] == ["GC1010"]
    assert plan.returners[0].changes == [FieldChange("Status", "Left", "Current")]
    apply_text(good_text())
    assert User.objects.get(employee_number="GC1010").is_active


@pytest.mark.django_db
def test_an_account_made_before_the_first_import_is_matched_by_email(hr):
    hr.employee_number = None
    hr.save()
    text = csv_text(person("GC1016", email="HR@glenmorven.gov.uk", first_name="Ailsa", last_name="Kerr"))
    plan = plan_for(text)
    assert plan.errors == []
    assert plan.new == []
    assert FieldChange("Employee number", "", "GC1016") in plan.updated[0].changes
    apply_text(text)
    hr.refresh_from_db()
    assert (hr.employee_number, hr.first_name) == ("GC1016", "Ailsa")


@pytest.mark.django_db
def test_a_file_with_one_bad_line_applies_nothing():
    text = edited_good({"GC1019": {"start_date": "14/13/2024"}})
    people, departments = User.objects.count(), Department.objects.count()

    staff_import, plan = apply_text(text)

    assert [(e.line, e.column) for e in plan.errors] == [(20, "start_date")]
    assert staff_import.status == StaffImport.Status.INVALID
    assert staff_import.errors[0]["line"] == 20
    assert (User.objects.count(), Department.objects.count()) == (people, departments)


@pytest.mark.django_db
def test_applying_checks_again_against_the_staff_list_as_it_is_then():
    staff_import = staff_import_create(file_name="staff.csv", content=good_text(), uploaded_by=None)
    assert staff_import.status == StaffImport.Status.PREVIEWED
    UserFactory(employee_number="GC9001", email="kirsty.robertson@glenmorven.gov.uk")
    people = User.objects.count()

    plan = staff_import_apply(staff_import=staff_import, applied_by=None)

    assert [(e.line, e.column) for e in plan.errors] == [(9, "email")]
    assert User.objects.count() == people
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.INVALID


@pytest.mark.django_db
def test_an_import_is_applied_once_only():
    staff_import, _ = apply_text(good_text())
    with pytest.raises(StaffImportAlreadyApplied, match="cannot be applied again"):
        staff_import_apply(staff_import=staff_import, applied_by=None)


@pytest.mark.django_db
def test_changes_other_than_those_previewed_are_refused():
    staff_import = staff_import_create(file_name="staff.csv", content=good_text(), uploaded_by=None)
    previewed = plan_for(good_text(), today=timezone.localdate()).fingerprint()
    DepartmentFactory(name="Place")
    with pytest.raises(StaffImportStale):
        staff_import_apply(staff_import=staff_import, applied_by=None, fingerprint=previewed)
    assert not User.objects.filter(employee_number__startswith="GC").exists()


@pytest.mark.django_db
def test_an_older_upload_cannot_undo_a_newer_applied_one():
    older = staff_import_create(file_name="older.csv", content=good_text(), uploaded_by=None)
    StaffImport.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    apply_text(good_text(), name="newer.csv")
    with pytest.raises(StaffImportError, match="newer staff list"):
        staff_import_apply(staff_import=older, applied_by=None)


@pytest.mark.django_db
def test_planning_reads_the_database_a_fixed_number_of_times(department, django_assert_num_queries):
    for n in range(0, 200, 2):  # half the people already exist, with managers
        UserFactory(employee_number=f"GC{n}", email=f"gc{n}@glenmorven.gov.uk", department=department)
    DepartmentFactory(name="Resources")

    def text(size: int) -> str:
        return csv_text(
            *(
                person(f"GC{n}", manager_employee_number=f"GC{n - 1}" if n else "",
                       department="Resources > Finance" if n % 3 else "Communities > Housing > Tenancy team")
                for n in range(size)
            )
        )  # fmt: skip

    for size in (10, 200):
        parsed = staff_import_parse(text(size))
        with django_assert_num_queries(3):
            plan = staff_import_plan(parsed=parsed)
        assert plan.errors == []
        assert plan.rows == size


# --- The command ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_previews_without_applying():
    out = io.StringIO()
    call_command("import_staff", str(GOOD), stdout=out)
    output = out.getvalue()
    assert "New people: 20" in output
    assert "line 15  GC1014  Shona Paterson <shona.paterson@glenmorven.gov.uk>" in output
    assert "Nothing has been applied." in output
    assert not User.objects.filter(employee_number__startswith="GC").exists()
    assert not StaffImport.objects.exists()


@pytest.mark.django_db
def test_the_command_applies_with_apply_and_then_finds_nothing_to_change():
    out = io.StringIO()
    call_command("import_staff", str(GOOD), "--apply", stdout=out)
    assert "Applied (import" in out.getvalue()
    assert User.objects.filter(employee_number__startswith="GC").count() == 20
    assert StaffImport.objects.get().status == StaffImport.Status.APPLIED

    again = io.StringIO()
    call_command("import_staff", str(GOOD), stdout=again)
    assert "No changes: the staff list already matches this file." in again.getvalue()


@pytest.mark.django_db
def test_the_command_prints_each_problem_and_fails():
    err = io.StringIO()
    with pytest.raises(CommandError, match="12 problem") as raised:
        call_command("import_staff", str(WITH_ERRORS), "--apply", stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1
    assert "line 3, first_name: Enter the first name: it cannot be blank." in err.getvalue()
    assert "line 10, manager_employee_number [GC9999]" in err.getvalue()
    assert "line 7, email [Isla.Munro@glenmorven.gov.uk]: This email is also on line 5." in err.getvalue()
    assert not User.objects.filter(employee_number__startswith="GC").exists()


@pytest.mark.django_db
def test_the_command_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(good_text().encode("latin-1"))
    with pytest.raises(CommandError, match="not saved as UTF-8"):
        call_command("import_staff", str(path))


# --- The pages --------------------------------------------------------------------------------------------------


def upload(client, path: Path = GOOD, data: bytes | None = None, name: str | None = None):
    content = path.read_bytes() if data is None else data
    file = SimpleUploadedFile(name or path.name, content, content_type="text/csv")
    return client.post(reverse("people:import-upload"), {"file": file})


@pytest.mark.django_db
def test_staff_cannot_use_the_import(client, staff):
    client.force_login(staff)
    staff_import = StaffImport.objects.create(file_name="staff.csv", content=good_text())
    assert client.get(reverse("people:import-upload")).status_code == 403
    assert upload(client).status_code == 403
    assert client.post(reverse("people:import-apply", args=[staff_import.pk])).status_code == 403
    assert not StaffImport.objects.exclude(pk=staff_import.pk).exists()


@pytest.mark.django_db
def test_the_upload_page_describes_the_file_and_lists_recent_imports(client, hr, django_assert_max_num_queries):
    staff_import_create(file_name="last-week.csv", content="", uploaded_by=hr)
    apply_text(good_text(), name="yesterday.csv")
    client.force_login(hr)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("people:import-upload")).content.decode()
    assert EXAMPLE_HEADER in page
    assert "last-week.csv" in page
    assert "Has errors" in page
    assert "1 problem" in page
    assert "yesterday.csv" in page
    assert "20 new, 0 updated, 0 unchanged" in page
    assert 'scope="col"' in page
    assert "<caption" in page


@pytest.mark.django_db
def test_uploading_a_file_with_problems_shows_every_problem_and_applies_nothing(client, hr):
    client.force_login(hr)
    response = upload(client, WITH_ERRORS)
    staff_import = StaffImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import-preview", args=[staff_import.pk])
    assert staff_import.status == StaffImport.Status.INVALID

    page = client.get(response["Location"]).content.decode()
    assert "There is a problem with the file" in page
    assert 'id="problems"' in page
    assert page.count('<th scope="row" class="govuk-table__header govuk-table__header--numeric">') == 12
    assert "There is no one with employee number GC9999 in this file or in the staff list." in page
    assert "Apply these changes" not in page
    assert not User.objects.filter(employee_number__startswith="GC").exists()


@pytest.mark.django_db
def test_uploading_then_applying_the_good_file(client, hr):
    client.force_login(hr)
    preview_url = upload(client)["Location"]
    response = client.get(preview_url)
    page = response.content.decode()
    assert "Check the changes before you apply them" in page
    assert "Apply these changes" in page
    assert "Resources &gt; Finance &gt; Revenues and Benefits" in page
    assert not User.objects.filter(employee_number__startswith="GC").exists()
    staff_import = response.context["staff_import"]

    response = client.post(
        reverse("people:import-apply", args=[staff_import.pk]),
        {"fingerprint": response.context["fingerprint"]},
        follow=True,
    )
    assert response.redirect_chain == [(preview_url, 302)]
    page = response.content.decode()
    assert "Staff list applied: 20 new people" in page
    assert "Apply these changes" not in page
    assert User.objects.filter(employee_number__startswith="GC").count() == 20
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.APPLIED
    assert staff_import.applied_by == hr
    assert staff_import.summary["applied_by"] == str(hr)
    assert User.objects.get(employee_number="GC1001").history.get().history_user == hr


def applied_row(client, staff_import: StaffImport) -> str:
    """The words of the preview page's "Applied" row, without its markup."""
    page = client.get(reverse("people:import-preview", args=[staff_import.pk])).content.decode()
    row = page.split('data-testid="import-applied">', 1)[1].split("</div>", 1)[0]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", row).split()))


@pytest.mark.django_db
def test_who_applied_an_import_is_recorded_and_shown(client, hr, administrator):
    staff_import, _ = apply_text(good_text(), applied_by=hr)
    from_command, _ = apply_text(good_text())

    staff_import.refresh_from_db()
    from_command.refresh_from_db()
    assert staff_import.applied_by == hr
    assert from_command.applied_by is None
    client.force_login(hr)
    applied_at = dateformat.format(timezone.localtime(staff_import.applied_at), "j F Y, H:i")
    assert applied_row(client, staff_import) == f"Applied by {hr} on {applied_at}"
    applied_at = dateformat.format(timezone.localtime(from_command.applied_at), "j F Y, H:i")
    assert applied_row(client, from_command) == f"Applied {applied_at}"
    client.force_login(administrator)
    page = client.get(reverse("admin:people_staffimport_changelist")).content.decode()
    assert page.count(f'<td class="field-applied_by nowrap">{escape(str(hr))}</td>') == 1


@pytest.mark.django_db
def test_applying_twice_is_refused(client, hr):
    client.force_login(hr)
    preview_url = upload(client)["Location"]
    fingerprint = client.get(preview_url).context["fingerprint"]
    staff_import = StaffImport.objects.get()
    apply_url = reverse("people:import-apply", args=[staff_import.pk])
    client.post(apply_url, {"fingerprint": fingerprint})
    history = User.history.count()

    response = client.post(apply_url, {"fingerprint": fingerprint}, follow=True)

    assert "cannot be applied again" in response.content.decode()
    assert User.history.count() == history


@pytest.mark.django_db
def test_a_reimport_preview_says_there_are_no_changes(client, hr):
    apply_text(good_text())
    client.force_login(hr)
    page = client.get(upload(client)["Location"]).content.decode()
    assert "No changes: the staff list already matches this file." in page


@pytest.mark.django_db
def test_applying_after_the_staff_list_changed_asks_for_another_look(client, hr):
    client.force_login(hr)
    preview_url = upload(client)["Location"]
    fingerprint = client.get(preview_url).context["fingerprint"]
    DepartmentFactory(name="Place")
    staff_import = StaffImport.objects.get()

    response = client.post(reverse("people:import-apply", args=[staff_import.pk]), {"fingerprint": fingerprint})

    assert response.status_code == 302
    assert not User.objects.filter(employee_number__startswith="GC").exists()
    page = client.get(preview_url).content.decode()
    assert "The staff list has changed since this import was previewed." in page


@pytest.mark.django_db
def test_getting_the_apply_address_changes_nothing(client, hr):
    client.force_login(hr)
    upload(client)
    staff_import = StaffImport.objects.get()
    response = client.get(reverse("people:import-apply", args=[staff_import.pk]))
    assert response.status_code == 302
    assert not User.objects.filter(employee_number__startswith="GC").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("staff.xlsx", b"employee_number\n", "The selected file must be a CSV file"),
        ("staff.csv", b"", "The selected file is empty"),
        ("staff.csv", "employee_number\nSiobhán\n".encode("cp1252"), "not saved as UTF-8"),
    ],
)
def test_the_upload_form_explains_what_is_wrong_with_the_file(client, hr, name, data, message):
    client.force_login(hr)
    response = upload(client, data=data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not StaffImport.objects.exists()


@pytest.mark.django_db
def test_the_upload_form_needs_a_file_smaller_than_5_mb(client, hr, monkeypatch):
    monkeypatch.setattr(people_forms, "MAX_UPLOAD_BYTES", 100)
    client.force_login(hr)
    assert "smaller than 5 MB" in upload(client).content.decode()
    response = client.post(reverse("people:import-upload"), {})
    assert "Select the staff list CSV file" in response.content.decode()
    assert not StaffImport.objects.exists()


def test_the_preview_says_what_will_happen_to_leavers(client, hr):
    apply_text(good_text())
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    data = edited_good({"GC1005": {"leaving_date": yesterday}}).encode()
    client.force_login(hr)
    response = upload(client, data=data, name="leavers.csv")
    preview_url = response["Location"]
    before = client.get(preview_url).content.decode()
    assert "Leavers: their accounts will be deactivated and they will be signed out" in before
