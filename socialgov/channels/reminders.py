"""The register's reminders, plugged into the notifications engine.

Each source says what is open, for everyone, in a fixed number of queries;
the engine decides when to remind and when to tell a line manager. Each also
answers for one person, for their home page:

- access reviews due, to the account's owners, from a fortnight before;
- accounts without two-step verification, to their owners and the comms leads;
- an owner's absence with nobody (able) to cover it, to the owner and the comms leads;
- requests for access waiting for a decision, to those who may decide;
- publishing pauses in force, to everyone who may post to a paused account:
  due the day it is shown, so it is never "overdue" and never goes to a manager.

Kinds sent directly (not from a source) are declared here too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from socialgov.channels.models import Absence, AccessRequest, Account, Platform, PublishingPause
from socialgov.channels.selectors import access_by_person, accounts_with_access, licensed_q, requests_waiting_for
from socialgov.notifications.registry import DueItem, Kind
from socialgov.people.models import User
from socialgov.people.roles import Role, has_role

ACCESS_REVIEW = Kind(key="channels.access_review", label="Access reviews of accounts you own", group="Your accounts")
TWO_STEP = Kind(key="channels.two_step", label="Accounts without two-step verification", group="Your accounts")
COVER = Kind(key="channels.cover", label="Cover for account owners who are away", group="Your accounts")
ACCESS_REQUEST = Kind(
    key="channels.access_request", label="Requests to post to an account", group="Waiting for your approval"
)
PAUSE = Kind(key="channels.pause", label="Publishing pauses", group="Publishing paused")
# Sent directly: the asker hears the decision; owners hear when someone's access lapses.
REQUEST_MADE = ACCESS_REQUEST
REQUEST_DECIDED = Kind(key="channels.request_decided", label="Decisions on your requests to post", group="Accounts")
GRANT_LAPSED = Kind(key="channels.grant_lapsed", label="People to remove from accounts you own", group="Your accounts")

# Owners hear of an access review from this many days before it is due.
REVIEW_NOTICE_DAYS = 14
# Two-step verification should be on within this many days of being found off.
TWO_STEP_WITHIN_DAYS = 7
# Absences starting within this many days need cover arranged.
COVER_NOTICE_DAYS = 14
# Whoever may decide a request is expected to within this many days.
DECIDE_WITHIN_DAYS = 3


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _account_url(account_id: int) -> str:
    return reverse("channels:detail", kwargs={"pk": account_id})


def _name(platform: str, handle: str) -> str:
    return f"{handle} on {Platform(platform).label}"


def _comms_lead_ids() -> list[int]:
    return list(User.objects.filter(is_active=True, groups__name=Role.COMMS_LEAD).values_list("pk", flat=True))


class AccessReviewSource:
    """Owners check, every so often, who can get into each account they own."""

    kind = ACCESS_REVIEW

    def _items(self, rows, today: datetime.date) -> Iterator[DueItem]:
        horizon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
        for person_id, account_id, platform, handle, reviewed_on, every, created_at in rows:
            due_on = reviewed_on + datetime.timedelta(days=every) if reviewed_on else timezone.localdate(created_at)
            if due_on <= horizon:
                yield DueItem(
                    person_id=person_id,
                    kind=self.kind.key,
                    subject_key=f"access-review:{account_id}:{due_on:%Y-%m-%d}",
                    title=f"Review who can get into {_name(platform, handle)}",
                    url=_account_url(account_id),
                    due_on=due_on,
                )

    def _rows(self, **filters):
        return (
            Account.owners.through.objects.filter(account__is_active=True, user__is_active=True, **filters)
            .values_list(
                "user_id",
                "account_id",
                "account__platform",
                "account__handle",
                "account__last_access_review_on",
                "account__access_review_every_days",
                "account__created_at",
            )
            .order_by("account_id", "user_id")
        )

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        """Every owner of an account due a review within the notice period: one query."""
        yield from self._items(self._rows(), today)

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        return list(self._items(self._rows(user=person), today))


class TwoStepSource:
    """An account without two-step verification is one stolen password from being taken over."""

    kind = TWO_STEP

    def _accounts(self):
        return Account.objects.active().filter(has_two_step=False).order_by("pk")

    def _item(self, person_id: int, account: Account) -> DueItem:
        since = account.two_step_off_since or timezone.localdate(account.created_at)
        return DueItem(
            person_id=person_id,
            kind=self.kind.key,
            subject_key=f"two-step:{account.pk}:{since:%Y-%m-%d}",
            title=f"Turn on two-step verification for {account}",
            url=_account_url(account.pk),
            due_on=since + datetime.timedelta(days=TWO_STEP_WITHIN_DAYS),
        )

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        """To each account's owners and every comms lead: three queries."""
        accounts = list(self._accounts().prefetch_related("owners"))
        if not accounts:
            return
        comms_leads = _comms_lead_ids()
        for account in accounts:
            people = {owner.pk for owner in account.owners.all() if owner.is_active} | set(comms_leads)
            for person_id in sorted(people):
                yield self._item(person_id, account)

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        accounts = self._accounts()
        if not has_role(person, Role.COMMS_LEAD):
            accounts = accounts.filter(owners=person)
        return [self._item(person.pk, account) for account in accounts]


