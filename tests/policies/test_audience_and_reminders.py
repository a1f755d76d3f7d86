"""Who a document is for, what each person owes, and the reminders the engine is given.

An audience is worked out twice: in the database (``audience_of``, used by
reports and the reminders sweep) and in memory for one person (``owed_by``,
used by their home page). Each audience test checks both agree. Query
counts are checked by comparing a small organisation with a large one: a
count that grows with the number of people or documents fails.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policies.models import Acknowledgement
from policies.reminders import REVIEW_NOTICE_DAYS, AcknowledgementSource, ReviewSource
from policies.selectors import acknowledgement_report, audience_of, owed_by
from policies.services import acknowledgement_record, document_retire
from socialgov.notifications.registry import DueItem
from socialgov.people.models import User
from socialgov.people.roles import Role
from socialgov.people.services import department_get_or_create_path
from tests.factories import UserFactory
from tests.policies.conftest import (
    BODY,
    at,
    backdate,
    document_draft,
    publish_document,
    publish_new_version,
    role_group,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def org(staff, manager, comms_lead, hr):
    """A small organisation around the personas.

    Communities > Housing > Tenancy team (where ``staff`` and ``manager`` work),
    Communities > Libraries, and Resources > Finance; people in each, someone
    with no department, a public-facing librarian and a leaver.
    """
    tenancy = department_get_or_create_path(names=["Communities", "Housing", "Tenancy team"])
    housing = tenancy.parent
    communities = housing.parent
    libraries = department_get_or_create_path(names=["Communities", "Libraries"])
    finance = department_get_or_create_path(names=["Resources", "Finance"])
    people = SimpleNamespace(
        staff=staff,
        manager=manager,
        comms_lead=comms_lead,
        hr=hr,
        housing_officer=UserFactory(department=housing),
        directorate_head=UserFactory(department=communities),
        librarian=UserFactory(department=libraries, is_public_facing=True),
        accountant=UserFactory(department=finance),
        payroll_hr=UserFactory(department=finance, roles=[Role.HR]),
        nowhere=UserFactory(),
        leaver=UserFactory(department=housing, is_public_facing=True, roles=[Role.HR], is_active=False),
    )
    return SimpleNamespace(
        communities=communities, housing=housing, tenancy=tenancy, libraries=libraries, finance=finance, people=people
    )


def everyone(org) -> dict[str, User]:
    return vars(org.people)


def audience_names(org, document) -> set[str]:
    """Who the database says the document is for, by their name in ``org``."""
    ids = set(audience_of(document).values_list("pk", flat=True))
    return {name for name, person in everyone(org).items() if person.pk in ids}


def owing_names(org) -> set[str]:
    """Who ``owed_by`` (worked out in memory, for one person at a time) says owes anything."""
    return {name for name, person in everyone(org).items() if owed_by(person)}


def items_for(items, person) -> list[DueItem]:
    return sorted((i for i in items if i.person_id == person.pk), key=lambda i: i.subject_key)


# --- Audience ------------------------------------------------------------------------


def test_a_document_for_everyone_is_for_every_current_person(org, comms_lead):
    document = publish_document(comms_lead)
    expected = set(everyone(org)) - {"leaver"}
    assert audience_names(org, document) == expected
    assert owing_names(org) == expected
    assert document.audience_description() == "Everyone"


def test_a_department_includes_the_departments_below_it(org, comms_lead):
    """Housing includes the Tenancy team under it; not Communities above it nor Libraries beside it."""
    document = publish_document(comms_lead, is_for_everyone=False, departments=[org.housing])
    expected = {"staff", "manager", "housing_officer"}
    assert audience_names(org, document) == expected
    assert owing_names(org) == expected
    assert document.audience_description() == "Housing"


def test_a_top_level_department_includes_its_whole_tree(org, comms_lead):
    document = publish_document(comms_lead, is_for_everyone=False, departments=[org.communities])
    expected = {"staff", "manager", "housing_officer", "directorate_head", "librarian"}
    assert audience_names(org, document) == expected
    assert owing_names(org) == expected


def test_a_role_audience_is_the_people_with_the_role(org, comms_lead):
    document = publish_document(comms_lead, is_for_everyone=False, roles=[role_group(Role.HR)])
    assert audience_names(org, document) == {"hr", "payroll_hr"}
    assert owing_names(org) == {"hr", "payroll_hr"}


def test_public_facing_staff_are_an_audience(org, comms_lead):
    document = publish_document(comms_lead, is_for_everyone=False, is_for_public_facing=True)
    assert audience_names(org, document) == {"librarian"}
    assert owing_names(org) == {"librarian"}


def test_narrower_choices_add_up(org, comms_lead):
    """A department, a role and public-facing staff together: anyone matching any of them."""
    document = publish_document(comms_lead, is_for_everyone=False, departments=[org.finance],
                                roles=[role_group(Role.HR)], is_for_public_facing=True)  # fmt: skip
    expected = {"accountant", "payroll_hr", "hr", "librarian"}
    assert audience_names(org, document) == expected
    assert owing_names(org) == expected
    assert document.audience_description() == "Finance, HR, Public-facing staff"


def test_a_document_for_no_one_in_particular_is_for_nobody(org, comms_lead):
    document = publish_document(comms_lead, is_for_everyone=False)
    assert audience_names(org, document) == set()
    assert owing_names(org) == set()
    assert document.audience_description() == "Nobody yet"


def test_people_who_have_left_are_never_in_an_audience(org, comms_lead):
    """The leaver matches every choice (Housing, HR, public-facing) but is no longer here."""
    leaver = org.people.leaver
    for n, audience in enumerate([
        {},
        {"is_for_everyone": False, "departments": [org.housing]},
        {"is_for_everyone": False, "roles": [role_group(Role.HR)]},
        {"is_for_everyone": False, "is_for_public_facing": True},
    ]):  # fmt: skip
        document = publish_document(comms_lead, title=f"Guide {n}", **audience)
        assert leaver.pk not in set(audience_of(document).values_list("pk", flat=True))
    assert owed_by(leaver) == []
    items = list(AcknowledgementSource().due_items(today=TODAY))
    assert len(items) > 0
    assert items_for(items, leaver) == []


# --- What each person owes, for the reminders engine -------------------------------------


def test_everyone_who_owes_an_acknowledgement_gets_one_item_until_they_acknowledge(org, comms_lead, hr):
    document = publish_document(comms_lead, is_for_everyone=False, departments=[org.housing])
    version = document.current_version
    source = AcknowledgementSource()
    people = org.people

    items = list(source.due_items(today=TODAY))
    assert sorted(i.person_id for i in items) == sorted(p.pk for p in (people.staff, people.manager,
                                                                       people.housing_officer))  # fmt: skip
    for item in items:
        assert item.kind == "policies.acknowledgement"
        assert item.subject_key == f"policy:{document.pk}:v1"
        assert item.title == "Read and acknowledge Social media policy"
        assert item.url == "/policies/social-media-policy/"

    acknowledgement_record(version=version, person=people.staff)
    acknowledgement_record(version=version, person=people.manager, kind=Acknowledgement.Kind.EXEMPT,
                           recorded_by=hr, reason="Seconded elsewhere.")  # fmt: skip
    assert [i.person_id for i in source.due_items(today=TODAY)] == [people.housing_officer.pk]
    acknowledgement_record(version=version, person=people.housing_officer, kind=Acknowledgement.Kind.ON_BEHALF,
                           recorded_by=hr, reason="Signed a paper copy.")  # fmt: skip
    assert list(source.due_items(today=TODAY)) == []


def test_documents_that_ask_nothing_of_anyone_make_no_items(org, comms_lead):
    """Not needing acknowledgement, still a draft, or retired: nobody is reminded."""
    publish_document(comms_lead, title="For information", requires_acknowledgement=False)
    document_draft(comms_lead, title="Not yet published")
    retired = publish_document(comms_lead, title="Withdrawn")
    document_retire(document=retired, actor=comms_lead, reason="Out of date.")
    assert list(AcknowledgementSource().due_items(today=TODAY)) == []
    assert owing_names(org) == set()


def test_the_due_date_counts_from_publication_or_from_a_later_start(org, comms_lead):
    """Existing staff have the set days from publication; someone who starts later has them from their first day."""
    document = publish_document(comms_lead, acknowledge_within_days=14)
    backdate(document.current_version, published_at=at(datetime.date(2026, 3, 2)))
    long_serving = UserFactory(start_date=datetime.date(2019, 5, 1))
    started_the_day_before = UserFactory(start_date=datetime.date(2026, 3, 1))
    new_starter = UserFactory(start_date=datetime.date(2026, 3, 10))
    items = list(AcknowledgementSource().due_items(today=TODAY))

    expected = {
        org.people.staff: datetime.date(2026, 3, 16),  # no start date recorded
        long_serving: datetime.date(2026, 3, 16),
        started_the_day_before: datetime.date(2026, 3, 16),
        new_starter: datetime.date(2026, 3, 24),
    }
    for person, due in expected.items():
        [item] = items_for(items, person)
        assert item.due_on == due, person
        [owed] = owed_by(person)
        assert owed.due_on == due, person


def test_a_minor_version_keeps_the_due_date_and_a_major_one_sets_a_new_one(org, comms_lead):
    """A typo fix must not move anyone's deadline or look like a new reminder; a major change is a new one."""
    document = publish_document(comms_lead, acknowledge_within_days=14)
    backdate(document.current_version, published_at=at(datetime.date(2026, 3, 2)))
    source = AcknowledgementSource()
    staff = org.people.staff

    minor = publish_new_version(document, change="minor", body=BODY + "\n\nA new link.", author=comms_lead)
    backdate(minor, published_at=at(datetime.date(2026, 3, 9)))
    [item] = items_for(source.due_items(today=TODAY), staff)
    assert (item.due_on, item.subject_key) == (datetime.date(2026, 3, 16), f"policy:{document.pk}:v1")
    assert owed_by(staff)[0].due_on == datetime.date(2026, 3, 16)

    major = publish_new_version(document, change="major", body=BODY + "\n\n## New\n\nNew rules.",
                                what_changed="New rules.", author=comms_lead)  # fmt: skip
    backdate(major, published_at=at(datetime.date(2026, 4, 1)))
    [item] = items_for(source.due_items(today=TODAY), staff)
    assert (item.due_on, item.subject_key) == (datetime.date(2026, 4, 15), f"policy:{document.pk}:v2")
    assert owed_by(staff)[0].due_on == datetime.date(2026, 4, 15)


