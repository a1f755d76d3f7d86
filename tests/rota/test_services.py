"""The rota's rules, called as the pages call them: shifts, swaps, settings, phone numbers."""

import datetime

import pytest

from socialgov.notifications.models import Message, Notification
from socialgov.rota.models import OnCallPhone, RotaSettings, Shift, ShiftSwap
from socialgov.rota.services import (
    RotaError,
    on_call_phone_set,
    rota_settings_update,
    shift_add,
    shift_delete,
    shift_update,
    swap_decide,
    swap_request,
    swap_withdraw,
)
from tests.rota.conftest import MONDAY, SATURDAY, SUNDAY, UTC, at, next_day

pytestmark = pytest.mark.django_db

PRIMARY, SECONDARY = Shift.Role.PRIMARY, Shift.Role.SECONDARY
# The Monday before the shifts: every shift below is still to come.
BEFORE = datetime.datetime(2026, 11, 9, 12, 0, tzinfo=UTC)


def add(by, person, role=PRIMARY, start=None, end=None, **kwargs):
    return shift_add(by=by, person=person, role=role, starts_at=start or at(SATURDAY, 9),
                     ends_at=end or at(SUNDAY, 9), **kwargs)  # fmt: skip


# --- Shifts -----------------------------------------------------------------------------


def test_a_comms_lead_puts_someone_on_call_and_history_says_who(comms_lead, alex):
    shift = add(comms_lead, alex, note="  Covering the gala  ")
    assert (shift.person, shift.role, shift.created_by, shift.note) == (alex, PRIMARY, comms_lead, "Covering the gala")
    assert shift.starts_at.tzinfo == UTC
    assert shift.history.get().history_user == comms_lead


@pytest.mark.parametrize("persona", ["staff", "hr", "incident_lead"])
def test_only_comms_leads_and_administrators_change_the_rota(request, persona, alex):
    with pytest.raises(RotaError, match="Only comms leads and administrators can change the rota"):
        add(request.getfixturevalue(persona), alex)


def test_an_administrator_can_change_the_rota(administrator, alex):
    assert add(administrator, alex).created_by == administrator


def test_the_end_must_be_after_the_start(comms_lead, alex):
    with pytest.raises(RotaError, match="The end must be after the start") as refused:
        add(comms_lead, alex, start=at(SUNDAY, 9), end=at(SUNDAY, 9))
    assert refused.value.field == "ends_at"
    with pytest.raises(RotaError, match="at most 7 days"):
        add(comms_lead, alex, start=at(MONDAY, 9), end=at(next_day(MONDAY, 8), 9))


def test_leavers_cannot_be_put_on_call(comms_lead, alex, blair):
    alex.is_active = False
    alex.save(update_fields=["is_active"])
    with pytest.raises(RotaError, match="Alex Adams has left: choose someone who works here now"):
        add(comms_lead, alex)
    blair.leaving_date = SUNDAY
    blair.save(update_fields=["leaving_date"])
    with pytest.raises(RotaError, match="Blair Brown leaves on 22 November 2026, before this shift ends") as refused:
        add(comms_lead, blair)
    assert refused.value.field == "person"
    assert Shift.objects.count() == 0


def test_nobody_is_primary_and_secondary_at_once(comms_lead, alex):
    add(comms_lead, alex, PRIMARY)
    with pytest.raises(RotaError) as refused:
        add(comms_lead, alex, SECONDARY, start=at(SATURDAY, 17), end=at(SATURDAY, 22))
    assert str(refused.value) == (
        "Alex Adams is already primary from Sat 21 Nov 09:00 to Sun 22 Nov 09:00: "
        "nobody can be primary and secondary at the same time"
    )
    assert refused.value.field == "person"


def test_nobody_holds_two_shifts_of_the_same_role_at_once(comms_lead, alex):
    add(comms_lead, alex, PRIMARY)
    with pytest.raises(RotaError, match="change that shift rather than adding another"):
        add(comms_lead, alex, PRIMARY, start=at(SATURDAY, 17), end=at(SATURDAY, 22))


def test_two_people_may_overlap_in_one_role_for_a_handover(comms_lead, alex, blair):
    add(comms_lead, alex, PRIMARY, start=at(SATURDAY, 9), end=at(SATURDAY, 18))
    add(comms_lead, blair, PRIMARY, start=at(SATURDAY, 17), end=at(SUNDAY, 9))
    assert Shift.objects.count() == 2


def test_back_to_back_shifts_are_not_a_clash(comms_lead, alex):
    add(comms_lead, alex, PRIMARY, start=at(SATURDAY, 9), end=at(SUNDAY, 9))
    add(comms_lead, alex, SECONDARY, start=at(SUNDAY, 9), end=at(next_day(SUNDAY), 9))
    assert Shift.objects.filter(person=alex).count() == 2


