"""The register's reminder sources: who is told what, due when; the same for one person as for everyone."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from socialgov.channels.models import Absence
from socialgov.channels.reminders import AccessRequestSource, AccessReviewSource, CoverSource, TwoStepSource
from socialgov.channels.services import absence_record, access_request_create
from socialgov.notifications import registry
from socialgov.people.services import person_deactivate
from tests.channels.conftest import TODAY, licence_for, make_account
from tests.factories import UserFactory
from training.models import Licence

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def items(source, today=TODAY):
    return sorted((i.person_id, i.title, i.due_on) for i in source.due_items(today=today))


def items_for(source, person, today=TODAY):
    return sorted((i.person_id, i.title, i.due_on) for i in source.due_items_for(person=person, today=today))


def test_the_register_plugs_its_sources_into_the_engine():
    keys = {source.kind.key for source in registry.sources()}
    assert {"channels.access_review", "channels.two_step", "channels.cover", "channels.access_request",
            "channels.pause"} <= keys  # fmt: skip
    assert registry.kind("channels.grant_lapsed") is not None
    assert registry.kind("channels.request_decided") is not None


# --- Access reviews -------------------------------------------------------------------


def test_owners_are_reminded_of_access_reviews_from_a_fortnight_before(owner, comms_lead, django_assert_num_queries):
    overdue = make_account(owners=[owner], by=comms_lead, handle="@Overdue", last_access_review_on=days(-100))
    make_account(owners=[owner], by=comms_lead, handle="@Soon", last_access_review_on=days(-80))
    make_account(owners=[owner], by=comms_lead, handle="@Later", last_access_review_on=days(-20))
    never = make_account(owners=[owner], by=comms_lead, handle="@Never", last_access_review_on=None)
    never.created_at = datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC)
    never.save(update_fields=["created_at"])
    retired = make_account(owners=[owner], by=comms_lead, handle="@Old", last_access_review_on=days(-200))
    retired.is_active, retired.retired_on = False, TODAY
    retired.save()
    source = AccessReviewSource()
    with django_assert_num_queries(1):
        found = items(source)
    assert found == [
        (owner.pk, "Review who can get into @Never on X (Twitter)", datetime.date(2027, 3, 1)),
        (owner.pk, "Review who can get into @Overdue on X (Twitter)", days(-10)),
        (owner.pk, "Review who can get into @Soon on X (Twitter)", days(10)),
    ]
    assert items_for(source, owner) == found
    assert items_for(source, comms_lead) == []
    [item] = [i for i in source.due_items(today=TODAY) if "@Overdue" in i.title]
    assert item.url == reverse("channels:detail", kwargs={"pk": overdue.pk})


def test_an_owner_who_has_left_is_not_reminded(owner, comms_lead):
    make_account(owners=[owner], by=comms_lead, last_access_review_on=days(-100))
    person_deactivate(person=owner)
    assert items(AccessReviewSource()) == []


# --- Two-step verification ---------------------------------------------------------


def test_an_account_without_two_step_goes_to_its_owners_and_the_comms_leads(owner, comms_lead, staff):
    account = make_account(owners=[owner], by=comms_lead, handle="@NoTwoStep", has_two_step=False)
    make_account(owners=[owner], by=comms_lead, handle="@Safe", has_two_step=True)
    source = TwoStepSource()
    title = "Turn on two-step verification for @NoTwoStep on X (Twitter)"
    assert items(source) == [(owner.pk, title, days(7)), (comms_lead.pk, title, days(7))]
    assert items_for(source, owner) == [(owner.pk, title, days(7))]
    assert items_for(source, comms_lead) == [(comms_lead.pk, title, days(7))]
    assert items_for(source, staff) == []
    account.has_two_step = True
    account.save()
    assert items(source) == []


def test_two_step_reminders_count_from_when_it_was_found_off(owner, comms_lead):
    from socialgov.channels.services import account_save

    account = make_account(owners=[owner], by=comms_lead, has_two_step=True)
    account.has_two_step = False
    account_save(account=account, owners=[owner], by=comms_lead, today=days(5))
    account.has_two_step = False  # saved again later, still off: the date stays
    account_save(account=account, owners=[owner], by=comms_lead, today=days(9))
    assert {due for _, _, due in items(TwoStepSource())} == {days(12)}


# --- Cover --------------------------------------------------------------------------


def away(owner, *, starts=1, ends=5, covered_by=None, account=None):
    return absence_record(owner=owner, account=account, starts_on=days(starts), ends_on=days(ends),
                          covered_by=covered_by, today=TODAY)  # fmt: skip


def test_an_absence_with_no_cover_goes_to_the_owner_and_the_comms_leads(account, owner, comms_lead, staff):
    away(owner)
    source = CoverSource()
    dates = "11 March 2027 to 15 March 2027"
    assert items(source) == [
        (owner.pk, f"Arrange cover for your accounts while you are away, {dates}", days(1)),
        (comms_lead.pk, f"Olive Owner is away {dates} and nobody covers Olive Owner's accounts", days(1)),
    ]
    assert items_for(source, owner) == items(source)[:1]
    assert items_for(source, comms_lead) == items(source)[1:]
    assert items_for(source, staff) == []


def test_cover_by_a_licensed_colleague_settles_it_until_their_licence_lapses(account, owner, staff):
    licence_for(staff)
    away(owner, covered_by=staff)
    assert items(CoverSource()) == []
    Licence.objects.filter(person=staff).update(expires_on=TODAY)
    assert items(CoverSource(), today=days(1)) != []


def test_absences_far_off_or_over_or_for_retired_accounts_need_nothing(account, owner):
    Absence.objects.create(owner=owner, starts_on=days(15), ends_on=days(20))
    Absence.objects.create(owner=owner, starts_on=days(-9), ends_on=days(-1))
    assert items(CoverSource()) == []
    Absence.objects.create(owner=owner, account=account, starts_on=days(2), ends_on=days(3))
    account.is_active, account.retired_on = False, TODAY
    account.save()
    assert items(CoverSource()) == []


# --- Requests waiting -------------------------------------------------------------


def test_a_request_waits_with_the_line_manager_and_the_owners(account, owner, staff, manager, comms_lead):
    licence_for(staff)
    access_request_create(person=staff, account=account, reason="Events", today=TODAY)
    source = AccessRequestSource()
    title = "Approve or refuse Sandy Staff's request to post to @GlenmorvenLibraries on Facebook"
    found = items(source)
    assert [(person, t) for person, t, _ in found] == sorted([(owner.pk, title), (manager.pk, title)])
    assert items_for(source, manager) == [i for i in found if i[0] == manager.pk]
    assert items_for(source, comms_lead) == []
    assert items_for(source, staff) == []


def test_sources_cost_the_same_for_many_accounts(owner, comms_lead, django_assert_num_queries):
    others = UserFactory.create_batch(3)
    for n in range(6):
        account = make_account(owners=[owner, *others], by=comms_lead, has_two_step=False,
                               last_access_review_on=days(-100))  # fmt: skip
        Absence.objects.create(owner=owner, account=account, starts_on=days(n), ends_on=days(n + 1))
    with django_assert_num_queries(3):
        assert len(items(TwoStepSource())) == 6 * 5
    with django_assert_num_queries(2):
        assert len(items(CoverSource())) == 6 * 2
