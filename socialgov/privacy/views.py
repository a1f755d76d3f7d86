"""Data protection pages: a person's own data, HR's subject access requests, and the audit of compliance records."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from socialgov.people.access import role_required
from socialgov.people.models import User
from socialgov.people.roles import Role
from socialgov.privacy.audit import Cursor, audit_entries, audit_page
from socialgov.privacy.forms import AuditFilterForm, PersonForm
from socialgov.privacy.subject_access import for_display, subject_access
from socialgov.web.exports import csv_response


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("web:home")), *trail]


def _json_download(person: User, *, filename: str) -> HttpResponse:
    """The export as a file: the same dictionary the page shows, so the two never disagree."""
    body = json.dumps(subject_access(person), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _filename(person: User) -> str:
    return f"personal-data-{person.pk}-{timezone.localdate().isoformat()}.json"


@require_safe
def mine(request):
    """Everything the platform holds about the signed-in person: anyone may see their own."""
    context = {
        "data": for_display(subject_access(request.user)),
        "is_own": True,
        "json_url": reverse("privacy:mine-json"),
        "breadcrumbs": _crumbs(("Your data", None)),
    }
    response = render(request, "privacy/subject_access.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def mine_json(request):
    """The signed-in person's own data as a JSON file, to keep or to take elsewhere."""
    return _json_download(request.user, filename=_filename(request.user))


@role_required(Role.HR, Role.ADMINISTRATOR)
def subject_access_start(request):
    """HR names the person a subject access request is about, by email address or ID."""
    form = PersonForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("privacy:subject-access", pk=form.cleaned_data["person"].pk)
    context = {
        "form": form,
        "breadcrumbs": _crumbs(("Subject access requests", None)),
    }
    return render(request, "privacy/subject_access_start.html", context, status=400 if form.errors else 200)


@role_required(Role.HR, Role.ADMINISTRATOR)
def subject_access_view(request, pk: int):
    """Everything held about anyone, leavers included, for HR answering a subject access request."""
    person = get_object_or_404(User, pk=pk)
    context = {
        "data": for_display(subject_access(person)),
        "person": person,
        "is_own": False,
        "json_url": reverse("privacy:subject-access-json", args=[person.pk]),
        "breadcrumbs": _crumbs(
            ("Subject access requests", reverse("privacy:subject-access-start")), (str(person), None)
        ),
    }
    response = render(request, "privacy/subject_access.html", context)
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.HR, Role.ADMINISTRATOR)
def subject_access_json(request, pk: int):
    """Anyone's data as a JSON file, to send to them in answer to their request."""
    person = get_object_or_404(User, pk=pk)
    return _json_download(person, filename=_filename(person))


def _cursor(request, name: str) -> Cursor | None:
    text = request.GET.get(name)
    if not text:
        return None
    try:
        return Cursor.decode(text)
    except ValueError:
        messages.warning(request, "That page link was not complete, so the newest changes are shown.")
        return None


@role_required(Role.HR, Role.ADMINISTRATOR)
def audit(request):
    """Who changed which compliance record and when, filtered, a page at a time, and as CSV."""
    form = AuditFilterForm(request.GET)
    context = {"form": form, "breadcrumbs": _crumbs(("Audit of compliance records", None))}
    if not form.is_valid():
        return render(request, "privacy/audit.html", context, status=400)
    filters = form.filters()
    if request.GET.get("format") == "csv":
        return _audit_csv(filters)
    before, after = _cursor(request, "before"), _cursor(request, "after")
    page = audit_page(filters, before=before, after=None if before else after)
    querystring = request.GET.copy()
    for name in ("before", "after", "format"):
        querystring.pop(name, None)
    context |= {
        "page": page,
        "querystring": querystring.urlencode(),
        "is_filtered": any(value for value in form.cleaned_data.values()),
        "is_first_page": not (before or after),
    }
    return render(request, "privacy/audit.html", context)


def _audit_csv(filters):
    headings = ["When", "Record", "Person", "About", "What happened", "Changes", "Changed by", "Reason"]

    def rows():
        for entry in audit_entries(filters):
            yield [timezone.localtime(entry.at).isoformat(timespec="seconds"), entry.record_type, entry.person,
                   entry.record, entry.action, "; ".join(entry.changes), entry.changed_by, entry.reason]  # fmt: skip

    return csv_response(f"compliance-audit-{timezone.localdate().isoformat()}.csv", headings, rows())
