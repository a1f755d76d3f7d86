"""Demo rota: a fortnight of out-of-hours cover by the demo comms team, with one gap and one swap waiting.

The story (employee numbers in brackets):

- Catriona MacLeod (GC1007), Head of Communications, is the head of
  communications on the rota: the last rung of escalation. She set it up.
- Euan Robertson (GC1021), Mhairi Campbell (GC1022), Rhona Stewart (GC1019)
  and Jamie Wallace (GC1020) take turns as primary and secondary: weeknights
  17:30 to 09:00, and weekends and bank holidays from 09:00 to 09:00 the
  next day, from yesterday for fifteen days, so someone is on call now
  whatever the time.
- Nine nights from today nobody is primary (the rota page explains the gap).
- Five nights from today the primary has asked a colleague who is free that
  night to take the shift; the request is waiting for an answer.

Everything goes through the rota services, as the pages do. The loader
leaves a rota that already has shifts alone, so loading the demo again
changes nothing, and never overwrites a rota someone has edited.
"""

from __future__ import annotations

import datetime

from socialgov.notifications.working_time import is_working_day
from socialgov.people.demo import DemoContext
from socialgov.rota.models import OnCallPhone, Shift, ShiftSwap
from socialgov.rota.services import on_call_phone_set, rota_settings_update, shift_add, swap_request
from socialgov.rota.times import day_start, local_moment

HEAD_OF_COMMS = "GC1007"
# The turns: on night n, person n is primary and person n + 1 secondary.
ON_CALL = ("GC1021", "GC1022", "GC1019", "GC1020")
# Ofcom's numbers reserved for drama: never anyone's real phone.
PHONES = {
    "GC1007": "07700 900001",
    "GC1021": "07700 900021",
    "GC1022": "07700 900022",
    "GC1019": "07700 900019",
    "GC1020": "07700 900020",
}
FIRST_NIGHT = -1
NIGHTS = 15
GAP_NIGHT = 9
SWAP_NIGHT = 5
SWAP_NOTE = "It's my daughter's school concert that evening. I can take one of your weekends instead."
EVENING = datetime.time(17, 30)
MORNING = datetime.time(9, 0)


def _counts() -> dict[str, int]:
    return {"On-call shifts": Shift.objects.count(), "Swap requests": ShiftSwap.objects.count(),
            "On-call phone numbers": OnCallPhone.objects.count()}  # fmt: skip


def demo_rota_load(context: DemoContext) -> None:
    """The demo rota: settings, a fortnight of shifts with one gap, phone numbers and a pending swap."""
    if Shift.objects.exists():
        for kind, count in _counts().items():
            context.result.record(kind, unchanged=count)
        return
    head = context.person(HEAD_OF_COMMS)
    rota_settings_update(by=head, head_of_comms=head, shift_reminder_minutes=60, is_round_the_clock=False)
    for number, phone in PHONES.items():
        on_call_phone_set(person=context.person(number), number=phone)
    people = [context.person(number) for number in ON_CALL]
    swap_shift = None
    for night in range(FIRST_NIGHT, FIRST_NIGHT + NIGHTS):
        day = context.today + datetime.timedelta(days=night)
        starts_at = local_moment(day, EVENING if is_working_day(day) else MORNING)
        ends_at = local_moment(day + datetime.timedelta(days=1), MORNING)
        primary, secondary = people[night % len(people)], people[(night + 1) % len(people)]
        if night != GAP_NIGHT:
            shift = shift_add(by=head, person=primary, role=Shift.Role.PRIMARY, starts_at=starts_at, ends_at=ends_at)
            if night == SWAP_NIGHT:
                swap_shift = shift
        shift_add(by=head, person=secondary, role=Shift.Role.SECONDARY, starts_at=starts_at, ends_at=ends_at)
    if swap_shift is not None:
        # Someone who is neither primary nor secondary that night.
        free = people[(SWAP_NIGHT + 2) % len(people)]
        swap_request(shift=swap_shift, by=swap_shift.person, to_person=free, note=SWAP_NOTE,
                     now=day_start(context.today))  # fmt: skip
    for kind, count in _counts().items():
        context.result.record(kind, created=count)