def test_owed_documents_are_soonest_due_first(org, comms_lead):
    later = publish_document(comms_lead, title="Alpha guide", acknowledge_within_days=30)
    sooner = publish_document(comms_lead, title="Zulu guide", acknowledge_within_days=5)
    assert [owed.document for owed in owed_by(org.people.staff)] == [sooner, later]


# --- Reviews ------------------------------------------------------------------------------


def test_the_owner_is_asked_to_review_from_thirty_days_before_the_review_date(org, comms_lead):
    owner = org.people.manager
    document = publish_document(comms_lead, owner=owner, review_on=TODAY + datetime.timedelta(days=REVIEW_NOTICE_DAYS))
    source = ReviewSource()
    [item] = list(source.due_items(today=TODAY))
    assert item == DueItem(
        person_id=owner.pk,
        kind="policies.review",
        subject_key=f"review:{document.pk}:{document.review_on:%Y-%m-%d}",
        title="Review Social media policy",
        url="/policies/social-media-policy/",
        due_on=TODAY + datetime.timedelta(days=30),
    )
    assert list(source.due_items(today=TODAY - datetime.timedelta(days=1))) == []  # 31 days before
    # Still asked once the date has passed, until the owner sets a new one.
    assert len(list(source.due_items(today=TODAY + datetime.timedelta(days=45)))) == 1
    assert source.due_items_for(person=owner, today=TODAY) == [item]
    assert source.due_items_for(person=comms_lead, today=TODAY) == []


