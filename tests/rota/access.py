"""Who may open each rota URL, merged into the access matrix (tests/test_access_matrix.py)."""

import datetime

from tests.access_rules import PUBLIC, SIGNED_IN, only, rule

APP = "rota"
RUNS_THE_ROTA = only("comms_lead", "administrator")
ACCESS: dict[str, dict[str, str]] = {
    # Everyone signed in sees the rota, who is on call now, and their own shifts and calendar link.
    "rota:rota": SIGNED_IN,
    "rota:now": SIGNED_IN,
    "rota:mine": SIGNED_IN,
    # POST only: a GET is refused with 405 once signed in.
    "rota:calendar-link": SIGNED_IN,
    # Comms leads and administrators run the rota.
    "rota:settings": RUNS_THE_ROTA,
    "rota:shift-add": RUNS_THE_ROTA,
    "rota:shift-edit": RUNS_THE_ROTA,
    "rota:shift-delete": RUNS_THE_ROTA,
    # The sample shift is ``staff``'s: only they may ask to swap it (the rota is no secret, so others are refused).
    "rota:swap-request": rule("login", "denied", staff="ok"),
    # The sample swap is from ``staff`` to ``manager``: theirs and the rota's runners'; to anyone else, not found.
    "rota:swap": rule("login", "missing", staff="ok", manager="ok", comms_lead="ok", administrator="ok"),
    # Calendar apps cannot sign in: the secret link (here ``staff``'s) is the key.
    "rota:calendar": PUBLIC,
}


def _sample_shift(personas):
    """A primary shift of ``staff``'s, far enough ahead never to have started."""
    from socialgov.rota.models import Shift

    starts_at = datetime.datetime(2036, 1, 5, 17, 30, tzinfo=datetime.UTC)
    shift, _ = Shift.objects.get_or_create(
        person=personas["staff"],
        starts_at=starts_at,
        defaults={"role": Shift.Role.PRIMARY, "ends_at": starts_at + datetime.timedelta(hours=15, minutes=30)},
    )
    return shift


def sample_kwargs(name: str, personas) -> dict | None:
    """Arguments for this app's URLs that need them."""
    if name in {"rota:shift-edit", "rota:shift-delete", "rota:swap-request"}:
        return {"pk": _sample_shift(personas).pk}
    if name == "rota:swap":
        from socialgov.rota.models import ShiftSwap

        swap, _ = ShiftSwap.objects.get_or_create(
            shift=_sample_shift(personas),
            from_person=personas["staff"],
            to_person=personas["manager"],
            defaults={"requested_at": datetime.datetime(2035, 12, 1, 9, 0, tzinfo=datetime.UTC)},
        )
        return {"pk": swap.pk}
    if name == "rota:calendar":
        from socialgov.rota.services import calendar_feed_renew

        return {"token": calendar_feed_renew(person=personas["staff"])}
    return {}
