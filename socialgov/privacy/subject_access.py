"""Subject access: everything the platform holds about one person, gathered from every app.

A person may ask for a copy of their personal data (UK GDPR, article 15), and
HR must be able to answer within a month for anyone, including leavers. The
answer is one plain dictionary: the JSON download is that dictionary, and the
page shows the same thing as tables, so the two never disagree.

Every part is one query whatever the number of records (related names come
with ``select_related``), so a person with ten years of history costs the
same number of queries as a new starter. Secrets never leave the database:
password hashes, authenticator secrets and recovery codes, calendar-link and
page-link token hashes are not selected at all. Evidence files of abuse
reports are listed by name, never copied in.
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.db.models import Prefetch, Q
from django.utils import timezone

from incidents.models import Incident, IncidentStep, Page, ReviewAction, TimelineEntry
from policies.models import Acknowledgement
from socialgov.abuse.models import AbuseReport, Evidence
from socialgov.channels.models import Absence, AccessGrant, AccessRequest, Account
from socialgov.notifications.models import Message, Notification, Preference
from socialgov.people.models import User
from socialgov.rota.models import CalendarFeed, OnCallPhone, Shift, ShiftSwap
from training.models import Assignment, Completion, LessonProgress, Licence, SupportAssessment
from training.models.quizzes import Attempt

# The parts of the export, in the order the page shows them, with a heading and a sentence for each.
GROUPS: dict[str, tuple[str, str]] = {
    "sign_in": ("Signing in", "Your email addresses, authenticator apps, single sign-on and signed-in devices."),
    "training": ("Training", "Courses assigned to you, what you read and finished, quizzes, and your licence."),
    "policies": ("Policies", "Policies and guidance you acknowledged, or that were recorded for you."),
    "notifications": ("Reminders and emails", "What we reminded you of, the emails we sent, and your choices."),
    "rota": ("On-call rota", "Your shifts, swaps, on-call phone number and calendar link."),
    "channels": ("Social media accounts", "Accounts you own, asked to post to or may post to, and absences."),
    "abuse": ("Reports of abuse", "Reports of online abuse you made, and the names of the files you added."),
    "incidents": ("Incidents", "Incidents you opened or acknowledged, pages sent to you, steps and actions."),
}


def _name(user: User | None) -> str:
    """How a colleague appears in someone else's export: their name and address, or nothing."""
    if user is None:
        return ""
    return f"{user.get_full_name()} <{user.email}>".strip() if user.get_full_name() else user.email


def _profile(person: User) -> dict[str, Any]:
    return {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "employee_number": person.employee_number or "",
        "job_title": person.job_title,
        "department": str(person.department) if person.department else "",
        "line_manager": _name(person.line_manager),
        "start_date": person.start_date,
        "leaving_date": person.leaving_date,
        "public_facing": person.is_public_facing,
        "account_active": person.is_active,
        "account_created_at": person.date_joined,
        "last_signed_in_at": person.last_login,
        "anonymised_at": person.anonymised_at,
    }


def _sign_in(person: User) -> dict[str, list[dict]]:
    return {
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=person).order_by("pk")
        ],
        # The type and dates only: the secret and the recovery codes live in ``data`` and stay there.
        "authenticators": [
            {"type": row["type"], "added_at": row["created_at"], "last_used_at": row["last_used_at"]}
            for row in Authenticator.objects.filter(user=person)
            .order_by("created_at")
            .values("type", "created_at", "last_used_at")
        ],
        # Not ``extra_data``: it holds the identity provider's tokens as well as its claims.
        "single_sign_on": [
            {
                "provider": row["provider"],
                "account_id": row["uid"],
                "linked_at": row["date_joined"],
                "last_signed_in_at": row["last_login"],
            }
            for row in SocialAccount.objects.filter(user=person)
            .order_by("pk")
            .values("provider", "uid", "date_joined", "last_login")
        ],
        "signed_in_devices": [
            {
                "ip_address": row["ip"],
                "browser": row["user_agent"],
                "signed_in_at": row["created_at"],
                "last_seen_at": row["last_seen_at"],
            }
            for row in UserSession.objects.filter(user=person)
            .order_by("-last_seen_at")
            .values("ip", "user_agent", "created_at", "last_seen_at")
        ],
    }


