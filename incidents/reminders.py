"""Review actions in the reminders engine: each owner is reminded before and after the action's date."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse

from incidents.models import ReviewAction
from socialgov.notifications.registry import DueItem, Kind

REVIEW_ACTION = Kind(key="incidents.review_action", label="Actions from incident reviews", group="Incidents")


class ReviewActionSource:
    kind = REVIEW_ACTION

    def due_items(self, *, today: datetime.date) -> Iterable[DueItem]:
        return self._items(ReviewAction.objects.filter(status=ReviewAction.Status.OPEN, owner__is_active=True))

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        """For the home page: one query."""
        return list(self._items(ReviewAction.objects.filter(status=ReviewAction.Status.OPEN, owner=person)))

    @staticmethod
    def _items(actions) -> Iterable[DueItem]:
        rows = actions.values_list("pk", "owner_id", "description", "incident_id", "due_on")
        for pk, owner_id, description, incident_id, due_on in rows.iterator(chunk_size=2000):
            yield DueItem(
                person_id=owner_id,
                kind=REVIEW_ACTION.key,
                subject_key=f"review-action:{pk}",
                title=f"Incident review action: {description}",
                url=reverse("incidents:detail", kwargs={"pk": incident_id}) + "#review",
                due_on=due_on,
            )