def test_changing_a_shift_checks_the_rules_against_the_others(comms_lead, alex, blair):
    first = add(comms_lead, alex, PRIMARY)
    second = add(comms_lead, alex, SECONDARY, start=at(SUNDAY, 9), end=at(next_day(SUNDAY), 9))
    # Moving a shift within its own time is not a clash with itself...
    shift_update(shift=first, by=comms_lead, person=alex, role=PRIMARY, starts_at=at(SATURDAY, 10),
                 ends_at=at(SUNDAY, 9))  # fmt: skip
    # ...but running it into the next one is.
    with pytest.raises(RotaError, match="nobody can be primary and secondary at the same time"):
        shift_update(shift=first, by=comms_lead, person=alex, role=PRIMARY, starts_at=at(SATURDAY, 10),
                     ends_at=at(SUNDAY, 10))  # fmt: skip
    first.refresh_from_db()
    assert first.ends_at == at(SUNDAY, 9)
    shift_update(shift=second, by=comms_lead, person=blair, role=SECONDARY, starts_at=second.starts_at,
                 ends_at=second.ends_at, note="Swapped by phone")  # fmt: skip
    second.refresh_from_db()
    assert (second.person, second.note) == (blair, "Swapped by phone")
    assert second.history.count() == 2


def test_deleting_a_shift_keeps_its_history(comms_lead, alex):
    shift = add(comms_lead, alex)
    pk = shift.pk
    shift_delete(shift=shift, by=comms_lead)
    assert not Shift.objects.filter(pk=pk).exists()
    assert [(h.history_type, h.history_user) for h in Shift.history.filter(id=pk)] == [
        ("-", comms_lead),
        ("+", comms_lead),
    ]


# --- Swaps --------------------------------------------------------------------------------------


@pytest.fixture
def shift(comms_lead, alex):
    return add(comms_lead, alex, PRIMARY)


def test_a_swap_asked_and_accepted_makes_the_shift_theirs(django_capture_on_commit_callbacks, shift, alex, blair):
    with django_capture_on_commit_callbacks(execute=True):
        swap = swap_request(shift=shift, by=alex, to_person=blair, note="Concert", now=BEFORE)
    assert swap.status == ShiftSwap.Status.REQUESTED
    shift.refresh_from_db()
    assert shift.person == alex, "the shift stays Alex's until Blair accepts"
    told = Notification.objects.get(recipient=blair)
    assert told.url == f"/rota/swaps/{swap.pk}/"
    assert Message.objects.get(recipient=blair).subject == "[SocialGov] Alex Adams asks you to take their on-call shift"

    with django_capture_on_commit_callbacks(execute=True):
        swap_decide(swap=swap, by=blair, accept=True, now=BEFORE)
    shift.refresh_from_db()
    swap.refresh_from_db()
    assert shift.person == blair
    assert (swap.status, swap.decided_at) == (ShiftSwap.Status.ACCEPTED, BEFORE)
    assert shift.history.first().history_user == blair
    assert "Blair Brown has taken your primary on-call shift" in Message.objects.get(recipient=alex).body_text


def test_a_declined_swap_leaves_the_shift_and_tells_the_asker(django_capture_on_commit_callbacks, shift, alex, blair):
    swap = swap_request(shift=shift, by=alex, to_person=blair, now=BEFORE)
    with django_capture_on_commit_callbacks(execute=True):
        swap_decide(swap=swap, by=blair, accept=False, now=BEFORE)
    shift.refresh_from_db()
    assert shift.person == alex
    assert swap.status == ShiftSwap.Status.DECLINED
    assert Message.objects.get(recipient=alex).subject == "[SocialGov] Blair Brown declined your shift swap"


def test_only_the_shifts_person_asks_and_only_the_colleague_asked_answers(shift, alex, blair, casey, comms_lead):
    with pytest.raises(RotaError, match="Only Alex Adams can ask to swap this shift"):
        swap_request(shift=shift, by=comms_lead, to_person=blair, now=BEFORE)
    swap = swap_request(shift=shift, by=alex, to_person=blair, now=BEFORE)
    for someone in (alex, casey, comms_lead):
        with pytest.raises(RotaError, match="Only Blair Brown can answer this request"):
            swap_decide(swap=swap, by=someone, accept=True, now=BEFORE)
    with pytest.raises(RotaError, match="Only Alex Adams can withdraw this request"):
        swap_withdraw(swap=swap, by=blair)


def test_a_swap_is_refused_to_yourself_a_leaver_or_someone_on_call_then(comms_lead, shift, alex, blair, casey):
    with pytest.raises(RotaError, match="Choose someone other than yourself"):
        swap_request(shift=shift, by=alex, to_person=alex, now=BEFORE)
    casey.is_active = False
    casey.save(update_fields=["is_active"])
    with pytest.raises(RotaError, match="Casey Clark has left"):
        swap_request(shift=shift, by=alex, to_person=casey, now=BEFORE)
    add(comms_lead, blair, SECONDARY)
    with pytest.raises(RotaError) as refused:
        swap_request(shift=shift, by=alex, to_person=blair, now=BEFORE)
    assert str(refused.value) == (
        "Blair Brown is already secondary from Sat 21 Nov 09:00 to Sun 22 Nov 09:00: nobody can be primary and "
        "secondary at the same time. Ask someone else"
    )
    assert refused.value.field == "to_person"


