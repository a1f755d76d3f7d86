"""The rota pages through Django's test client: what each person sees, forms that keep their input, refusals."""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socialgov.rota.models import CalendarFeed, OnCallPhone, RotaSettings, Shift, ShiftSwap
from socialgov.rota.selectors import on_call_at
from socialgov.rota.services import swap_request
from tests.rota.conftest import MONDAY, ShiftFactory, at, next_day

pytestmark = pytest.mark.django_db

PRIMARY, SECONDARY = Shift.Role.PRIMARY, Shift.Role.SECONDARY


def text_of(html: str) -> str:
    """Visible words, tags stripped and spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def text(response) -> str:
    return text_of(response.content.decode())


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def far_day():
    """A Saturday far enough ahead that no shift on it has started."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    return day + datetime.timedelta(days=(5 - day.weekday()) % 7)


def shift_form(person_email, day, *, role=PRIMARY, start="17:30", end_day=None, end="09:00", note=""):
    return {"person": person_email, "role": role, "starts_on": day.isoformat(), "starts_time": start,
            "ends_on": (end_day or next_day(day)).isoformat(), "ends_time": end, "note": note}  # fmt: skip


# --- The rota page ---------------------------------------------------------------------------


def test_everyone_sees_the_rota_who_is_on_now_and_what_is_wrong(client, staff, alex, blair, today):
    now = timezone.now()
    ShiftFactory(person=alex, starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=2))
    OnCallPhone.objects.create(person=alex, number="+447700900123")
    client.force_login(staff)
    response = client.get(reverse("rota:rota"))
    page = text(response)
    assert response.status_code == 200
    assert "Primary Alex Adams" in page
    assert "Phone: 07700 900123" in page
    assert 'href="tel:+447700900123"' in response.content.decode()
    assert "Secondary Nobody" in page
    assert "Nobody is secondary from" in page
    assert f"{today:%-d} {today:%B}" in page
    # Staff do not run the rota.
    assert "Add a shift" not in page
    assert "Change" not in page


def test_comms_leads_see_how_to_change_the_rota(client, comms_lead, alex, today):
    shift = ShiftFactory(person=alex, starts_at=at(today, 17, 30), ends_at=at(next_day(today), 9))
    client.force_login(comms_lead)
    content = client.get(reverse("rota:rota")).content.decode()
    assert reverse("rota:shift-add") in content
    assert reverse("rota:shift-edit", kwargs={"pk": shift.pk}) in content
    assert f"?day={today.isoformat()}" in content


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_rota_page_runs_the_same_queries_for_few_shifts_or_many(client, staff, alex, blair, today):
    client.force_login(staff)
    RotaSettings.current()
    ShiftFactory(person=alex, starts_at=at(today, 17, 30), ends_at=at(next_day(today), 9))
    url = reverse("rota:rota")
    client.get(url)
    few = count_queries(client, url)
    for n in range(1, 14):
        day = next_day(today, n)
        ShiftFactory(person=alex, starts_at=at(day, 17, 30), ends_at=at(next_day(day), 9))
        shift = ShiftFactory(person=blair, role=SECONDARY, starts_at=at(day, 17, 30), ends_at=at(next_day(day), 9))
        ShiftSwap.objects.create(shift=shift, from_person=blair, to_person=alex, requested_at=timezone.now())
    assert count_queries(client, url) == few
    assert few <= 12


def test_the_rota_pages_through_fortnights_and_ignores_a_bad_date(client, staff, far_day):
    client.force_login(staff)
    response = client.get(reverse("rota:rota") + f"?from={far_day.isoformat()}")
    assert f"{far_day:%-d} {far_day:%B}" in text(response)
    assert "Back to today" in text(response)
    assert client.get(reverse("rota:rota") + "?from=2026-02-31").status_code == 200


def test_the_on_call_now_page_lists_the_ladder(client, staff, alex, casey):
    RotaSettings.objects.create(head_of_comms=casey)
    now = timezone.now()
    ShiftFactory(person=alex, starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=2))
    client.force_login(staff)
    page = text(client.get(reverse("rota:now")))
    assert "Primary Alex Adams" in page
    assert "Head of communications Casey Clark" in page


def test_without_a_primary_the_page_says_so(client, staff):
    RotaSettings.objects.create(is_round_the_clock=True)
    client.force_login(staff)
    page = text(client.get(reverse("rota:now")))
    assert "Nobody is primary on call." in page
    assert "Not set. A comms lead can set it in the rota settings." in page