def _training(person: User) -> dict[str, list[dict]]:
    assignments = Assignment.objects.filter(person=person).select_related("course", "assigned_by", "closed_by")
    completions = Completion.objects.filter(person=person).select_related("course")
    lessons = LessonProgress.objects.filter(person=person).select_related("lesson__course").order_by("read_at", "pk")
    attempts = Attempt.objects.filter(person=person).select_related("quiz").order_by("started_at", "pk")
    return {
        "assignments": [
            {
                "course": str(row.course),
                "why": row.get_source_display(),
                "status": row.get_status_display(),
                "due_on": row.due_on,
                "assigned_at": row.assigned_at,
                "assigned_by": _name(row.assigned_by),
                "closed_at": row.closed_at,
                "closed_by": _name(row.closed_by),
                "reason": row.reason,
            }
            for row in assignments.order_by("assigned_at", "pk")
        ],
        "completions": [
            {
                "course": str(row.course),
                "completed_at": row.completed_at,
                "expires_on": row.expires_on,
                "certificate_number": row.certificate_number,
            }
            for row in completions.order_by("completed_at", "pk")
        ],
        "lessons_read": [
            {
                "course": str(row.lesson.course),
                "lesson": row.lesson.title,
                "version_read": row.lesson_version,
                "read_at": row.read_at,
            }
            for row in lessons
        ],
        "support_assessments": [
            {"taken_at": row.taken_at, "score": row.score, "level": row.get_level_display(), "answers": row.answers}
            for row in SupportAssessment.objects.filter(person=person).order_by("taken_at", "pk")
        ],
        "licences": [
            {
                "granted_at": row.granted_at,
                "expires_on": row.expires_on,
                "lapsed_at": row.lapsed_at,
                "lapse_reason": row.lapse_reason,
            }
            for row in Licence.objects.filter(person=person).order_by("granted_at", "pk")
        ],
        "quiz_attempts": [
            {
                "quiz": str(row.quiz),
                "attempt": row.number,
                "started_at": row.started_at,
                "submitted_at": row.submitted_at,
                "score": row.score,
                "out_of": row.max_score,
                "passed": row.is_passed,
            }
            for row in attempts
        ],
    }


def _policies(person: User) -> dict[str, list[dict]]:
    acknowledgements = (
        Acknowledgement.objects.filter(person=person)
        .select_related("version__document", "recorded_by")
        .order_by("acknowledged_at", "pk")
    )
    return {
        "acknowledgements": [
            {
                "document": str(row.version.document),
                "version": row.version.number,
                "how": row.get_kind_display(),
                "acknowledged_at": row.acknowledged_at,
                "recorded_by": _name(row.recorded_by),
                "reason": row.reason,
            }
            for row in acknowledgements
        ]
    }


def _notifications(person: User) -> dict[str, Any]:
    preference = Preference.objects.filter(person=person).values("digest_time", "opted_out_kinds").first()
    return {
        "notifications": [
            {
                "title": row["title"],
                "kind": row["kind"],
                "due_on": row["due_on"],
                "created_at": row["created_at"],
                "read_at": row["read_at"],
            }
            for row in Notification.objects.filter(recipient=person)
            .order_by("created_at", "pk")
            .values("title", "kind", "due_on", "created_at", "read_at")
        ],
        # What was sent and when; the bodies are the reminders listed above, written out.
        "emails": [
            {
                "subject": row["subject"],
                "kind": row["kind"],
                "to": row["to_email"],
                "status": row["status"],
                "created_at": row["created_at"],
                "sent_at": row["sent_at"],
            }
            for row in Message.objects.filter(recipient=person)
            .order_by("created_at", "pk")
            .values("subject", "kind", "to_email", "status", "created_at", "sent_at")
        ],
        "preferences": [{"digest_time": preference["digest_time"], "switched_off": preference["opted_out_kinds"]}]
        if preference
        else [],
    }


def _rota(person: User) -> dict[str, list[dict]]:
    swaps = (
        ShiftSwap.objects.filter(Q(from_person=person) | Q(to_person=person))
        .select_related("shift", "from_person", "to_person")
        .order_by("requested_at", "pk")
    )
    phone = OnCallPhone.objects.filter(person=person).values("number", "updated_at").first()
    # The link's token is never stored in the clear; that a link exists, and since when, is all there is.
    feed = CalendarFeed.objects.filter(person=person).values("created_at").first()
    return {
        "shifts": [
            {"role": row.get_role_display(), "starts_at": row.starts_at, "ends_at": row.ends_at, "note": row.note}
            for row in Shift.objects.filter(person=person).order_by("starts_at", "pk")
        ],
        "swaps": [
            {
                "shift_starts_at": row.shift.starts_at,
                "from": _name(row.from_person),
                "to": _name(row.to_person),
                "status": row.get_status_display(),
                "note": row.note,
                "requested_at": row.requested_at,
                "decided_at": row.decided_at,
            }
            for row in swaps
        ],
        "on_call_phone": [{"number": phone["number"], "updated_at": phone["updated_at"]}] if phone else [],
        "calendar_link": [{"made_at": feed["created_at"]}] if feed else [],
    }


