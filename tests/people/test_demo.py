"""The demo organisation: ``manage.py load_demo``."""

import datetime
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from socialgov.people.demo import (
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    DEMO_SIGN_INS,
    DemoContext,
    demo_organisation_load,
    demo_people_load,
)
from socialgov.people.models import Department, User
from socialgov.people.roles import Role, is_manager, user_roles


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(db, settings):
    settings.DEBUG = True
    return load_demo()


def snapshot() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "departments": Department.objects.count(),
        "user history": User.history.count(),
        "department history": Department.history.count(),
        "email addresses": EmailAddress.objects.count(),
        "role memberships": User.groups.through.objects.count(),
    }


def test_creates_about_sixty_people_in_every_role(demo_output):
    assert User.objects.count() == len(DEMO_PEOPLE) == 60
    holders = {role: User.objects.filter(groups__name=role).count() for role in Role.values}
    assert holders == {Role.COMMS_LEAD: 2, Role.HR: 1, Role.INCIDENT_LEAD: 2, Role.WELLBEING: 1, Role.ADMINISTRATOR: 1}
    assert User.objects.managers().count() >= 15
    assert User.objects.filter(is_public_facing=True).count() >= 10
    administrator = User.objects.get(groups__name=Role.ADMINISTRATOR)
    assert administrator.is_staff
    assert administrator.is_superuser
    assert User.objects.filter(is_superuser=True).count() == 1


def test_people_have_demo_numbers_addresses_and_verified_email(demo_output):
    numbers = sorted(User.objects.values_list("employee_number", flat=True))
    assert numbers == [f"GC{n}" for n in range(1001, 1061)]
    for person in User.objects.all():
        expected = f"{person.first_name}.{person.last_name}@glenmorven.gov.uk".lower()
        assert person.email == expected
        assert person.job_title
        assert person.department
        assert person.start_date
        assert EmailAddress.objects.filter(user=person, email=person.email, verified=True, primary=True).exists()


def test_the_department_tree_is_three_levels_deep(demo_output):
    departments = list(Department.objects.all())
    by_depth = {depth: [d for d in departments if d.depth == depth] for depth in range(3)}
    assert len(departments) == sum(len(level) for level in by_depth.values())
    assert len(by_depth[0]) == 6
    assert len(by_depth[1]) == 12
    assert len(by_depth[2]) == 20
    for department in departments:
        if department.parent is None:
            assert department.depth == 0
        else:
            assert department.depth == department.parent.depth + 1
            assert department.path == f"{department.parent.path}{department.pk}/"
    # Every directorate has services, and every service has teams.
    for department in by_depth[0] + by_depth[1]:
        assert department.children.exists()
    digital = Department.objects.get(name="Digital and social media")
    assert [Department.objects.get(pk=pk).name for pk in digital.ancestor_ids()] == [
        "Chief Executive's Office",
        "Communications",
        "Digital and social media",
    ]


def test_everyone_but_the_chief_executive_has_a_manager_and_there_is_no_cycle(demo_output):
    top = list(User.objects.filter(line_manager__isnull=True))
    assert [person.job_title for person in top] == ["Chief Executive"]
    chief_executive = top[0]
    managers = dict(User.objects.values_list("pk", "line_manager_id"))
    for pk in managers:
        seen = {pk}
        current = managers[pk]
        while current is not None:
            assert current not in seen, "line management has a cycle"
            seen.add(current)
            current = managers[current]
        assert chief_executive.pk in seen
    assert set(User.objects.below(chief_executive)) == set(User.objects.exclude(pk=chief_executive.pk))


