"""Cover: owners record absences; leavers and the unlicensed cannot cover; pages show who covers today."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socialgov.channels.models import Absence
from socialgov.channels.services import ChannelsError, CoverRefused, absence_cancel, absence_record
from socialgov.people.services import person_deactivate
from tests.channels.conftest import TODAY, licence_for, make_account
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def record(owner, *, covered_by=None, account=None, starts=1, ends=5):
    return absence_record(owner=owner, account=account, starts_on=days(starts), ends_on=days(ends),
                          covered_by=covered_by, note="Leave", today=TODAY)  # fmt: skip


def test_an_owner_records_an_absence_covered_by_a_licensed_colleague(account, owner, staff):
    licence_for(staff)
    absence = record(owner, covered_by=staff, account=account)
    assert (absence.owner, absence.account, absence.covered_by) == (owner, account, staff)


def test_an_absence_may_have_nobody_covering_yet(account, owner):
    assert record(owner).covered_by is None


def test_someone_without_a_posting_licence_is_refused_as_cover(account, owner, staff):
    with pytest.raises(CoverRefused) as refused:
        record(owner, covered_by=staff)
    assert str(refused.value) == (
        "Sandy Staff does not hold a posting licence, so they cannot cover: choose someone who does, "
        "or ask them to finish the training for it first."
    )
    assert not Absence.objects.exists()


def test_a_leaver_is_refused_as_cover(account, owner, staff):
    licence_for(staff)
    person_deactivate(person=staff)
    with pytest.raises(CoverRefused, match="Sandy Staff has left, so they cannot cover"):
        record(owner, covered_by=staff)


def test_someone_leaving_before_the_owner_is_back_is_refused_as_cover(account, owner, staff):
    licence_for(staff)
    staff.leaving_date = days(3)
    staff.save(update_fields=["leaving_date"])
    with pytest.raises(CoverRefused, match="Sandy Staff leaves on 13 March 2027, before you are back"):
        record(owner, covered_by=staff)


def test_nobody_covers_their_own_absence(account, owner):
    licence_for(owner)
    with pytest.raises(CoverRefused, match="You cannot cover your own absence"):
        record(owner, covered_by=owner)


def test_only_owners_record_absences_for_their_own_accounts(account, owner, staff, comms_lead):
    with pytest.raises(ChannelsError, match="You do not own any accounts"):
        record(staff)
    someone_elses = make_account(owners=[staff], by=comms_lead)
    with pytest.raises(ChannelsError, match="You do not own"):
        record(owner, account=someone_elses)


def test_dates_must_make_sense(account, owner):
    with pytest.raises(ChannelsError, match="same as or after the first day"):
        record(owner, starts=5, ends=1)
    with pytest.raises(ChannelsError, match="already ended"):
        record(owner, starts=-5, ends=-1)


def test_only_the_person_away_cancels_it(account, owner, staff):
    absence = record(owner)
    with pytest.raises(ChannelsError, match="Only the person who is away"):
        absence_cancel(absence=absence, by=staff)
    absence_cancel(absence=absence, by=owner)
    assert not Absence.objects.exists()
    assert Absence.history.filter(history_type="-").count() == 1


# --- Pages ------------------------------------------------------------------------


def test_the_register_and_the_account_show_who_covers_today(client, account, owner, staff, comms_lead):
    today = timezone.localdate()
    licence_for(staff)
    covered = make_account(owners=[owner], by=comms_lead, handle="@Covered")
    Absence.objects.create(owner=owner, account=covered, starts_on=today, ends_on=today + datetime.timedelta(days=2),
                           covered_by=staff)  # fmt: skip
    Absence.objects.create(owner=owner, account=account, starts_on=today, ends_on=today + datetime.timedelta(days=2))
    client.force_login(staff)
    register = client.get(reverse("channels:list")).content.decode()
    assert "Olive Owner is away until" in register
    assert "covered by Sandy Staff" in register
    assert "No cover" in register
    page = client.get(reverse("channels:detail", kwargs={"pk": covered.pk})).content.decode()
    assert "covered by Sandy Staff" in page
    page = client.get(reverse("channels:detail", kwargs={"pk": account.pk})).content.decode()
    assert "No cover" in page


def test_the_absence_form_keeps_what_was_typed_and_says_why_cover_is_refused(client, account, owner, staff):
    client.force_login(owner)
    today = timezone.localdate()
    response = client.post(reverse("channels:absence-new"), {
        "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
        "covered_by": staff.email, "note": "Conference",
    })  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sandy Staff does not hold a posting licence, so they cannot cover" in page
    assert 'value="Conference"' in page
    assert f'value="{staff.email}"' in page
    licence_for(staff)
    response = client.post(reverse("channels:absence-new"), {
        "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
        "covered_by": staff.email, "account": account.pk,
    })  # fmt: skip
    assert response.status_code == 302
    assert Absence.objects.get().covered_by == staff


def test_someone_elses_absence_cannot_be_cancelled(client, account, owner, staff):
    absence = Absence.objects.create(owner=owner, starts_on=timezone.localdate(), ends_on=timezone.localdate())
    client.force_login(staff)
    assert client.post(reverse("channels:absence-cancel", kwargs={"pk": absence.pk})).status_code == 404
    client.force_login(owner)
    assert client.post(reverse("channels:absence-cancel", kwargs={"pk": absence.pk})).status_code == 302
    assert not Absence.objects.exists()


def test_comms_leads_see_every_owners_absences(client, account, owner, comms_lead):
    Absence.objects.create(owner=owner, starts_on=timezone.localdate(), ends_on=timezone.localdate())
    other = UserFactory()
    client.force_login(other)
    assert "Olive Owner" not in client.get(reverse("channels:absences")).content.decode()
    client.force_login(comms_lead)
    assert "Olive Owner" in client.get(reverse("channels:absences")).content.decode()