def _channels(person: User) -> dict[str, list[dict]]:
    absences = (
        Absence.objects.filter(Q(owner=person) | Q(covered_by=person))
        .select_related("owner", "covered_by", "account")
        .order_by("starts_on", "pk")
    )
    return {
        "accounts_owned": [
            {"account": str(row)} for row in Account.objects.filter(owners=person).order_by("platform", "handle")
        ],
        "access_requests": [
            {
                "account": str(row.account),
                "reason": row.reason,
                "status": row.get_status_display(),
                "requested_at": row.requested_at,
                "decided_at": row.decided_at,
                "decided_by": _name(row.decided_by),
                "decision_note": row.decision_note,
            }
            for row in AccessRequest.objects.filter(person=person)
            .select_related("account", "decided_by")
            .order_by("requested_at", "pk")
        ],
        "access_grants": [
            {
                "account": str(row.account),
                "granted_at": row.granted_at,
                "approved_by": _name(row.approved_by),
                "lapsed_at": row.lapsed_at,
                "lapse_reason": row.lapse_reason,
            }
            for row in AccessGrant.objects.filter(person=person)
            .select_related("account", "approved_by")
            .order_by("granted_at", "pk")
        ],
        "absences": [
            {
                "away": _name(row.owner),
                "account": str(row.account) if row.account else "All their accounts",
                "starts_on": row.starts_on,
                "ends_on": row.ends_on,
                "covered_by": _name(row.covered_by),
                "note": row.note,
            }
            for row in absences
        ],
    }


def _abuse(person: User) -> dict[str, list[dict]]:
    # The files' names and sizes, not their contents: they are given separately, in person, if asked for.
    evidence = Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk"))
    reports = AbuseReport.objects.filter(reporter=person).prefetch_related(evidence).order_by("created_at", "pk")
    return {
        "reports": [
            {
                "made_at": row.created_at,
                "platform": row.get_platform_display(),
                "links": row.link_list,
                "what_happened": row.what_happened,
                "how_it_affects_you": row.how_it_affects,
                "contact_wanted": row.is_contact_wanted,
                "feel_safe": row.get_safety_display(),
                "status": row.get_status_display(),
                "closed_at": row.closed_at,
                "evidence_files": [
                    f"{item.original_name} ({item.get_content_type_display()}, {item.size} bytes)"
                    for item in row.evidence.all()
                ],
            }
            for row in reports
        ]
    }


def _incidents(person: User) -> dict[str, list[dict]]:
    incidents = Incident.objects.filter(Q(opened_by=person) | Q(acknowledged_by=person)).order_by("opened_at", "pk")
    steps = (
        IncidentStep.objects.filter(Q(owner=person) | Q(done_by=person))
        .select_related("incident")
        .order_by("due_at", "pk")
    )
    return {
        "incidents": [
            {
                "incident": row.title,
                "opened_at": row.opened_at,
                "opened_by_you": row.opened_by_id == person.pk,
                "acknowledged_by_you": row.acknowledged_by_id == person.pk,
                "status": row.get_status_display(),
            }
            for row in incidents
        ],
        "pages_sent_to_you": [
            {"incident": row.incident.title, "about": row.subject, "sent_at": row.sent_at, "answered_at": row.used_at}
            for row in Page.objects.filter(recipient=person).select_related("incident").order_by("sent_at", "pk")
        ],
        "steps": [
            {
                "incident": row.incident.title,
                "step": row.instruction,
                "taken_at": row.taken_at,
                "done_at": row.done_at,
                "notes": row.notes,
            }
            for row in steps
        ],
        "timeline_entries": [
            {"incident": row.incident.title, "at": row.at, "text": row.text}
            for row in TimelineEntry.objects.filter(actor=person).select_related("incident").order_by("at", "pk")
        ],
        "review_actions": [
            {
                "incident": row.incident.title,
                "action": row.description,
                "due_on": row.due_on,
                "status": row.get_status_display(),
                "reason": row.reason,
            }
            for row in ReviewAction.objects.filter(owner=person).select_related("incident").order_by("due_on", "pk")
        ],
    }


def subject_access(person: User) -> dict[str, Any]:
    """Everything held about ``person``, in a fixed number of queries, ready for a page or a JSON file."""
    person = User.objects.select_related("department", "line_manager").get(pk=person.pk)
    return {
        "generated_at": timezone.now(),
        "profile": _profile(person),
        "roles": sorted(person.groups.values_list("name", flat=True)),
        "sign_in": _sign_in(person),
        "training": _training(person),
        "policies": _policies(person),
        "notifications": _notifications(person),
        "rota": _rota(person),
        "channels": _channels(person),
        "abuse": _abuse(person),
        "incidents": _incidents(person),
    }


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _shown(value: Any) -> str:
    """One value as the page shows it: local times, Yes/No, lists joined."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %B %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, list):
        return "; ".join(_shown(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(str(k))}: {_shown(v)}" for k, v in value.items())
    return str(value)


def for_display(data: dict[str, Any]) -> dict[str, Any]:
    """The export as the page lays it out: the profile as a summary list, every other part as tables."""
    groups = []
    for key, (title, description) in GROUPS.items():
        parts = []
        for part, rows in data[key].items():
            headings = [_label(column) for column in rows[0]] if rows else []
            parts.append(
                {
                    "key": f"{key}-{part}".replace("_", "-"),
                    "title": _label(part),
                    "headings": headings,
                    "rows": [[_shown(value) for value in row.values()] for row in rows],
                }
            )
        groups.append({"key": key.replace("_", "-"), "title": title, "description": description, "parts": parts})
    return {
        "generated_at": _shown(data["generated_at"]),
        "profile": [(_label(key), _shown(value)) for key, value in data["profile"].items()],
        "roles": data["roles"],
        "groups": groups,
    }
