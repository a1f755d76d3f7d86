"""Writes to the register: accounts, access reviews, cover, posting access and publishing pauses.

Every rule about who may do what to an account lives here, once; the pages,
the nightly task, the demo and (later) incidents call these functions.
Access to post follows the posting licence: it is asked for with a licence
in force, approved by one person (the asker's line manager or an owner of
the account, never the asker), and lapses when the licence lapses, the person
leaves, or the account is retired. Whoever removes people on the platform
itself (the owners) is told each time.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from socialgov.channels.models import Absence, AccessGrant, AccessRequest, Account, PublishingPause
from socialgov.channels.reminders import GRANT_LAPSED, REQUEST_DECIDED, REQUEST_MADE
from socialgov.channels.selectors import licence_holds, licensed_q
from socialgov.channels.validators import validate_not_a_password
from socialgov.notifications.services import notice_send
from socialgov.people.models import User
from socialgov.people.roles import Role, has_role
from training.licensing import Requirement, requirements_for
from training.models import Licence

logger = logging.getLogger(__name__)

# Who keeps the register, and who may stop publishing.
EDITOR_ROLES = (Role.COMMS_LEAD, Role.ADMINISTRATOR)
PAUSE_ROLES = (Role.INCIDENT_LEAD, Role.COMMS_LEAD, Role.ADMINISTRATOR)


class ChannelsError(Exception):
    """A rule said no; the message says why, to the person who tried."""


class LicenceNeeded(ChannelsError):
    """Asking for access needs a posting licence; ``missing`` says what is still to do."""

    def __init__(self, message: str, missing: list[Requirement]):
        super().__init__(message)
        self.missing = missing


class CoverRefused(ChannelsError):
    """The person named cannot cover the absence."""


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _account_path(account: Account) -> str:
    return reverse("channels:detail", kwargs={"pk": account.pk})


# --- Roles --------------------------------------------------------------------------


def is_owner(person: User, account: Account) -> bool:
    return account.owners.filter(pk=person.pk).exists()


def may_steward(person: User, account: Account) -> bool:
    """Owners, comms leads and administrators look after an account: reviews, ending someone's access."""
    return person.is_active and (has_role(person, *EDITOR_ROLES) or is_owner(person, account))


def may_pause(person: User) -> bool:
    return person.is_active and has_role(person, *PAUSE_ROLES)


# --- Accounts ---------------------------------------------------------------------


@transaction.atomic
def account_save(*, account: Account, owners: Iterable[User], by: User, today: datetime.date | None = None) -> Account:
    """Add or change an account: two-step verification found off starts its reminder; retiring it ends all access."""
    today = today or timezone.localdate()
    if not (by.is_active and has_role(by, *EDITOR_ROLES)):
        raise ChannelsError("Only comms leads and administrators can add or change accounts in the register.")
    try:
        validate_not_a_password(account.credentials_location)
    except ValidationError as error:
        raise ChannelsError(error.messages[0]) from error
    owners = list(owners)
    if not owners:
        raise ChannelsError("Name at least one owner: someone has to look after the account.")
    leavers = [str(owner) for owner in owners if not owner.is_active]
    if leavers:
        verb = "has" if len(leavers) == 1 else "have"
        raise ChannelsError(f"{', '.join(leavers)} {verb} left: owners must work here now.")
    before = Account.objects.filter(pk=account.pk).values("has_two_step", "is_active").first() if account.pk else None
    if account.has_two_step:
        account.two_step_off_since = None
    elif before is None or before["has_two_step"] or account.two_step_off_since is None:
        account.two_step_off_since = today
    if account.is_active:
        account.retired_on = None
    elif account.retired_on is None:
        account.retired_on = today
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as error:
        raise ChannelsError(
            f"{account.handle} on {account.get_platform_display()} is in the register already."
        ) from error
    account.owners.set(owners)
    if before is not None and before["is_active"] and not account.is_active:
        for grant in account.grants.in_force().select_related("person", "account"):
            grant_lapse(grant=grant, reason="The account was retired")
    return account


@transaction.atomic
def access_review_record(*, account: Account, by: User, today: datetime.date | None = None) -> Account:
    """Someone who looks after the account has checked who can get into it: the next review counts from today."""
    today = today or timezone.localdate()
    if not may_steward(by, account):
        raise ChannelsError("Only the account's owners, comms leads and administrators can record an access review.")
    if not account.is_active:
        raise ChannelsError("This account is retired: it needs no more access reviews.")
    account.last_access_review_on = today
    account.last_access_review_by = by
    account.save(update_fields=["last_access_review_on", "last_access_review_by"])
    return account


# --- Cover ------------------------------------------------------------------------


