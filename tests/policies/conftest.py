"""Builders shared by the policies tests.

Documents are made the way people make them, through ``policies.services``:
written by a comms lead, sent to a second comms lead for approval when the
category needs it (a policy), then published. Tests that need a particular
state (a minor version, a retired document) build it with the same calls,
so a change to the rules shows up here once rather than in every test.

Plain functions (``publish_document``, ``publish_new_version`` ...) can be
imported by any test module: ``from tests.policies.conftest import ...``.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.utils.text import slugify

from policies.models import Category, Document, DocumentVersion
from policies.services import (
    category_needs_approval,
    document_create,
    draft_for,
    draft_save,
    draft_start,
    draft_submit,
    version_publish,
)

LONDON = ZoneInfo("Europe/London")

# Three sections: enough for a table of contents.
BODY = (
    "## Purpose\n\nWhy this document exists.\n\n"
    "## Rules\n\nWhat everyone must do when they post online.\n\n"
    "## Help\n\nAsk the comms team."
)


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment in local (London) time; noon by default, well away from midnight."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def role_group(role: str) -> Group:
    """The group that stands for a role, for a document's audience (made on first use, as the roles service does)."""
    return Group.objects.get_or_create(name=role)[0]


def document_draft(
    author,
    *,
    title: str = "Social media policy",
    category: str = Category.GUIDANCE,
    body: str = BODY,
    slug: str | None = None,
    summary: str | None = None,
    owner=None,
    **details,
) -> Document:
    """A new document with its first draft, not published. ``details`` go to ``document_create`` (audience etc.)."""
    return document_create(
        author=author,
        title=title,
        slug=slug or slugify(title),
        summary=summary if summary is not None else f"What we expect: {title.lower()}.",
        category=category,
        owner=owner or author,
        body=body,
        **details,
    )


def publish_draft(document: Document, *, author, approver=None) -> DocumentVersion:
    """Publish the document's open draft as a person would.

    A category that needs approval (a policy) is sent to ``approver``, who
    publishes it; other categories are published by ``author`` directly.
    ``document`` is refreshed so ``current_version`` is the new version.
    """
    draft = draft_for(document)
    if draft is None:
        raise ValueError(f"{document} has no open draft to publish.")
    if category_needs_approval(document.category):
        if approver is None:
            raise ValueError(f"A {document.category} needs an approver: pass approver=.")
        draft_submit(version=draft, actor=author, approver=approver)
        version = version_publish(version=draft, actor=approver)
    else:
        version = version_publish(version=draft, actor=author)
    document.refresh_from_db()
    return version


def publish_document(
    author,
    *,
    approver=None,
    title: str = "Social media policy",
    category: str = Category.GUIDANCE,
    body: str = BODY,
    **details,
) -> Document:
    """A document published at version 1.0 (a policy goes through ``approver`` first); returns the document.

    The published version is ``document.current_version``. ``details`` go to
    ``document_create``: ``departments``, ``roles``, ``is_for_everyone``,
    ``acknowledge_within_days``, ``review_on``, ``owner``, ``slug``, ``summary`` ...
    """
    document = document_draft(author, title=title, category=category, body=body, **details)
    publish_draft(document, author=author, approver=approver)
    return document


def publish_new_version(
    document: Document,
    *,
    change: str,
    body: str,
    author,
    what_changed: str = "",
    approver=None,
) -> DocumentVersion:
    """Start a draft from the published text, save ``body`` as a ``change`` ("major"/"minor"), publish it.

    A major change needs ``what_changed``. Returns the new published version;
    ``document`` is refreshed so ``current_version`` is that version.
    """
    draft = draft_start(document=document, author=author)
    draft_save(
        version=draft, editor=author, body=body, change=change, what_changed=what_changed, revision=draft.revision
    )
    return publish_draft(document, author=author, approver=approver)


def backdate(version: DocumentVersion, *, published_at: datetime.datetime) -> DocumentVersion:
    """Pretend ``version`` was published at ``published_at`` (due dates count from it)."""
    DocumentVersion.objects.filter(pk=version.pk).update(published_at=published_at)
    version.refresh_from_db()
    return version


@pytest.fixture
def published_guidance(comms_lead) -> Document:
    """Guidance for everyone, published at 1.0 by the comms lead without approval."""
    return publish_document(comms_lead, title="Writing for the web", category=Category.GUIDANCE)


@pytest.fixture
def approved_policy(comms_lead, second_comms_lead) -> Document:
    """A policy for everyone, written by the comms lead and approved and published by the second comms lead."""
    return publish_document(
        comms_lead, approver=second_comms_lead, title="Social media policy", category=Category.POLICY
    )