def test_retired_documents_and_owners_who_have_left_are_not_asked_to_review(org, comms_lead):
    review_on = TODAY + datetime.timedelta(days=5)
    retired = publish_document(comms_lead, title="Withdrawn", review_on=review_on)
    document_retire(document=retired, actor=comms_lead, reason="Out of date.")
    publish_document(comms_lead, title="Orphaned", owner=org.people.leaver, review_on=review_on)
    publish_document(comms_lead, title="No review date")
    assert list(ReviewSource().due_items(today=TODAY)) == []


# --- One person's view agrees with the sweep -------------------------------------------------


def test_what_one_person_owes_agrees_with_the_sweep(org, comms_lead, hr):
    """Home pages use ``due_items_for``, digests use ``due_items``: a person must see the same in both."""
    people = org.people
    everyone_doc = publish_document(comms_lead, title="Code of conduct", review_on=TODAY)
    backdate(everyone_doc.current_version, published_at=at(datetime.date(2026, 6, 1)))
    publish_new_version(everyone_doc, change="major", body=BODY + "\n\nMore.", what_changed="More.",
                        author=comms_lead)  # fmt: skip
    housing_doc = publish_document(comms_lead, title="Tenancy visits", is_for_everyone=False,
                                   departments=[org.housing], owner=people.manager,
                                   review_on=TODAY + datetime.timedelta(days=10))  # fmt: skip
    hr_doc = publish_document(comms_lead, title="Handling personal data", is_for_everyone=False,
                              roles=[role_group(Role.HR)], is_for_public_facing=True)  # fmt: skip
    acknowledgement_record(version=everyone_doc.current_version, person=people.staff)
    acknowledgement_record(version=housing_doc.current_version, person=people.housing_officer,
                           kind=Acknowledgement.Kind.EXEMPT, recorded_by=hr, reason="On leave.")  # fmt: skip
    acknowledgement_record(version=hr_doc.current_version, person=people.hr)
    people.new_starter = UserFactory(department=org.tenancy, start_date=TODAY + datetime.timedelta(days=7))

    for source in (AcknowledgementSource(), ReviewSource()):
        swept = list(source.due_items(today=TODAY))
        assert swept
        for name, person in everyone(org).items():
            assert items_for(source.due_items_for(person=person, today=TODAY), person) == items_for(swept, person), (
                source.kind.key,
                name,
            )
        assert len(swept) == sum(len(source.due_items_for(person=p, today=TODAY)) for p in everyone(org).values())