class CoverSource:
    """An owner going away with nobody (able) to look after their accounts meanwhile.

    Cover counts only while the covering person works here and holds a
    posting licence, so cover that has since lapsed asks again.
    """

    kind = COVER

    def _uncovered(self, today: datetime.date):
        horizon = today + datetime.timedelta(days=COVER_NOTICE_DAYS)
        owns_active = Exists(Account.objects.active().filter(owners=OuterRef("owner_id")))
        covered = Q(covered_by__is_active=True) & licensed_q(today, "covered_by_id")
        return (
            Absence.objects.filter(ends_on__gte=today, starts_on__lte=horizon, owner__is_active=True)
            .filter(Q(account__is_active=True) | (Q(account__isnull=True) & owns_active))
            .exclude(covered)
            .select_related("owner", "account")
            .order_by("starts_on", "pk")
        )

    def _item(self, absence: Absence, person_id: int) -> DueItem:
        dates = f"{_day(absence.starts_on)} to {_day(absence.ends_on)}"
        if person_id == absence.owner_id:
            what = f"{absence.account}" if absence.account_id else "your accounts"
            title = f"Arrange cover for {what} while you are away, {dates}"
            url = reverse("channels:absences")
        else:
            what = f"{absence.account}" if absence.account_id else f"{absence.owner}'s accounts"
            title = f"{absence.owner} is away {dates} and nobody covers {what}"
            url = _account_url(absence.account_id) if absence.account_id else reverse("channels:absences")
        return DueItem(
            person_id=person_id,
            kind=self.kind.key,
            subject_key=f"cover:{absence.pk}",
            title=title,
            url=url,
            due_on=absence.starts_on,
        )

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        """To the owner and every comms lead: two queries."""
        absences = list(self._uncovered(today))
        if not absences:
            return
        comms_leads = _comms_lead_ids()
        for absence in absences:
            for person_id in sorted({absence.owner_id, *comms_leads}):
                yield self._item(absence, person_id)

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        absences = self._uncovered(today)
        if not has_role(person, Role.COMMS_LEAD):
            absences = absences.filter(owner=person)
        return [self._item(absence, person.pk) for absence in absences]


class AccessRequestSource:
    """Requests to post, waiting for the asker's line manager or an owner of the account."""

    kind = ACCESS_REQUEST

    def _open(self):
        return AccessRequest.objects.filter(
            status=AccessRequest.Status.REQUESTED, person__is_active=True, account__is_active=True
        ).select_related("person", "account")

    def _item(self, access_request: AccessRequest, person_id: int) -> DueItem:
        requested_on = timezone.localdate(access_request.requested_at)
        return DueItem(
            person_id=person_id,
            kind=self.kind.key,
            subject_key=f"access-request:{access_request.pk}",
            title=f"Approve or refuse {access_request.person}'s request to post to {access_request.account}",
            url=reverse("channels:request-decide", kwargs={"pk": access_request.pk}),
            due_on=requested_on + datetime.timedelta(days=DECIDE_WITHIN_DAYS),
        )

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        """To the asker's line manager and each owner of the account: two queries."""
        requests = list(self._open().order_by("pk"))
        if not requests:
            return
        owners: dict[int, set[int]] = {}
        for account_id, user_id in Account.owners.through.objects.filter(
            account_id__in={r.account_id for r in requests}, user__is_active=True
        ).values_list("account_id", "user_id"):
            owners.setdefault(account_id, set()).add(user_id)
        for access_request in requests:
            deciders = set(owners.get(access_request.account_id, set()))
            if access_request.person.line_manager_id:
                deciders.add(access_request.person.line_manager_id)
            deciders.discard(access_request.person_id)
            for person_id in sorted(deciders):
                yield self._item(access_request, person_id)

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        return [self._item(access_request, person.pk) for access_request in requests_waiting_for(person)]


class PauseSource:
    """A pause in force, shown to everyone who may post to a paused account until it is lifted."""

    kind = PAUSE

    def _pauses(self) -> list[PublishingPause]:
        return list(PublishingPause.objects.in_force().prefetch_related("accounts").order_by("pk"))

    def _item(self, pause: PublishingPause, person_id: int, today: datetime.date) -> DueItem:
        return DueItem(
            person_id=person_id,
            kind=self.kind.key,
            subject_key=f"pause:{pause.pk}",
            title=f"Publishing is paused on {pause.short_scope()}: do not post until it is lifted",
            url=reverse("channels:pause", kwargs={"pk": pause.pk}),
            due_on=today,
        )

    def _affected(self, pause: PublishingPause, accounts: Iterable[int]) -> bool:
        return pause.is_all_accounts or any(pause.covers(account_id) for account_id in accounts)

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        """To everyone with access to a paused account: four queries."""
        pauses = self._pauses()
        if not pauses:
            return
        everything = any(pause.is_all_accounts for pause in pauses)
        ids = None if everything else {account.pk for pause in pauses for account in pause.accounts.all()}
        for person_id, accounts in sorted(access_by_person(ids).items()):
            for pause in pauses:
                if self._affected(pause, accounts):
                    yield self._item(pause, person_id, today)

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        pauses = self._pauses()
        if not pauses:
            return []
        accounts = set(accounts_with_access(person).values_list("pk", flat=True))
        return [self._item(pause, person.pk, today) for pause in pauses if accounts and self._affected(pause, accounts)]
