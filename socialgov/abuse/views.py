"""Reporting online abuse and handling the reports. Thin: access in ``access.py``, rules in ``services.py``."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from socialgov.abuse.access import is_wellbeing, may_handle, report_handler, report_triager, report_viewer
from socialgov.abuse.forms import AssignForm, EscalateForm, EvidenceForm, ReportForm, StatusForm
from socialgov.abuse.models import MAX_EVIDENCE_FILES, AbuseReport
from socialgov.abuse.services import (
    AbuseReportError,
    evidence_add,
    report_assign,
    report_escalate,
    report_status_set,
    report_submit,
)
from socialgov.abuse.uploads import download_name
from socialgov.people.access import role_required
from socialgov.people.roles import Role

PAGE_SIZE = 25
STATUSES = {
    "open": "Received or in hand",
    AbuseReport.Status.RECEIVED: "Received",
    AbuseReport.Status.IN_HAND: "In hand",
    AbuseReport.Status.CLOSED: "Closed",
    "all": "All",
}


def _posted(request):
    """The submitted data, even when empty: a form posted blank must show its errors, not start afresh."""
    return request.POST if request.method == "POST" else None


def _crumbs(*trail):
    return [("Home", reverse("web:home")), *trail]


def _report_crumbs(request, report, *trail):
    if request.user.pk == report.reporter_id:
        parent = ("Your reports of abuse", reverse("abuse:mine"))
    elif is_wellbeing(request.user):
        parent = ("Reports of abuse", reverse("abuse:triage"))
    else:
        parent = ("Reports given to you", reverse("abuse:assigned"))
    here = f"Report {report.pk}"
    return _crumbs(parent, (here, reverse("abuse:detail", kwargs={"pk": report.pk}) if trail else None), *trail)


@never_cache
def report_new(request):
    """Anyone can report abuse they received because of their work; files are checked by their bytes."""
    form = ReportForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = report_submit(
                reporter=request.user,
                platform=data["platform"],
                links=data["links"],
                what_happened=data["what_happened"],
                how_it_affects=data["how_it_affects"],
                is_contact_wanted=data["is_contact_wanted"],
                safety=data["safety"],
                files=data["files"],
            )
        except AbuseReportError as error:
            form.add_error(None, str(error))
        else:
            return redirect("abuse:submitted", pk=report.pk)
    context = {
        "form": form,
        "choose_again": form.files_to_choose_again(),
        "breadcrumbs": _crumbs(("Report abuse", None)),
    }
    return render(request, "abuse/report_form.html", context, status=400 if form.errors else 200)


@never_cache
@report_viewer
def report_submitted(request, report):
    """The confirmation, with where to find support now."""
    return render(request, "abuse/report_submitted.html", {"report": report})


@never_cache
def my_reports(request):
    reports = AbuseReport.objects.filter(reporter=request.user).for_lists()
    context = {"reports": reports, "breadcrumbs": _crumbs(("Your reports of abuse", None))}
    return render(request, "abuse/my_reports.html", context)


@never_cache
@report_viewer
def report_detail(request, report):
    """The report, its evidence and what has happened to it; support for the person who made it."""
    history = report.history.select_related("history_user", "assigned_to").order_by("history_date", "history_id")
    context = {
        "report": report,
        "evidence": report.evidence.all(),
        "events": _events(history),
        "is_reporter": report.reporter_id == request.user.pk,
        "may_handle": may_handle(report, request.user),
        "is_wellbeing": is_wellbeing(request.user),
        "may_add_evidence": not report.is_closed,
        "breadcrumbs": _report_crumbs(request, report),
    }
    return render(request, "abuse/report_detail.html", context)


def _events(history) -> list[tuple]:
    """What happened to a report, in words, from its history: made, given to someone, status changes."""
    events, previous = [], None
    for record in history:
        if previous is None:
            events.append((record.history_date, "Report made", None))
        else:
            if record.assigned_to_id != previous.assigned_to_id and record.assigned_to_id:
                events.append((record.history_date, f"Given to {record.assigned_to}", record.history_user))
            if record.status != previous.status:
                label = AbuseReport.Status(record.status).label
                text = "Reopened" if previous.status == AbuseReport.Status.CLOSED else f"Status: {label}"
                events.append((record.history_date, text, record.history_user))
            if record.incident_id and record.incident_id != previous.incident_id:
                events.append((record.history_date, "Incident opened", record.history_user))
        previous = record
    return events


@never_cache
@report_viewer
def evidence_download(request, report, evidence):
    """Evidence only ever leaves through here: always a download, never shown in the browser."""
    item = get_object_or_404(report.evidence, uuid=evidence)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("This file is no longer stored.") from error
    response = FileResponse(
        handle, as_attachment=True, filename=download_name(item.original_name, item.content_type),
        content_type=item.content_type,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@report_viewer
def evidence_new(request, report):
    """More screenshots or PDFs for an open report, up to the limit."""
    if report.is_closed:
        messages.error(request, "This report is closed: evidence can no longer be added.")
        return redirect("abuse:detail", pk=report.pk)
    already = report.evidence.count()
    form = EvidenceForm(_posted(request), request.FILES or None, already=already)
    if request.method == "POST" and form.is_valid():
        try:
            added = evidence_add(report=report, files=form.cleaned_data["files"], by=request.user)
        except AbuseReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{len(added)} file{'s' if len(added) != 1 else ''} added to the report.")
            return redirect(reverse("abuse:detail", kwargs={"pk": report.pk}) + "#evidence")
    context = {
        "form": form,
        "report": report,
        "room": MAX_EVIDENCE_FILES - already,
        "choose_again": form.files_to_choose_again(),
        "breadcrumbs": _report_crumbs(request, report, ("Add evidence", None)),
    }
    return render(request, "abuse/evidence_form.html", context, status=400 if form.errors else 200)


@never_cache
@role_required(Role.WELLBEING)
def triage(request):
    """Every report, newest first, for HR wellbeing: who needs support and who is acting on each."""
    status = request.GET.get("status", "open")
    if status not in STATUSES:
        status = "open"
    reports = AbuseReport.objects.for_lists()
    if status == "open":
        reports = reports.open()
    elif status != "all":
        reports = reports.filter(status=status)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "page": page,
        "statuses": STATUSES,
        "selected": status,
        "querystring": querystring.urlencode(),
        "breadcrumbs": _crumbs(("Reports of abuse", None)),
    }
    return render(request, "abuse/triage.html", context)


@never_cache
@role_required(Role.COMMS_LEAD)
def assigned(request):
    """The reports given to this comms lead, open ones first."""
    reports = list(AbuseReport.objects.filter(assigned_to=request.user).for_lists())
    context = {
        "open": [report for report in reports if not report.is_closed],
        "closed": [report for report in reports if report.is_closed],
        "breadcrumbs": _crumbs(("Reports given to you", None)),
    }
    return render(request, "abuse/assigned.html", context)


@never_cache
@report_triager
def assign(request, report):
    form = AssignForm(_posted(request), report=report, initial={"comms_lead": report.assigned_to_id})
    if request.method == "POST" and form.is_valid():
        try:
            report_assign(report=report, comms_lead=form.cleaned_data["comms_lead"], by=request.user)
        except AbuseReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Report {report.pk} is given to {report.assigned_to}. They have been told.")
            return redirect("abuse:detail", pk=report.pk)
    context = {"form": form, "report": report, "breadcrumbs": _report_crumbs(request, report, ("Give to", None))}
    return render(request, "abuse/assign.html", context, status=400 if form.errors else 200)


@never_cache
@report_handler
def status(request, report):
    form = StatusForm(_posted(request), initial={"status": report.status, "note": report.closed_note})
    if request.method == "POST" and form.is_valid():
        try:
            report_status_set(report=report, status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                              by=request.user)  # fmt: skip
        except AbuseReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Report {report.pk} is now {report.get_status_display().lower()}.")
            return redirect("abuse:detail", pk=report.pk)
    context = {
        "form": form,
        "report": report,
        "breadcrumbs": _report_crumbs(request, report, ("Change status", None)),
    }
    return render(request, "abuse/status.html", context, status=400 if form.errors else 200)


@never_cache
@report_handler
def escalate(request, report):
    """Open an incident for the comms team; it names only the platform."""
    if report.incident_id:
        messages.info(request, "An incident is already open for this report.")
        return redirect("abuse:detail", pk=report.pk)
    form = EscalateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            incident = report_escalate(report=report, by=request.user, severity=form.cleaned_data["severity"])
        except AbuseReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Incident opened. Whoever is on call has been paged.")
            return redirect("incidents:detail", pk=incident.pk)
    context = {
        "form": form,
        "report": report,
        "title": f"Abuse of a member of staff on {report.platform_in_a_sentence}",
        "breadcrumbs": _report_crumbs(request, report, ("Open an incident", None)),
    }
    return render(request, "abuse/escalate.html", context, status=400 if form.errors else 200)