# --- Query counts -----------------------------------------------------------------------------


def count_queries(function) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = function()
    return len(queries), result


def add_documents(author, housing, *, start: int, stop: int) -> None:
    """Documents with each kind of audience in turn: everyone; Housing; HR and public-facing staff."""
    audiences = [
        {},
        {"is_for_everyone": False, "departments": [housing]},
        {"is_for_everyone": False, "roles": [role_group(Role.HR)], "is_for_public_facing": True},
    ]
    for n in range(start, stop):
        publish_document(author, title=f"Guide {n:02d}", **audiences[n % 3])


def test_what_a_person_owes_takes_the_same_queries_for_three_documents_and_thirty_people_or_ten_and_300(
    staff, comms_lead
):
    housing = department_get_or_create_path(names=["Communities", "Housing"])
    add_documents(comms_lead, housing, start=0, stop=3)
    UserFactory.create_batch(27, department=housing)
    assert User.objects.count() == 30  # with staff, their manager and the comms lead
    owed_by(staff)  # warm any per-process caches
    small, owed = count_queries(lambda: owed_by(staff))
    assert len(owed) == 2

    add_documents(comms_lead, housing, start=3, stop=10)
    UserFactory.create_batch(270, department=housing)
    acknowledgement_record(version=owed[0].version, person=staff)
    assert User.objects.count() == 300
    large, owed = count_queries(lambda: owed_by(staff))
    assert len(owed) == 6  # 4 for everyone and 3 for Housing, one already acknowledged
    assert large == small


def test_the_acknowledgement_report_takes_the_same_queries_for_30_people_or_300(comms_lead, hr):
    housing = department_get_or_create_path(names=["Communities", "Housing"])
    finance = department_get_or_create_path(names=["Resources", "Finance"])
    document = publish_document(comms_lead, is_for_everyone=False, departments=[housing],
                                roles=[role_group(Role.HR)])  # fmt: skip
    version = document.current_version

    def grow(count: int) -> None:
        people = UserFactory.create_batch(count, department=housing)
        UserFactory.create_batch(count // 10, department=finance)  # not in the audience
        for person in people[: count // 3]:
            acknowledgement_record(version=version, person=person)

    grow(30)
    acknowledgement_report(document, version)
    small, report = count_queries(lambda: acknowledgement_report(document, version))
    assert (report.total, report.acknowledged) == (31, 10)  # 30 in Housing and HR

    grow(270)
    large, report = count_queries(lambda: acknowledgement_report(document, version))
    assert (report.total, report.acknowledged, report.read) == (301, 100, 100)
    lines = {line.department: (line.total, line.acknowledged) for line in report.departments}
    assert lines == {"Housing": (300, 100), "No department": (1, 0)}
    assert large == small


def test_the_reminder_sweep_takes_a_fixed_number_of_queries_per_document(staff, comms_lead):
    """A few queries to start, then the same number for each document, whatever the number of people."""
    housing = department_get_or_create_path(names=["Communities", "Housing"])
    source = AcknowledgementSource()

    def sweep() -> tuple[int, list[DueItem]]:
        return count_queries(lambda: list(source.due_items(today=TODAY)))

    UserFactory.create_batch(10, department=housing)
    counts = []
    for n in range(3):
        add_documents(comms_lead, housing, start=n, stop=n + 1)
        counts.append(sweep()[0])
    per_document = counts[1] - counts[0]
    assert counts[2] - counts[1] == per_document
    assert per_document == 1

    UserFactory.create_batch(100, department=housing)
    large, items = sweep()
    assert large == counts[2]
    assert len({i.person_id for i in items}) == User.objects.count() == 113  # the first guide is for everyone