def cover_refusal(covered_by: User, *, owner: User, ends_on: datetime.date, today: datetime.date) -> str | None:
    """Why someone cannot cover an owner's accounts, or None when they can."""
    if covered_by.pk == owner.pk:
        return "You cannot cover your own absence: choose someone else, or leave it blank."
    if not covered_by.is_active or (covered_by.leaving_date is not None and covered_by.leaving_date <= today):
        return f"{covered_by} has left, so they cannot cover: choose someone who works here now."
    if covered_by.leaving_date is not None and covered_by.leaving_date <= ends_on:
        return (f"{covered_by} leaves on {_day(covered_by.leaving_date)}, before you are back: "
                "choose someone who is here for the whole absence.")  # fmt: skip
    if not licence_holds(covered_by, today=today):
        return (f"{covered_by} does not hold a posting licence, so they cannot cover: choose someone who does, "
                "or ask them to finish the training for it first.")  # fmt: skip
    return None


@transaction.atomic
def absence_record(
    *,
    owner: User,
    account: Account | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
    covered_by: User | None,
    note: str = "",
    today: datetime.date | None = None,
) -> Absence:
    """An owner records time away, and who looks after their accounts meanwhile (blank: nobody yet)."""
    today = today or timezone.localdate()
    owned = owner.owned_accounts.active()
    if account is None and not owned.exists():
        raise ChannelsError("You do not own any accounts in the register, so there is nothing to cover.")
    if account is not None and not owned.filter(pk=account.pk).exists():
        raise ChannelsError(f"You do not own {account}: only its owners record absences for it.")
    if ends_on < starts_on:
        raise ChannelsError("The last day away must be the same as or after the first day.")
    if ends_on < today:
        raise ChannelsError("That absence has already ended: record absences that are still to come or under way.")
    if covered_by is not None:
        refusal = cover_refusal(covered_by, owner=owner, ends_on=ends_on, today=today)
        if refusal:
            raise CoverRefused(refusal)
    return Absence.objects.create(
        owner=owner, account=account, starts_on=starts_on, ends_on=ends_on, covered_by=covered_by, note=note.strip()
    )


@transaction.atomic
def absence_cancel(*, absence: Absence, by: User) -> None:
    """The owner is not going after all, or is back early: the absence goes (its history stays)."""
    if absence.owner_id != by.pk:
        raise ChannelsError("Only the person who is away can cancel their absence.")
    absence.delete()


# --- Asking for and approving access ----------------------------------------------


def _deciders(person: User, account: Account) -> list[User]:
    """Who may decide: the asker's line manager and the account's owners who work here now, never the asker."""
    found = {owner.pk: owner for owner in account.owners.filter(is_active=True)}
    manager = person.line_manager
    if manager is not None and manager.is_active:
        found.setdefault(manager.pk, manager)
    found.pop(person.pk, None)
    return list(found.values())


def may_decide(person: User, access_request: AccessRequest) -> bool:
    if not person.is_active or person.pk == access_request.person_id:
        return False
    return person.pk == access_request.person.line_manager_id or is_owner(person, access_request.account)


def access_request_check(*, person: User, account: Account, today: datetime.date | None = None) -> None:
    """Raise if ``person`` may not ask for access to ``account`` now (LicenceNeeded when it is the licence)."""
    today = today or timezone.localdate()
    if not account.is_active:
        raise ChannelsError(f"{account} is retired: nobody posts to it any more.")
    if is_owner(person, account):
        raise ChannelsError(f"You own {account} already.")
    if AccessGrant.objects.in_force().filter(person=person, account=account).exists():
        raise ChannelsError(f"You can post to {account} already.")
    if AccessRequest.objects.filter(person=person, account=account, status=AccessRequest.Status.REQUESTED).exists():
        raise ChannelsError(f"You have asked for access to {account} already: it is waiting for a decision.")
    if not licence_holds(person, today=today):
        missing = [r for r in requirements_for(person, today=today) if not r.is_met]
        raise LicenceNeeded("You need a posting licence before you can ask for access to an account.", missing)


@transaction.atomic
def access_request_create(
    *, person: User, account: Account, reason: str, today: datetime.date | None = None
) -> AccessRequest:
    """Ask to post to an account; whoever may decide is told at once."""
    if not person.is_active:
        raise ChannelsError("Only people who work here can ask for access.")
    access_request_check(person=person, account=account, today=today)
    if not reason.strip():
        raise ChannelsError("Say why you need to post to this account.")
    deciders = _deciders(person, account)
    if not deciders:
        raise ChannelsError(
            "Nobody can approve this: you have no line manager in the staff list and the account has no owner. "
            "Ask a comms lead to name an owner first."
        )
    access_request = AccessRequest.objects.create(person=person, account=account, reason=reason.strip())
    for decider in deciders:
        notice_send(
            recipient=decider,
            kind=REQUEST_MADE.key,
            key=f"channels-request:{access_request.pk}:{decider.pk}",
            title=f"{person} asks to post to {account}",
            path=reverse("channels:request-decide", kwargs={"pk": access_request.pk}),
            template="channels/email/request_made",
            context={"access_request": access_request, "person": person, "account": account},
        )
    return access_request