def test_the_include_says_when_working_hours_need_no_cover(alex):
    ShiftFactory(person=alex, starts_at=at(MONDAY, 17, 30), ends_at=at(next_day(MONDAY), 9))
    working = render_to_string("rota/_on_call_now.html", {"on_call": on_call_at(at(MONDAY, 12))})
    assert "It is working hours" in working
    assert "Nobody is primary" not in working
    early = render_to_string("rota/_on_call_now.html", {"on_call": on_call_at(at(MONDAY, 8)), "heading_level": 3})
    assert "Nobody is primary on call." in early
    assert '<h3 class="govuk-heading-m">On call now</h3>' in early
    on_duty = render_to_string("rota/_on_call_now.html", {"on_call": on_call_at(at(MONDAY, 20))})
    assert "Alex Adams" in on_duty
    assert "On call until Tue 17 Nov 09:00" in text_of(on_duty)


# --- Adding and changing shifts ------------------------------------------------------------------


def test_a_comms_lead_adds_a_shift_and_is_sent_to_its_day(client, comms_lead, alex, far_day):
    client.force_login(comms_lead)
    response = client.post(reverse("rota:shift-add"), shift_form(alex.email, far_day, note="Gala"))
    shift = Shift.objects.get()
    assert (shift.person, shift.role, shift.note) == (alex, PRIMARY, "Gala")
    assert shift.starts_at == at(far_day, 17, 30)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?from={far_day.isoformat()}#day-{far_day.isoformat()}")
    page = text(client.get(response["Location"]))
    assert "Alex Adams is primary from" in page


def test_the_add_form_starts_at_the_chosen_evening(client, comms_lead, far_day):
    client.force_login(comms_lead)
    content = client.get(reverse("rota:shift-add") + f"?day={far_day.isoformat()}").content.decode()
    assert f'value="{far_day.isoformat()}"' in content
    assert 'value="17:30"' in content
    assert f'value="{next_day(far_day).isoformat()}"' in content


def test_an_end_before_the_start_is_explained_and_the_input_kept(client, comms_lead, alex, far_day):
    client.force_login(comms_lead)
    data = shift_form(alex.email, far_day, end_day=far_day, end="08:00", note="Keep me")
    response = client.post(reverse("rota:shift-add"), data)
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "The end must be after the start" in page
    content = response.content.decode()
    assert f'value="{alex.email}"' in content
    assert "Keep me</textarea>" in content
    assert 'value="08:00"' in content
    assert not Shift.objects.exists()


def test_a_leaver_is_refused_by_name(client, comms_lead, alex, far_day):
    alex.is_active = False
    alex.save(update_fields=["is_active"])
    client.force_login(comms_lead)
    response = client.post(reverse("rota:shift-add"), shift_form(alex.email, far_day))
    assert response.status_code == 400
    assert "Alex Adams has left: choose someone who works here now" in text(response)


def test_someone_leaving_before_the_shift_ends_is_refused(client, comms_lead, alex, far_day):
    alex.leaving_date = next_day(far_day)
    alex.save(update_fields=["leaving_date"])
    client.force_login(comms_lead)
    response = client.post(reverse("rota:shift-add"), shift_form(alex.email, far_day))
    assert response.status_code == 400
    assert "before this shift ends" in text(response)
    # The error sits by the email address, which the summary links to.
    assert 'href="#id_person"' in response.content.decode()


def test_the_same_person_in_both_roles_is_refused_next_to_their_name(client, comms_lead, alex, far_day):
    ShiftFactory(person=alex, role=PRIMARY, starts_at=at(far_day, 17, 30), ends_at=at(next_day(far_day), 9))
    client.force_login(comms_lead)
    response = client.post(reverse("rota:shift-add"), shift_form(alex.email, far_day, role=SECONDARY))
    assert response.status_code == 400
    assert "nobody can be primary and secondary at the same time" in text(response)
    assert 'value="secondary" checked' in response.content.decode()
    assert Shift.objects.count() == 1


def test_a_time_the_clocks_skip_is_refused_in_words(client, comms_lead, alex):
    client.force_login(comms_lead)
    spring = datetime.date(2036, 3, 30)  # the clocks go forward at 01:00 on Sunday 30 March 2036
    data = shift_form(alex.email, spring, start="01:30", end_day=spring, end="09:00")
    response = client.post(reverse("rota:shift-add"), data)
    assert response.status_code == 400
    assert "01:30 on Sunday 30 March 2036 does not exist" in text(response)


def test_an_unknown_email_and_missing_fields_are_explained(client, comms_lead):
    client.force_login(comms_lead)
    response = client.post(reverse("rota:shift-add"), {"person": "nobody@glenmorven.gov.uk"})
    page = text(response)
    assert "Nobody with the email address nobody@glenmorven.gov.uk is in the staff list" in page
    for message in ("Choose primary or secondary", "Enter the start date", "Enter the end time"):
        assert message in page


