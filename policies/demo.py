"""Demo documents: the social media policy (two versions), house style, and guidance on comments and abuse.

The texts live in ``policies/demo_content/``. Everything goes through the
same services as the pages, so the demo obeys the rules: the policy was
written by one comms lead and approved by the other. Dates are then moved
back so the demo tells a story: version 1 of the policy was published months
ago and most staff acknowledged it; version 2 (a major change, the
pre-election period) came out last week, so the demo member of staff sees
what changed and is asked to acknowledge again.
"""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path

from django.utils import timezone

from policies.models import Acknowledgement, Category, Document, DocumentVersion
from policies.playbooks import steps_parse
from policies.services import (
    acknowledgement_record,
    category_needs_approval,
    document_create,
    draft_save,
    draft_start,
    draft_submit,
    version_publish,
)
from socialgov.people.demo import DemoContext
from socialgov.people.models import Department, User

CONTENT = Path(__file__).parent / "demo_content"

AUTHOR = "GC1019"  # Rhona Stewart, Digital Communications Officer, comms lead
APPROVER = "GC1007"  # Catriona MacLeod, Head of Communications, comms lead
# People who have not yet acknowledged version 1 of the policy: the report has names to show.
NOT_YET = 4


def _text(name: str) -> str:
    return (CONTENT / name).read_text(encoding="utf-8")


def _summaries() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in _text("summaries.txt").splitlines():
        if line.strip():
            slug, title, summary = line.split("|", 2)
            rows[slug.strip()] = (title.strip(), summary.strip())
    return rows


def _backdate(version: DocumentVersion, when: datetime.datetime) -> None:
    DocumentVersion.objects.filter(pk=version.pk).update(
        published_at=when, submitted_at=when, created_at=when, updated_at=when
    )


def _publish(document: Document, *, author: User, approver: User, when: datetime.datetime) -> DocumentVersion:
    version = document.versions.open_draft().get()
    if category_needs_approval(document.category):
        draft_submit(version=version, actor=author, approver=approver)
        version = version_publish(version=version, actor=approver)
    else:
        version = version_publish(version=version, actor=author)
    _backdate(version, when)
    return version


def _create(slug: str, *, category: str, body: str, owner: User, author: User, **audience) -> Document:
    title, summary = _summaries()[slug]
    return document_create(
        author=author, title=title, slug=slug, summary=summary, category=category, owner=owner, body=body, **audience
    )


def _playbooks_load(*, author: User, approver: User, when: datetime.datetime) -> int:
    """The out-of-hours playbooks, published for everyone: one TOML file each, steps checked like an author's."""
    files = sorted((CONTENT / "playbooks").glob("*.toml"))
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        document = document_create(
            author=author, title=data["title"], slug=path.stem, summary=data["summary"], category=Category.PLAYBOOK,
            owner=approver, body=data["body"].strip(), help_question=data["help_question"],
            severity=data["severity"], steps=[step.as_dict() for step in steps_parse(data["steps"])],
            requires_acknowledgement=False,
        )  # fmt: skip
        _publish(document, author=author, approver=approver, when=when)
    return len(files)


def demo_policies_load(context: DemoContext) -> None:
    if Document.objects.filter(slug="social-media-policy").exists():
        context.result.record("Documents", unchanged=Document.objects.count())
        return
    author, approver = context.person(AUTHOR), context.person(APPROVER)
    now = timezone.now()
    today = context.today

    policy = _create(
        "social-media-policy",
        category=Category.POLICY,
        body=_text("social-media-policy-v1.md"),
        owner=approver,
        author=author,
        review_on=today + datetime.timedelta(days=180),
    )
    first = _publish(policy, author=author, approver=approver, when=now - datetime.timedelta(days=120))
    staff = list(User.objects.current().select_related("department").order_by("employee_number"))
    for number, person in enumerate(staff[NOT_YET:]):
        acknowledgement_record(version=first, person=person, at=now - datetime.timedelta(days=118 - number % 20))

    draft = draft_start(document=policy, author=author)
    draft_save(
        version=draft,
        editor=author,
        body=_text("social-media-policy-v2.md"),
        change=DocumentVersion.Change.MAJOR,
        what_changed=_text("social-media-policy-v2-what-changed.txt").strip(),
        revision=draft.revision,
    )
    policy.refresh_from_db()
    second = _publish(policy, author=author, approver=approver, when=now - datetime.timedelta(days=5))
    # The comms team and a few early readers have acknowledged version 2 already.
    communications = Department.objects.filter(name="Communications").first()
    in_communications = [
        p for p in staff if communications and p.department_id and p.department.path.startswith(communications.path)
    ]
    for person in in_communications:
        acknowledgement_record(version=second, person=person, at=now - datetime.timedelta(days=4))

    house_style = _create(
        "house-style",
        category=Category.HOUSE_STYLE,
        body=_text("house-style.md"),
        owner=author,
        author=author,
        review_on=today + datetime.timedelta(days=21),
    )
    style = _publish(house_style, author=author, approver=approver, when=now - datetime.timedelta(days=60))
    for person in staff[NOT_YET:]:
        acknowledgement_record(version=style, person=person, at=now - datetime.timedelta(days=55))

    abuse = _create(
        "handling-comments-and-abuse",
        category=Category.GUIDANCE,
        body=_text("handling-comments-and-abuse.md"),
        owner=author,
        author=author,
        is_for_everyone=False,
        is_for_public_facing=True,
        departments=[communications] if communications else [],
        acknowledge_within_days=21,
    )
    _publish(abuse, author=author, approver=approver, when=now - datetime.timedelta(days=30))
    playbooks = _playbooks_load(author=author, approver=approver, when=now - datetime.timedelta(days=45))
    context.result.record("Documents", created=3 + playbooks)
    context.result.record("Acknowledgements", created=Acknowledgement.objects.count())
