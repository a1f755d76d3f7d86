"""Reads shared by the pages and the reminders: licences, cover, pauses and who can post where.

Each works for a page of accounts (or everyone) in a fixed number of
queries, so the register costs the same with two accounts or two hundred.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from socialgov.channels.models import Absence, AccessGrant, AccessRequest, Account, PublishingPause
from socialgov.people.models import User
from training.licensing import licence_in_force
from training.models import Licence


def licence_holds(person: User, *, today: datetime.date | None = None) -> bool:
    """Whether the person holds a posting licence that is in force today."""
    today = today or timezone.localdate()
    licence = licence_in_force(person)
    return licence is not None and licence.expires_on >= today


def licensed_q(today: datetime.date, person_field: str = "pk") -> Exists:
    """A filter for rows whose ``person_field`` holds a posting licence in force today, for many rows at once."""
    return Exists(Licence.objects.filter(person=OuterRef(person_field), lapsed_at__isnull=True, expires_on__gte=today))


def cover_on(accounts: Iterable[Account], day: datetime.date) -> dict[int, list[Absence]]:
    """Each account's owners who are away on ``day``, with their cover; one query (owners prefetched)."""
    accounts = list(accounts)
    owner_ids = {owner.pk for account in accounts for owner in account.owners.all()}
    absences = (
        list(Absence.objects.on(day).filter(owner_id__in=owner_ids).select_related("owner", "covered_by"))
        if owner_ids
        else []
    )
    found: dict[int, list[Absence]] = {}
    for account in accounts:
        owners = {owner.pk for owner in account.owners.all()}
        found[account.pk] = [
            absence for absence in absences if absence.owner_id in owners and absence.account_id in (None, account.pk)
        ]
    return found


def pauses_by_account(accounts: Iterable[Account], pauses: Iterable[PublishingPause]) -> dict[int, list]:
    """Which of ``pauses`` (accounts prefetched) stop publishing on each account; no queries."""
    pauses = list(pauses)
    return {account.pk: [pause for pause in pauses if pause.covers(account.pk)] for account in accounts}


def accounts_with_access(person: User) -> QuerySet[Account]:
    """Accounts in use the person may post to: those they own, and those they hold access to."""
    granted = AccessGrant.objects.in_force().filter(person=person, account=OuterRef("pk"))
    return Account.objects.active().filter(Q(owners=person) | Exists(granted)).distinct()


def access_by_person(account_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """Everyone who may post, mapped to the accounts in use they may post to (all accounts, or these); two queries."""
    owners = Account.owners.through.objects.filter(account__is_active=True, user__is_active=True)
    grants = AccessGrant.objects.in_force().filter(account__is_active=True, person__is_active=True)
    if account_ids is not None:
        account_ids = list(account_ids)
        owners = owners.filter(account_id__in=account_ids)
        grants = grants.filter(account_id__in=account_ids)
    found: dict[int, set[int]] = defaultdict(set)
    for person_id, account_id in owners.values_list("user_id", "account_id"):
        found[person_id].add(account_id)
    for person_id, account_id in grants.values_list("person_id", "account_id"):
        found[person_id].add(account_id)
    return found


def requests_waiting_for(person: User) -> QuerySet[AccessRequest]:
    """Open requests this person may decide: from the people they manage, and for the accounts they own."""
    return (
        AccessRequest.objects.filter(
            status=AccessRequest.Status.REQUESTED, person__is_active=True, account__is_active=True
        )
        .filter(Q(person__line_manager=person) | Q(account__owners=person))
        .exclude(person=person)
        .select_related("person", "person__department", "account")
        .distinct()
        .order_by("requested_at", "pk")
    )