def test_a_comms_lead_changes_a_shift_and_sees_its_history(client, comms_lead, alex, blair, far_day):
    shift = ShiftFactory(person=alex, starts_at=at(far_day, 17, 30), ends_at=at(next_day(far_day), 9))
    client.force_login(comms_lead)
    url = reverse("rota:shift-edit", kwargs={"pk": shift.pk})
    assert f'value="{alex.email}"' in client.get(url).content.decode()
    response = client.post(url, shift_form(blair.email, far_day, end="10:00"))
    assert response.status_code == 302
    shift.refresh_from_db()
    assert (shift.person, shift.ends_at) == (blair, at(next_day(far_day), 10))
    page = text(client.get(url))
    assert "Changes to this shift" in page
    assert "Blair Brown, primary from" in page


def test_a_comms_lead_deletes_a_shift_after_confirming(client, comms_lead, alex, far_day):
    shift = ShiftFactory(person=alex, starts_at=at(far_day, 17, 30), ends_at=at(next_day(far_day), 9))
    client.force_login(comms_lead)
    url = reverse("rota:shift-delete", kwargs={"pk": shift.pk})
    assert "Delete this shift?" in text(client.get(url))
    assert Shift.objects.exists()
    response = client.post(url, follow=True)
    assert not Shift.objects.exists()
    assert "Shift deleted: Alex Adams is no longer primary from" in text(response)


@pytest.mark.parametrize("persona", ["staff", "manager", "hr", "incident_lead"])
def test_only_those_who_run_the_rota_change_it(client, request, persona, alex, far_day):
    shift = ShiftFactory(person=alex, starts_at=at(far_day, 17, 30), ends_at=at(next_day(far_day), 9))
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("rota:shift-add"), shift_form(alex.email, far_day)).status_code == 403
    assert client.post(reverse("rota:shift-edit", kwargs={"pk": shift.pk}), {}).status_code == 403
    assert client.post(reverse("rota:shift-delete", kwargs={"pk": shift.pk})).status_code == 403
    assert client.post(reverse("rota:settings"), {}).status_code == 403
    assert Shift.objects.count() == 1


# --- Swaps ---------------------------------------------------------------------------------------


@pytest.fixture
def staff_shift(staff, far_day):
    return ShiftFactory(person=staff, starts_at=at(far_day, 17, 30), ends_at=at(next_day(far_day), 9))


def test_a_person_asks_a_colleague_to_swap(client, staff, alex, staff_shift):
    client.force_login(staff)
    url = reverse("rota:swap-request", kwargs={"pk": staff_shift.pk})
    response = client.post(url, {"to_person": alex.email, "note": "Concert"}, follow=True)
    swap = ShiftSwap.objects.get()
    assert (swap.to_person, swap.note, swap.status) == (alex, "Concert", ShiftSwap.Status.REQUESTED)
    assert "We have asked Alex Adams to take your shift" in text(response)
    assert "Waiting for an answer" in text(response)


def test_a_refused_swap_keeps_the_input(client, comms_lead, staff, alex, staff_shift, far_day):
    ShiftFactory(person=alex, role=SECONDARY, starts_at=at(far_day, 17, 30), ends_at=at(next_day(far_day), 9))
    client.force_login(staff)
    url = reverse("rota:swap-request", kwargs={"pk": staff_shift.pk})
    response = client.post(url, {"to_person": alex.email, "note": "Concert"})
    assert response.status_code == 400
    assert "nobody can be primary and secondary at the same time. Ask someone else" in text(response)
    assert f'value="{alex.email}"' in response.content.decode()
    assert "Concert</textarea>" in response.content.decode()


def test_someone_else_cannot_ask_to_swap_your_shift(client, manager, staff_shift):
    client.force_login(manager)
    assert client.get(reverse("rota:swap-request", kwargs={"pk": staff_shift.pk})).status_code == 403


def test_the_colleague_accepts_and_the_shift_becomes_theirs(client, staff, manager, staff_shift):
    swap = swap_request(shift=staff_shift, by=staff, to_person=manager)
    client.force_login(manager)
    url = reverse("rota:swap", kwargs={"pk": swap.pk})
    page = text(client.get(url))
    assert "Sandy Staff asks you to take their shift" in page
    response = client.post(url, {"action": "accept"}, follow=True)
    assert "You have taken the shift" in text(response)
    staff_shift.refresh_from_db()
    assert staff_shift.person == manager


def test_the_asker_cannot_accept_their_own_request(client, staff, manager, staff_shift):
    swap = swap_request(shift=staff_shift, by=staff, to_person=manager)
    client.force_login(staff)
    response = client.post(reverse("rota:swap", kwargs={"pk": swap.pk}), {"action": "accept"})
    assert response.status_code == 400
    assert "Only Morag Manager can answer this request." in text(response)
    response = client.post(reverse("rota:swap", kwargs={"pk": swap.pk}), {"action": "withdraw"}, follow=True)
    assert "Request withdrawn" in text(response)


