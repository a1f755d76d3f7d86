"""Who may open each channels URL, merged into the access matrix (tests/test_access_matrix.py).

The sample account is owned by ``hr`` (an owner who holds no register role);
``staff`` has asked for access to it, ``manager`` may post to it, and ``hr``
is away from it. Stewards of an account are its owners, comms leads and
administrators; a request is decided by the asker's line manager or an owner.
"""

from tests.access_rules import SIGNED_IN, only, rule

APP = "channels"
STEWARDS = only("hr", "comms_lead", "administrator")
ACCESS: dict[str, dict[str, str]] = {
    # The register, an account, asking for access (the form is on the account page) and your own access.
    "channels:list": SIGNED_IN,
    "channels:detail": SIGNED_IN,
    "channels:request": SIGNED_IN,
    "channels:mine": SIGNED_IN,
    "channels:requests": SIGNED_IN,
    # Comms leads and administrators keep the register.
    "channels:create": only("comms_lead", "administrator"),
    "channels:edit": only("comms_lead", "administrator"),
    # POST only (405 to a GET once the rule has passed): the account's stewards record a review.
    "channels:review": STEWARDS,
    "channels:grant-end": STEWARDS,
    # ``staff``'s request: decided by their line manager or an owner of the account.
    "channels:request-decide": only("manager", "hr"),
    # POST only, and someone else's request or absence is not found.
    "channels:request-withdraw": rule("login", "missing", staff="ok"),
    "channels:absence-cancel": rule("login", "missing", hr="ok"),
    "channels:absences": SIGNED_IN,
    "channels:absence-new": SIGNED_IN,
    # Pauses are seen by everyone; incident leads, comms leads and administrators start and lift them.
    "channels:pauses": SIGNED_IN,
    "channels:pause": SIGNED_IN,
    "channels:pause-new": only("incident_lead", "comms_lead", "administrator"),
    "channels:pause-lift": only("incident_lead", "comms_lead", "administrator"),
}


def _sample(personas):
    """The sample account, with a request, a grant, an absence and a pause on it."""
    import datetime

    from socialgov.channels.models import Absence, AccessGrant, AccessRequest, Account, PublishingPause

    account, created = Account.objects.get_or_create(
        platform="x", handle="@AccessMatrix", defaults={"credentials_location": "Keeper › Comms › Sample"}
    )
    if created:
        account.owners.set([personas["hr"]])
        AccessRequest.objects.create(person=personas["staff"], account=account, reason="Events")
        AccessGrant.objects.create(person=personas["manager"], account=account, approved_by=personas["hr"])
        Absence.objects.create(owner=personas["hr"], starts_on=datetime.date(2030, 1, 1),
                               ends_on=datetime.date(2030, 1, 5))  # fmt: skip
        pause = PublishingPause.objects.create(reason="Sample", started_by=personas["incident_lead"])
        pause.accounts.set([account])
    return account


def sample_kwargs(name: str, personas) -> dict | None:
    """Arguments for this app's URLs that need them."""
    account = _sample(personas)
    if name in {"channels:detail", "channels:edit", "channels:review", "channels:request"}:
        return {"pk": account.pk}
    if name in {"channels:request-decide", "channels:request-withdraw"}:
        return {"pk": account.access_requests.get().pk}
    if name == "channels:grant-end":
        return {"pk": account.grants.get().pk}
    if name == "channels:absence-cancel":
        return {"pk": account.owners.get().account_absences.get().pk}
    if name in {"channels:pause", "channels:pause-lift"}:
        return {"pk": account.pauses.get().pk}
    return {}
