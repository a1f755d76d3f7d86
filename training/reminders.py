"""The training app's reminders: courses due (and refreshers), and licences about to lapse.

The engine decides when to remind and when to tell the line manager; this
module says what is open. An assignment is open until completed or exempted;
a licence is about to lapse from ``LICENCE_NOTICE_DAYS`` before it runs out.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from socialgov.notifications.registry import DueItem, Kind
from training.models import Assignment, Licence

ASSIGNMENT = Kind(key="training.assignment", label="Courses to complete", group="Training")
LICENCE = Kind(key="training.licence", label="Your licence to post", group="Your licence to post")
LICENCE_NOTICE_DAYS = 30


class AssignmentSource:
    kind = ASSIGNMENT

    def _items(self, assignments) -> Iterator[DueItem]:
        rows = assignments.values_list("pk", "person_id", "source", "due_on", "course__title", "course__slug")
        for pk, person_id, source, due_on, title, slug in rows.iterator(chunk_size=5000):
            verb = "Renew" if source == Assignment.Source.REFRESHER else "Complete"
            yield DueItem(
                person_id=person_id,
                kind=self.kind.key,
                subject_key=f"assignment:{pk}",
                title=f"{verb} the course {title}",
                url=reverse("training:course", kwargs={"slug": slug}),
                due_on=due_on,
            )

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        """Every open assignment of a current member of staff: one query."""
        yield from self._items(Assignment.objects.open().filter(person__is_active=True).order_by())

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        return list(self._items(Assignment.objects.open().filter(person=person)))


class LicenceSource:
    kind = LICENCE

    def _expiring(self, today: datetime.date):
        horizon = today + datetime.timedelta(days=LICENCE_NOTICE_DAYS)
        return Licence.objects.filter(lapsed_at__isnull=True, expires_on__lte=horizon, person__is_active=True)

    def _item(self, person_id: int, expires_on: datetime.date) -> DueItem:
        return DueItem(
            person_id=person_id,
            kind=self.kind.key,
            subject_key=f"licence:{expires_on:%Y-%m-%d}",
            title="Renew your licence to post: check what it needs",
            url=reverse("training:mine"),
            due_on=expires_on,
        )

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        for person_id, expires_on in self._expiring(today).values_list("person_id", "expires_on"):
            yield self._item(person_id, expires_on)

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        rows = (
            self._expiring(today or timezone.localdate()).filter(person=person).values_list("person_id", "expires_on")
        )
        return [self._item(person_id, expires_on) for person_id, expires_on in rows]
