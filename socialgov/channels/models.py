"""The register of the organisation's social media accounts, who may post to them, and publishing pauses.

An ``Account`` is one corporate presence on one platform, owned by a team and
by named people. Anyone else posts only through an ``AccessGrant``, made when
their line manager or an owner approves their ``AccessRequest``; a grant
lapses (and the owners are told to remove the person on the platform) when
the person's posting licence lapses or they leave. Owners record their
``Absence``s and who covers them. A ``PublishingPause`` stops posting on some
or all accounts while an incident is handled. Every change is kept by
simple-history.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from socialgov.channels.validators import validate_not_a_password
from socialgov.people.models import Department

DEFAULT_REVIEW_EVERY_DAYS = 90


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    THREADS = "threads", "Threads"
    LINKEDIN = "linkedin", "LinkedIn"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    OTHER = "other", "Other"


class AccountQuerySet(models.QuerySet):
    def active(self) -> AccountQuerySet:
        return self.filter(is_active=True)


class Account(models.Model):
    """One corporate account on one platform."""

    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=100, help_text="The name on the platform, for example @GlenmorvenCouncil.")
    url = models.URLField("web address", max_length=300, blank=True)
    team = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="social_accounts"
    )
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="owned_accounts")
    has_two_step = models.BooleanField("two-step verification is on", default=False)
    # The day two-step verification was found off: reminders count from it.
    two_step_off_since = models.DateField(null=True, blank=True, editable=False)
    recovery_contact = models.CharField(
        max_length=200, blank=True, help_text="The email address or phone number the platform sends recovery codes to."
    )
    credentials_location = models.CharField(
        "where the password is kept",
        max_length=300,
        validators=[validate_not_a_password],
        help_text="The password manager entry, for example “Keeper › Comms › Council X account”. Never the password.",
    )
    last_access_review_on = models.DateField("last access review", null=True, blank=True)
    last_access_review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    access_review_every_days = models.PositiveSmallIntegerField(
        "review access every (days)",
        default=DEFAULT_REVIEW_EVERY_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    is_active = models.BooleanField("in use", default=True)
    retired_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[owners])

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                "platform",
                Lower("handle"),
                name="account_unique_handle_per_platform",
                violation_error_message="This account is in the register already.",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, retired_on__isnull=True) | Q(is_active=False, retired_on__isnull=False),
                name="account_retired_has_a_date",
            ),
            models.CheckConstraint(condition=Q(access_review_every_days__gte=1), name="account_review_interval"),
        ]

    def __str__(self) -> str:
        return f"{self.handle} on {self.get_platform_display()}"

    def access_review_due_on(self) -> datetime.date:
        """Due a set number of days after the last review; an account never reviewed is due from when it was added."""
        if self.last_access_review_on is None:
            return timezone.localdate(self.created_at)
        return self.last_access_review_on + datetime.timedelta(days=self.access_review_every_days)

    def is_access_review_overdue(self, today: datetime.date) -> bool:
        return self.is_active and self.access_review_due_on() < today


class AbsenceQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> AbsenceQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def covering_account(self, account: Account) -> AbsenceQuerySet:
        """Absences of the account's owners that take in this account (it alone, or all their accounts)."""
        return self.filter(Q(account=account) | Q(account__isnull=True), owner__in=account.owners.all())


class Absence(models.Model):
    """An owner away for a while, for one of their accounts or all of them, and who covers."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_absences")
    # Blank: all the accounts the owner has.
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField()
    ends_on = models.DateField()
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="account_covers"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_start",
                violation_error_message="The last day away must be the same as or after the first day.",
            ),
            models.CheckConstraint(
                condition=~Q(covered_by=models.F("owner")),
                name="absence_not_own_cover",
                violation_error_message="Nobody covers their own absence.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} away {self.starts_on} to {self.ends_on}"


class AccessRequest(models.Model):
    """Someone asking to post to an account; decided once, by their line manager or an owner."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="access_requests")
    reason = models.TextField(max_length=1000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why it was refused, told to the person.
    decision_note = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "person", "account", condition=Q(status="requested"), name="access_request_one_open_per_account"
            ),
            models.CheckConstraint(
                condition=Q(status="requested", decided_at__isnull=True) | ~Q(status="requested"),
                name="access_request_open_is_undecided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} asks to post to {self.account}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED


class AccessGrantQuerySet(models.QuerySet):
    def in_force(self) -> AccessGrantQuerySet:
        return self.filter(lapsed_at__isnull=True)


class AccessGrant(models.Model):
    """Permission for one person to post to one account, from approval until it lapses. A new grant is a new row."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="grants")
    request = models.OneToOneField(
        AccessRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="grant"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lapsed_at = models.DateTimeField(null=True, blank=True)
    lapse_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "person", "account", condition=Q(lapsed_at__isnull=True), name="access_grant_one_in_force"
            ),
            models.CheckConstraint(
                condition=Q(lapsed_at__isnull=True) | Q(lapsed_at__gte=models.F("granted_at")),
                name="access_grant_lapses_after_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} may post to {self.account}"

    @property
    def is_in_force(self) -> bool:
        return self.lapsed_at is None


class PublishingPauseQuerySet(models.QuerySet):
    def in_force(self) -> PublishingPauseQuerySet:
        return self.filter(lifted_at__isnull=True)

    def affecting(self, account_ids) -> PublishingPauseQuerySet:
        """Pauses on every account, or on any of these."""
        return self.filter(Q(is_all_accounts=True) | Q(accounts__in=account_ids)).distinct()


class PublishingPause(models.Model):
    """Nothing is to be published on the paused accounts until the pause is lifted."""

    is_all_accounts = models.BooleanField("every account", default=False)
    accounts = models.ManyToManyField(Account, blank=True, related_name="pauses")
    reason = models.TextField(max_length=1000)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="pauses_started"
    )
    started_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="pauses_lifted"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[accounts])

    objects = PublishingPauseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | Q(lifted_at__gte=models.F("started_at")),
                name="pause_lifted_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Publishing paused on {self.scope()}"

    @property
    def is_in_force(self) -> bool:
        return self.lifted_at is None

    def scope(self) -> str:
        """Either "every account" or the paused accounts by name (from the prefetch cache when there is one)."""
        if self.is_all_accounts:
            return "every account"
        return ", ".join(str(account) for account in self.accounts.all())

    def short_scope(self) -> str:
        """The scope in a few words, for titles: "every account", one account's name, or "3 accounts"."""
        accounts = list(self.accounts.all())
        if self.is_all_accounts:
            return "every account"
        return str(accounts[0]) if len(accounts) == 1 else f"{len(accounts)} accounts"

    def covers(self, account_id: int) -> bool:
        """Whether the pause stops publishing on this account (uses prefetched accounts)."""
        return self.is_all_accounts or any(account.pk == account_id for account in self.accounts.all())