def _lock_open(access_request: AccessRequest) -> AccessRequest:
    """The request, locked, if it is still waiting; a decision is made once, however many people try at once."""
    locked = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("person", "account")
        .filter(pk=access_request.pk, status=AccessRequest.Status.REQUESTED)
        .first()
    )
    if locked is None:
        raise ChannelsError("This request has been decided or withdrawn already.")
    return locked


def _decide(access_request: AccessRequest, *, status: str, by: User, note: str = "") -> AccessRequest:
    access_request.status = status
    access_request.decided_by = by
    access_request.decided_at = timezone.now()
    access_request.decision_note = note
    access_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return access_request


def _tell_asker(access_request: AccessRequest) -> None:
    account = access_request.account
    approved = access_request.status == AccessRequest.Status.APPROVED
    notice_send(
        recipient=access_request.person,
        kind=REQUEST_DECIDED.key,
        key=f"channels-request-decided:{access_request.pk}",
        title=f"You can now post to {account}" if approved else f"Your request to post to {account} was refused",
        path=reverse("channels:mine"),
        template="channels/email/request_decided",
        context={"access_request": access_request, "account": account, "is_approved": approved},
    )


def _copy_decision(access_request: AccessRequest, locked: AccessRequest) -> None:
    """Keep the caller's object in step with what was written."""
    for name in ("status", "decided_by", "decided_at", "decision_note"):
        setattr(access_request, name, getattr(locked, name))


@transaction.atomic
def access_request_approve(
    *, access_request: AccessRequest, by: User, today: datetime.date | None = None
) -> AccessGrant:
    """One approval, by the asker's line manager or an owner, gives access: the grant starts now."""
    today = today or timezone.localdate()
    locked = _lock_open(access_request)
    if by.pk == locked.person_id:
        raise ChannelsError("You cannot approve your own request: your line manager or an owner of the account can.")
    if not may_decide(by, locked):
        raise ChannelsError("Only their line manager or an owner of the account can decide this request.")
    person, account = locked.person, locked.account
    if not person.is_active:
        raise ChannelsError(f"{person} has left, so they cannot be given access.")
    if not account.is_active:
        raise ChannelsError(f"{account} is retired: nobody posts to it any more.")
    if not licence_holds(person, today=today):
        raise ChannelsError(
            f"{person} no longer holds a posting licence, so they cannot be given access until they renew it."
        )
    _decide(locked, status=AccessRequest.Status.APPROVED, by=by)
    try:
        with transaction.atomic():
            grant = AccessGrant.objects.create(person=person, account=account, request=locked, approved_by=by)
    except IntegrityError as error:
        raise ChannelsError(f"{person} can post to {account} already.") from error
    _tell_asker(locked)
    _copy_decision(access_request, locked)
    return grant


@transaction.atomic
def access_request_refuse(*, access_request: AccessRequest, by: User, reason: str) -> AccessRequest:
    """Their line manager or an owner says no, and why: the asker is told the reason."""
    locked = _lock_open(access_request)
    if by.pk == locked.person_id:
        raise ChannelsError("You cannot decide your own request. To take it back, withdraw it.")
    if not may_decide(by, locked):
        raise ChannelsError("Only their line manager or an owner of the account can decide this request.")
    if not reason.strip():
        raise ChannelsError("Say why you are refusing: they will be told.")
    _decide(locked, status=AccessRequest.Status.REFUSED, by=by, note=reason.strip())
    _tell_asker(locked)
    _copy_decision(access_request, locked)
    return locked


@transaction.atomic
def access_request_withdraw(*, access_request: AccessRequest, by: User) -> AccessRequest:
    """The asker no longer needs access."""
    locked = _lock_open(access_request)
    if by.pk != locked.person_id:
        raise ChannelsError("Only the person who asked can withdraw a request.")
    _decide(locked, status=AccessRequest.Status.WITHDRAWN, by=by)
    _copy_decision(access_request, locked)
    return locked


# --- Access ending ------------------------------------------------------------------


def _tell_owners_to_remove(grant: AccessGrant) -> None:
    """Access here does not reach the platform: the owners (or, with none, the comms leads) remove the person there."""
    account = grant.account
    recipients = list(account.owners.filter(is_active=True)) or list(
        User.objects.filter(is_active=True, groups__name=Role.COMMS_LEAD).distinct()
    )
    for recipient in recipients:
        notice_send(
            recipient=recipient,
            kind=GRANT_LAPSED.key,
            key=f"channels-grant-lapsed:{grant.pk}:{recipient.pk}",
            title=f"Remove {grant.person} from {account}",
            path=_account_path(account),
            template="channels/email/grant_lapsed",
            context={"grant": grant, "person": grant.person, "account": account},
        )