def test_a_started_shift_cannot_be_swapped(shift, alex, blair):
    with pytest.raises(RotaError, match="This shift has started"):
        swap_request(shift=shift, by=alex, to_person=blair, now=at(SATURDAY, 9))


def test_one_open_request_per_shift(shift, alex, blair, casey):
    swap_request(shift=shift, by=alex, to_person=blair, now=BEFORE)
    with pytest.raises(RotaError, match="You have already asked Blair Brown to take this shift"):
        swap_request(shift=shift, by=alex, to_person=casey, now=BEFORE)


def test_an_answered_request_cannot_be_answered_again(shift, alex, blair):
    swap = swap_request(shift=shift, by=alex, to_person=blair, now=BEFORE)
    swap_decide(swap=swap, by=blair, accept=False, now=BEFORE)
    with pytest.raises(RotaError, match="already been answered: declined"):
        swap_decide(swap=swap, by=blair, accept=True, now=BEFORE)
    stale = ShiftSwap.objects.get(pk=swap.pk)
    ShiftSwap.objects.filter(pk=swap.pk).update(status=ShiftSwap.Status.REQUESTED, decided_at=None)
    stale.status = ShiftSwap.Status.REQUESTED
    swap_withdraw(swap=ShiftSwap.objects.get(pk=swap.pk), by=alex)
    # A copy loaded before the withdrawal cannot accept it afterwards: the claim is conditional.
    with pytest.raises(RotaError, match="already been answered: withdrawn"):
        swap_decide(swap=stale, by=blair, accept=True, now=BEFORE)
    shift.refresh_from_db()
    assert shift.person == alex


def test_accepting_rechecks_the_colleague_is_free(comms_lead, shift, alex, blair):
    swap = swap_request(shift=shift, by=alex, to_person=blair, now=BEFORE)
    add(comms_lead, blair, SECONDARY, start=at(SATURDAY, 20), end=at(SUNDAY, 9))
    with pytest.raises(RotaError, match="nobody can be primary and secondary"):
        swap_decide(swap=swap, by=blair, accept=True, now=BEFORE)
    swap.refresh_from_db()
    assert swap.is_open


def test_changing_the_shift_withdraws_its_open_request(comms_lead, shift, alex, blair, casey):
    swap = swap_request(shift=shift, by=alex, to_person=blair, now=BEFORE)
    shift_update(shift=shift, by=comms_lead, person=casey, role=PRIMARY, starts_at=shift.starts_at,
                 ends_at=shift.ends_at)  # fmt: skip
    swap.refresh_from_db()
    assert swap.status == ShiftSwap.Status.WITHDRAWN
    with pytest.raises(RotaError, match="already been answered: withdrawn"):
        swap_decide(swap=swap, by=blair, accept=True, now=BEFORE)


# --- Settings and phone numbers ---------------------------------------------------------------


def test_settings_name_a_current_head_of_comms(comms_lead, staff, alex):
    rota_settings_update(by=comms_lead, head_of_comms=alex, shift_reminder_minutes=45, is_round_the_clock=True)
    current = RotaSettings.current()
    assert (current.head_of_comms, current.shift_reminder_minutes, current.is_round_the_clock) == (alex, 45, True)
    assert current.history.first().history_user == comms_lead
    alex.is_active = False
    alex.save(update_fields=["is_active"])
    with pytest.raises(RotaError, match="Alex Adams has left"):
        rota_settings_update(by=comms_lead, head_of_comms=alex, shift_reminder_minutes=45, is_round_the_clock=True)
    with pytest.raises(RotaError, match="Only comms leads and administrators"):
        rota_settings_update(by=staff, head_of_comms=None, shift_reminder_minutes=45, is_round_the_clock=True)
    with pytest.raises(RotaError, match="from 5 to 1440"):
        rota_settings_update(by=comms_lead, head_of_comms=None, shift_reminder_minutes=2, is_round_the_clock=True)


def test_phone_numbers_are_kept_in_one_form_and_can_be_removed(alex):
    assert on_call_phone_set(person=alex, number="07700 900123").number == "+447700900123"
    assert on_call_phone_set(person=alex, number="+44 (0)7700 900124").number == "+447700900124"
    with pytest.raises(RotaError, match="Enter a full phone number"):
        on_call_phone_set(person=alex, number="01234")
    assert on_call_phone_set(person=alex, number="  ") is None
    assert not OnCallPhone.objects.exists()
