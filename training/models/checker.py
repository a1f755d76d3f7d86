"""What comms leads set for the post checker: house rules and pre-election periods.

The rules themselves live in ``training.checker`` as plain functions that
know nothing of the database; these rows are the organisation's choices fed
into them. House rules are one row (the organisation has one house style),
kept with its history so a changed banned-word list can be traced.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


def _lines(text: str) -> tuple[str, ...]:
    """One entry per line; blank lines and surrounding spaces ignored, order and case kept."""
    entries: dict[str, str] = {}
    for line in text.splitlines():
        entry = line.strip()
        if entry:
            entries.setdefault(entry.casefold(), entry)
    return tuple(entries.values())


class HouseRules(models.Model):
    banned = models.TextField(blank=True, help_text="One word or phrase per line. Posts using them are stopped.")
    cautioned = models.TextField(
        blank=True, help_text="One word or phrase per line. Posts using them get a warning to think twice."
    )
    sign_off = models.CharField(
        max_length=100, blank=True, help_text="If every post must end with a sign-off, such as “^Parks team”."
    )
    allowed_contacts = models.TextField(
        blank=True,
        help_text="The organisation's own email addresses and phone numbers, one per line: fine to post.",
    )
    mastodon_limit = models.PositiveIntegerField(
        default=500, help_text="Characters allowed by your Mastodon server (500 unless it says otherwise)."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "house rules"
        verbose_name_plural = "house rules"
        constraints = [models.CheckConstraint(condition=Q(mastodon_limit__gte=1), name="house_rules_mastodon_limit")]

    def __str__(self) -> str:
        return "House rules"

    @classmethod
    def current(cls) -> HouseRules:
        """The one row, made on first use so the checker never has to ask whether it exists."""
        return cls.objects.order_by("pk").first() or cls.objects.create()

    def banned_list(self) -> tuple[str, ...]:
        return _lines(self.banned)

    def cautioned_list(self) -> tuple[str, ...]:
        return _lines(self.cautioned)

    def allowed_contacts_list(self) -> tuple[str, ...]:
        return _lines(self.allowed_contacts)


class ElectionPeriod(models.Model):
    """A pre-election period ("purdah"): while one is on, the checker flags political content."""

    name = models.CharField(max_length=200, help_text="For example, “Local elections, May 2027”.")
    starts_on = models.DateField(help_text="Usually the day the notice of election is published.")
    ends_on = models.DateField(help_text="Polling day, or the day results are declared.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="election_period_order")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def on(cls, day: datetime.date):
        return cls.objects.filter(starts_on__lte=day, ends_on__gte=day)
