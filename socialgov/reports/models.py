"""Roll-ups kept up to date as compliance records change, so reports never scan every row.

Three tables, each derived from the records of training, policies and licences
and rebuilt from them at will (``rollups.rebuild``):

- a *standing* is where one current member of staff stands on one thing they
  must do: a course, a policy to acknowledge, or the posting licence. It is
  rewritten whenever a record behind it changes, and when a date passes.
- a *tally* counts standings by status for one *scope* (the whole
  organisation, or a department together with everything below it) and one
  thing. A change of standing moves one count in the person's department and
  in each department above it, in one UPDATE; the dashboard reads a handful
  of tally rows, whatever the size of the organisation.
- a *snapshot* is a day's tallies, kept for the charts of compliance over time.

A scope is the department's materialised path ("/1/7/12/"), or "" for the
whole organisation: a person's scopes follow from their department's path
with no lookups, and "everything below" is the same prefix as everywhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    COURSE = "course", "Course"
    POLICY = "policy", "Policy"
    LICENCE = "licence", "Posting licence"


# The licence is one thing, not one per row of anything: its item is always 0.
LICENCE_ITEM = 0


class Status(models.TextChoices):
    """Where someone stands, in the order the reports show it (worst first)."""

    OVERDUE = "overdue", "Overdue"
    EXPIRED = "expired", "Expired"
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    EXPIRING = "expiring", "Expiring soon"
    COMPLETE = "complete", "Complete"
    EXEMPT = "exempt", "Exempt"


# Statuses that count as having done what was needed.
COMPLIANT = (Status.COMPLETE, Status.EXPIRING, Status.EXEMPT)
# Statuses of something still owed.
OWED = (Status.OVERDUE, Status.EXPIRED, Status.NOT_STARTED, Status.IN_PROGRESS)
# Tally and snapshot column for each status.
COUNT_FIELDS = {status: status.value for status in Status}


def per_cent(compliant: int, total: int) -> int | None:
    """Whole per cent compliant, rounded down so 99.6% never shows as done; None with nobody to count."""
    return compliant * 100 // total if total else None


class Standing(models.Model):
    """Where one current member of staff stands on one course, policy or the licence."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The course's or document's id; 0 for the licence.
    item_id = models.PositiveIntegerField()
    # Copied from the person so the people list filters by department without a join on people.
    scope = models.CharField(max_length=255, default="", db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("person", "kind", "item_id", name="standing_one_per_person_item"),
        ]
        indexes = [
            models.Index(fields=["kind", "item_id", "status", "scope"], name="standing_item_status_idx"),
            # The nightly pass finds what a date is about to change, without reading the rest.
            models.Index(fields=["status", "due_on"], name="standing_due_idx"),
            models.Index(fields=["status", "expires_on"], name="standing_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}:{self.item_id} {self.status}"


class Counts(models.Model):
    """One count per status, shared by tallies and snapshots."""

    overdue = models.IntegerField(default=0)
    expired = models.IntegerField(default=0)
    not_started = models.IntegerField(default=0)
    in_progress = models.IntegerField(default=0)
    expiring = models.IntegerField(default=0)
    complete = models.IntegerField(default=0)
    exempt = models.IntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def total(self) -> int:
        return sum(getattr(self, field) for field in COUNT_FIELDS.values())

    @property
    def compliant(self) -> int:
        return self.complete + self.expiring + self.exempt

    @property
    def percent(self) -> int | None:
        return per_cent(self.compliant, self.total)


class Tally(Counts):
    """Standings counted by status for one scope (a department and all below it, or everyone) and one thing."""

    scope = models.CharField(max_length=255, default="")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    item_id = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint("scope", "kind", "item_id", name="tally_one_per_scope_item")]

    def __str__(self) -> str:
        return f"{self.scope or 'everyone'} {self.kind}:{self.item_id} {self.compliant}/{self.total}"


class Snapshot(Counts):
    """A day's tally: per scope for each kind as a whole (item 0 sums its items), and per item for everyone."""

    day = models.DateField()
    scope = models.CharField(max_length=255, default="")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    item_id = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint("day", "scope", "kind", "item_id", name="snapshot_one_per_day_scope_item")
        ]
        indexes = [models.Index(fields=["scope", "kind", "item_id", "day"], name="snapshot_series_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.scope or 'everyone'} {self.kind}:{self.item_id}"