def test_a_swap_is_hidden_from_people_outside_it(client, staff, manager, hr, comms_lead, staff_shift):
    swap = swap_request(shift=staff_shift, by=staff, to_person=manager)
    url = reverse("rota:swap", kwargs={"pk": swap.pk})
    client.force_login(hr)
    assert client.get(url).status_code == 404
    client.force_login(comms_lead)
    page = text(client.get(url))
    assert "Waiting for an answer" in page
    assert "Accept" not in page


# --- Your shifts, the calendar link and your phone number ---------------------------------------------------


def test_your_shifts_lists_whats_coming_and_requests_to_answer(client, staff, manager, staff_shift):
    swap = swap_request(shift=staff_shift, by=staff, to_person=manager)
    client.force_login(manager)
    page = text(client.get(reverse("rota:mine")))
    assert "Sandy Staff asks you to take their primary shift" in page
    assert "You have no shifts coming up" in page
    client.force_login(staff)
    content = client.get(reverse("rota:mine")).content.decode()
    assert reverse("rota:swap", kwargs={"pk": swap.pk}) in content
    assert "Asked Morag Manager to swap" in content


def test_your_shifts_are_paginated(client, staff, today):
    for n in range(25):
        day = next_day(today, n + 1)
        ShiftFactory(person=staff, starts_at=at(day, 17, 30), ends_at=at(next_day(day), 9))
    client.force_login(staff)
    first = client.get(reverse("rota:mine")).content.decode()
    assert first.count('data-testid="my-shifts"') == 1
    assert 'rel="next"' in first
    assert client.get(reverse("rota:mine") + "?page=2").status_code == 200


def test_a_calendar_link_is_shown_once_and_a_new_one_replaces_it(client, staff):
    client.force_login(staff)
    assert "Make a calendar link" in text(client.get(reverse("rota:mine")))
    assert client.get(reverse("rota:calendar-link")).status_code == 405
    response = client.post(reverse("rota:calendar-link"))
    assert response["Cache-Control"] == "no-store"
    first = re.search(r'value="(http://testserver/rota/calendar/[A-Za-z0-9_-]+\.ics)"', response.content.decode())[1]
    assert client.get(first).status_code == 200
    page = text(client.get(reverse("rota:mine")))
    assert "For your security we showed it only once" in page
    assert first not in page
    response = client.post(reverse("rota:calendar-link"))
    second = re.search(r'value="(http://testserver/rota/calendar/[A-Za-z0-9_-]+\.ics)"', response.content.decode())[1]
    assert second != first
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_a_phone_number_is_saved_and_a_bad_one_explained(client, staff):
    client.force_login(staff)
    response = client.post(reverse("rota:mine"), {"number": "01234"})
    assert response.status_code == 400
    assert "Enter a full phone number with its area code" in text(response)
    assert 'value="01234"' in response.content.decode()
    response = client.post(reverse("rota:mine"), {"number": "07700 900123"}, follow=True)
    assert "Phone number saved." in text(response)
    assert OnCallPhone.objects.get(person=staff).number == "+447700900123"
    assert 'value="07700 900123"' in response.content.decode()


# --- Settings -------------------------------------------------------------------------------------------------------


def test_a_comms_lead_names_the_head_of_comms(client, comms_lead, casey):
    client.force_login(comms_lead)
    data = {"head_of_comms": casey.email, "shift_reminder_minutes": "45"}
    response = client.post(reverse("rota:settings"), data, follow=True)
    assert "Rota settings saved." in text(response)
    current = RotaSettings.current()
    assert (current.head_of_comms, current.shift_reminder_minutes, current.is_round_the_clock) == (casey, 45, False)


def test_settings_errors_are_explained(client, comms_lead):
    client.force_login(comms_lead)
    response = client.post(reverse("rota:settings"), {"head_of_comms": "", "shift_reminder_minutes": "2"})
    assert response.status_code == 400
    assert "Enter at least 5 minutes" in text(response)


def test_your_shifts_runs_the_same_queries_for_few_shifts_or_many(client, staff, manager, today):
    def add_shifts(start, count):
        for n in range(start, start + count):
            day = next_day(today, n + 1)
            shift = ShiftFactory(person=staff, starts_at=at(day, 17, 30), ends_at=at(next_day(day), 9))
            swap_request(shift=shift, by=staff, to_person=manager)

    client.force_login(staff)
    add_shifts(0, 2)
    url = reverse("rota:mine")
    client.get(url)
    few = count_queries(client, url)
    add_shifts(2, 20)
    assert count_queries(client, url) == few