def test_printed_sign_ins_all_authenticate_with_the_demo_password(demo_output):
    assert DEMO_PASSWORD == "socialgov-demo-2026"
    labels = [sign_in.label for sign_in in DEMO_SIGN_INS]
    assert labels == ["Member of staff", "Manager", *Role.values]
    for sign_in in DEMO_SIGN_INS:
        row = [line for line in demo_output.splitlines() if sign_in.email in line]
        assert len(row) == 1
        assert [cell.strip() for cell in row[0].split("|")] == [sign_in.label, sign_in.email, DEMO_PASSWORD]
        person = authenticate(email=sign_in.email, password=DEMO_PASSWORD)
        assert person is not None, sign_in.email
        if sign_in.label in Role.values:
            assert user_roles(person) == {sign_in.label}
    staff = User.objects.get(email=DEMO_SIGN_INS[0].email)
    manager = User.objects.get(email=DEMO_SIGN_INS[1].email)
    assert not user_roles(staff)
    assert not is_manager(staff)
    assert staff.line_manager == manager
    assert is_manager(manager)
    assert "authenticator app" in demo_output
    assert "MFA_REQUIRED_FOR_ROLES=false" in demo_output


def test_running_twice_changes_nothing(demo_output):
    before = snapshot()
    passwords = dict(User.objects.values_list("pk", "password"))
    output = load_demo()
    assert snapshot() == before
    assert dict(User.objects.values_list("pk", "password")) == passwords
    assert "already up to date" in output
    assert "People: 0 created, 0 updated, 60 unchanged" in output


def test_a_second_run_keeps_changed_passwords_unless_asked_to_reset_them(demo_output):
    person = User.objects.get(email=DEMO_SIGN_INS[0].email)
    person.set_password("My-own-new-password-7")
    person.save()
    load_demo()
    assert authenticate(email=person.email, password=DEMO_PASSWORD) is None
    load_demo("--reset-passwords")
    assert authenticate(email=person.email, password=DEMO_PASSWORD) == person


def test_a_second_run_puts_drifted_people_back_to_their_demo_values(demo_output):
    person = User.objects.get(employee_number="GC1025")
    original = (person.job_title, person.department_id, person.line_manager_id)
    person.job_title = "Something else"
    person.department = Department.objects.get(name="Parks and greenspace")
    person.line_manager = None
    person.is_active = False
    person.save()
    hr = User.objects.get(employee_number="GC1045")
    hr.groups.clear()

    output = load_demo()

    person.refresh_from_db()
    assert (person.job_title, person.department_id, person.line_manager_id) == original
    assert person.is_active
    assert user_roles(User.objects.get(pk=hr.pk)) == {Role.HR}
    assert "People: 0 created, 2 updated, 58 unchanged" in output
    assert User.objects.count() == 60


def test_refuses_to_run_when_debug_is_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"DEBUG is off.*--force"):
        load_demo()
    assert not User.objects.exists()
    assert not Department.objects.exists()
    assert not Department.objects.exists()

    load_demo("--force")
    assert User.objects.count() == 60


def test_leavers_are_inactive_and_new_starters_are_recent(demo_output):
    today = timezone.localdate()
    leavers = User.objects.filter(leaving_date__lte=today)
    assert 1 <= leavers.count() <= 2
    assert not leavers.filter(is_active=True).exists()
    assert set(User.objects.filter(is_active=False)) == set(leavers)
    assert not User.objects.managers().filter(pk__in=leavers).exists()

    leaving_soon = User.objects.get(leaving_date__gt=today)
    assert leaving_soon.is_active

    new_starters = User.objects.filter(start_date__gte=today - datetime.timedelta(days=14))
    assert 2 <= new_starters.count() <= 4
    assert User.objects.filter(start_date__lte=today - datetime.timedelta(days=3 * 365)).count() >= 40


def test_later_loaders_run_after_people(db):
    seen = []

    def later_loader(context: DemoContext) -> None:
        person = context.person("GC1007")
        seen.append(person.job_title)
        person.save()  # a later loader may save a demo person without losing their password
        context.result.record("Guidance", created=1)

    result = demo_organisation_load(loaders=[demo_people_load, later_loader])
    assert seen == ["Head of Communications"]
    assert authenticate(email="catriona.macleod@glenmorven.gov.uk", password=DEMO_PASSWORD) is not None
    assert "Guidance: 1 created, 0 updated, 0 unchanged" in result.summary_lines()


def test_all_loaders_run_in_one_transaction(db):
    def broken_loader(context: DemoContext) -> None:
        raise RuntimeError("broken")

    with pytest.raises(RuntimeError):
        demo_organisation_load(loaders=[demo_people_load, broken_loader])
    assert not User.objects.exists()
    assert not Department.objects.exists()