def grant_lapse(*, grant: AccessGrant, reason: str) -> bool:
    """End a grant in force and tell the owners, once: False when it had ended already."""
    with transaction.atomic():
        locked = (
            AccessGrant.objects.select_for_update(of=("self",))
            .select_related("person", "account")
            .filter(pk=grant.pk, lapsed_at__isnull=True)
            .first()
        )
        if locked is None:
            return False
        locked.lapsed_at = timezone.now()
        locked.lapse_reason = reason[: AccessGrant._meta.get_field("lapse_reason").max_length]
        locked.save(update_fields=["lapsed_at", "lapse_reason"])
        _tell_owners_to_remove(locked)
    grant.lapsed_at, grant.lapse_reason = locked.lapsed_at, locked.lapse_reason
    return True


@transaction.atomic
def grant_end(*, grant: AccessGrant, by: User, reason: str) -> AccessGrant:
    """Someone who looks after the account takes a person's access away before it lapses by itself."""
    if not may_steward(by, grant.account):
        raise ChannelsError("Only the account's owners, comms leads and administrators can end someone's access.")
    if not reason.strip():
        raise ChannelsError("Say why their access is ending.")
    if not grant_lapse(grant=grant, reason=f"Ended by {by}: {reason.strip()}"):
        raise ChannelsError("This access has ended already.")
    return grant


def _lapse_reason(grant: AccessGrant, today: datetime.date) -> str:
    person = grant.person
    if not person.is_active or (person.leaving_date is not None and person.leaving_date <= today):
        return "Left the organisation"
    if not grant.account.is_active:
        return "The account was retired"
    if grant.licence_reason:
        return f"Their posting licence lapsed ({grant.licence_reason})"
    return "They no longer hold a posting licence"


def grants_lapse(today: datetime.date | None = None, *, person: User | None = None) -> int:
    """End every grant whose holder has lost their licence or left, or whose account was retired; returns how many.

    The nightly run calls it for everyone; a licence lapsing or a person
    leaving calls it for them at once. Safe to run any number of times.
    """
    today = today or timezone.localdate()
    last_lapse = Licence.objects.filter(person=OuterRef("person_id"), lapsed_at__isnull=False).order_by("-lapsed_at")
    grants = (
        AccessGrant.objects.in_force()
        .filter(
            Q(person__is_active=False)
            | Q(person__leaving_date__lte=today)
            | Q(account__is_active=False)
            | ~licensed_q(today, "person_id")
        )
        .select_related("person", "account")
        .annotate(licence_reason=Subquery(last_lapse.values("lapse_reason")[:1]))
        .order_by("pk")
    )
    if person is not None:
        grants = grants.filter(person=person)
    count = sum(1 for grant in grants if grant_lapse(grant=grant, reason=_lapse_reason(grant, today)))
    if count:
        logger.info("Posting access lapsed: %s grants", count)
    return count


# --- Publishing pauses ------------------------------------------------------------


@transaction.atomic
def pause_start(*, accounts: Iterable[Account] | None, reason: str, by: User) -> PublishingPause:
    """Stop publishing on these accounts (None: every account) until the pause is lifted."""
    if not may_pause(by):
        raise ChannelsError("Only incident leads, comms leads and administrators can pause publishing.")
    if not reason.strip():
        raise ChannelsError("Say why publishing is paused: everyone with access will read it.")
    chosen = None if accounts is None else list(accounts)
    if chosen is not None and not chosen:
        raise ChannelsError("Choose the accounts to pause, or pause every account.")
    pause = PublishingPause.objects.create(is_all_accounts=chosen is None, reason=reason.strip(), started_by=by)
    if chosen:
        pause.accounts.set(chosen)
    logger.info("Publishing paused on %s by %s", pause.scope(), by.pk)
    return pause


@transaction.atomic
def pause_lift(*, pause: PublishingPause, by: User) -> PublishingPause:
    """Publishing may start again on the paused accounts."""
    if not may_pause(by):
        raise ChannelsError("Only incident leads, comms leads and administrators can lift a pause.")
    locked = PublishingPause.objects.select_for_update().filter(pk=pause.pk, lifted_at__isnull=True).first()
    if locked is None:
        raise ChannelsError("This pause has been lifted already.")
    locked.lifted_at = timezone.now()
    locked.lifted_by = by
    locked.save(update_fields=["lifted_at", "lifted_by"])
    pause.lifted_at, pause.lifted_by = locked.lifted_at, by
    return locked


def pauses_in_force() -> QuerySet[PublishingPause]:
    """Pauses not yet lifted, newest first, with their accounts and who started them."""
    return PublishingPause.objects.in_force().select_related("started_by").prefetch_related("accounts").order_by("-pk")
