"""The policies app's reminders: documents to acknowledge, and documents due for review.

Both plug into the notifications engine, which decides when to remind and
escalate; this module only says what is open. An acknowledgement is due a
set number of days after a major version is published (or after a new
starter's first day, if later), and stays open until the person, or HR on
their behalf, acknowledges any version with that major number.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from policies.models import Acknowledgement, Document, DocumentVersion, due_on
from policies.selectors import audience_of, documents_needing_acknowledgement, major_published_on, owed_by
from socialgov.notifications.registry import DueItem, Kind

ACKNOWLEDGEMENT = Kind(
    key="policies.acknowledgement", label="Policies to read and acknowledge", group="Policies to read"
)
REVIEW = Kind(key="policies.review", label="Documents due for review", group="Documents you own")
APPROVAL_REQUEST = Kind(
    key="policies.approval", label="Drafts sent to you for approval", group="Waiting for your approval"
)
# Owners hear of a review date from this many days before it.
REVIEW_NOTICE_DAYS = 30
# An approver is expected to decide within this many days of being asked.
APPROVE_WITHIN_DAYS = 3


def _subject_key(document: Document) -> str:
    return f"policy:{document.pk}:v{document.current_version.major}"


def _title(document: Document) -> str:
    return f"Read and acknowledge {document.title}"


class AcknowledgementSource:
    kind = ACKNOWLEDGEMENT

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        """Everyone who owes an acknowledgement: four queries, then one per document."""
        documents = list(documents_needing_acknowledgement())
        if not documents:
            return
        first_published = major_published_on(documents)
        for document in documents:
            version = document.current_version
            outstanding = (
                audience_of(document)
                .filter(~Acknowledgement.objects.covering_person(version))
                .order_by()
                .values_list("pk", "start_date")
            )
            # Worked out once per document: at 100,000 people the per-person date arithmetic is the cost.
            url = reverse("policies:detail", kwargs={"slug": document.slug})
            subject_key, title = _subject_key(document), _title(document)
            published_on = timezone.localdate(first_published[document.pk])
            allowed = datetime.timedelta(days=document.acknowledge_within_days)
            for pk, start_date in outstanding.iterator(chunk_size=5000):
                yield DueItem(
                    person_id=pk,
                    kind=self.kind.key,
                    subject_key=subject_key,
                    title=title,
                    url=url,
                    due_on=due_on(published_on=published_on, start_date=start_date, allowed=allowed),
                )

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        """What one person owes, for their home page."""
        return [
            DueItem(
                person_id=person.pk,
                kind=self.kind.key,
                subject_key=_subject_key(owed.document),
                title=_title(owed.document),
                url=reverse("policies:detail", kwargs={"slug": owed.document.slug}),
                due_on=owed.due_on,
            )
            for owed in owed_by(person)
        ]


class ReviewSource:
    kind = REVIEW

    def _documents(self, today: datetime.date):
        horizon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
        return Document.objects.filter(is_retired=False, review_on__isnull=False, review_on__lte=horizon)

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        documents = self._documents(today).filter(owner__is_active=True)
        for document in documents.only("pk", "slug", "title", "owner_id", "review_on"):
            yield self._item(document, document.owner_id)

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        return [self._item(document, person.pk) for document in self._documents(today).filter(owner=person)]

    def _item(self, document: Document, person_id: int) -> DueItem:
        return DueItem(
            person_id=person_id,
            kind=self.kind.key,
            subject_key=f"review:{document.pk}:{document.review_on:%Y-%m-%d}",
            title=f"Review {document.title}",
            url=reverse("policies:detail", kwargs={"slug": document.slug}),
            due_on=document.review_on,
        )


class ApprovalSource:
    """Drafts waiting for their named approver: on the approver's home page, and reminded if they wait."""

    kind = APPROVAL_REQUEST

    def _waiting(self):
        return DocumentVersion.objects.filter(
            status=DocumentVersion.Status.SUBMITTED, approver__is_active=True
        ).select_related("document")

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        for version in self._waiting():
            yield self._item(version)

    def due_items_for(self, *, person, today: datetime.date) -> list[DueItem]:
        return [self._item(version) for version in self._waiting().filter(approver=person)]

    def _item(self, version: DocumentVersion) -> DueItem:
        submitted = timezone.localdate(version.submitted_at)
        return DueItem(
            person_id=version.approver_id,
            kind=self.kind.key,
            subject_key=f"approval:{version.pk}:{version.submitted_at:%Y%m%d%H%M%S}",
            title=f"Approve or return {version.document.title}",
            url=reverse("policies:draft", kwargs={"slug": version.document.slug}),
            due_on=submitted + datetime.timedelta(days=APPROVE_WITHIN_DAYS),
        )
