"""Owners', comms leads' and HR's pages: the acknowledgement report, the history, recording for someone."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from openpyxl import Workbook

from policies.access import RECORDER_ROLES, document_overseer, document_recorder
from policies.forms import RecordForm
from policies.models import Acknowledgement, DocumentVersion
from policies.selectors import acknowledgement_report, not_acknowledged
from policies.services import PolicyError, acknowledgement_record
from socialgov.people.models import Department
from socialgov.people.roles import has_role
from socialgov.web.exports import csv_response, spreadsheet_row

PAGE_SIZE = 50
Status = DocumentVersion.Status


def _crumbs(document, label):
    return [
        ("Home", reverse("web:home")),
        ("Policies and guidance", reverse("policies:list")),
        (document.title, reverse("policies:detail", kwargs={"slug": document.slug})),
        (label, None),
    ]


@document_overseer
def report(request, document):
    """How many in the audience have acknowledged a version, by department, and who has not."""
    published = list(
        document.versions.filter(status__in=[Status.PUBLISHED, Status.SUPERSEDED, Status.RETIRED]).order_by(
            "-published_at"
        )
    )
    if not published:
        messages.info(request, "Nothing is published yet, so nobody has been asked to acknowledge it.")
        return redirect("policies:draft", slug=document.slug)
    chosen = request.GET.get("version", "")
    version = next((v for v in published if str(v.pk) == chosen), published[0])
    outstanding = not_acknowledged(document, version)
    department = None
    department_id = request.GET.get("department", "")
    if department_id.isdigit():
        department = Department.objects.filter(pk=int(department_id)).first()
        if department:
            outstanding = outstanding.filter(department__path__startswith=department.path)
    if request.GET.get("format") == "csv":
        return _csv(document, version, outstanding)
    if request.GET.get("format") == "xlsx":
        return _xlsx(document, version, acknowledgement_report(document, version), outstanding)
    page = Paginator(outstanding, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "document": document,
        "version": version,
        "versions": published,
        "report": acknowledgement_report(document, version),
        "page": page,
        "department": department,
        "departments": Department.objects.all(),
        "querystring": querystring.urlencode(),
        "can_record": has_role(request.user, *RECORDER_ROLES),
        "export_query": querystring.urlencode() + "&" if querystring else "",
        "breadcrumbs": _crumbs(document, "Acknowledgement report"),
    }
    return render(request, "policies/report.html", context)


HEADINGS = ["Name", "Email address", "Employee number", "Department", "Line manager"]
# Plain tuples rather than people: at 40,000 rows building the objects took seven times as long as the query.
COLUMNS = ("first_name", "last_name", "email", "employee_number", "department__name", "line_manager__email")


def _outstanding_rows(outstanding):
    for first, last, email, number, department, manager in outstanding.values_list(*COLUMNS).iterator(chunk_size=2000):
        yield [f"{first} {last}".strip(), email, number or "", department or "", manager or ""]


def _file_name(document, version, extension: str) -> str:
    return f"{document.slug}-v{version.number}-not-acknowledged.{extension}"


def _csv(document, version, outstanding):
    """Everyone who has not acknowledged, streamed, so a list of 100,000 costs no memory."""
    return csv_response(_file_name(document, version, "csv"), HEADINGS, _outstanding_rows(outstanding))


def _xlsx(document, version, report, outstanding):
    """A workbook for people who live in Excel: the figures by department, and everyone still to do."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("By department")
    summary.append([f"{document.title}, version {version.number}"])
    summary.append(["Department", "People", "Acknowledged", "Still to do", "Per cent"])
    for line in report.departments:
        row = [line.department, line.total, line.acknowledged, line.outstanding, line.percent]
        summary.append(spreadsheet_row(row))
    summary.append(["Everyone", report.total, report.acknowledged, report.outstanding, report.percent])
    people = workbook.create_sheet("Not acknowledged")
    people.append(HEADINGS)
    for row in _outstanding_rows(outstanding):
        people.append(spreadsheet_row(row))
    # Write-only workbooks stream rows to a temporary file; the response reads it back in chunks.
    spool = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=_file_name(document, version, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@document_overseer
def history(request, document):
    """Who did what, when: every step of every version, and every record made for someone."""
    events = Paginator(document.events.select_related("actor", "version"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "document": document,
        "page": events,
        "querystring": "",
        "breadcrumbs": _crumbs(document, "History"),
    }
    return render(request, "policies/history.html", context)


@document_recorder
def record(request, document):
    """Record an acknowledgement on someone's behalf, or an exemption, with a reason."""
    version = document.current_version
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if version is None:
                raise PolicyError("Nothing is published yet, so there is nothing to record.")
            acknowledgement = acknowledgement_record(
                version=version,
                person=form.cleaned_data["person"],
                kind=form.cleaned_data["kind"],
                recorded_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PolicyError as error:
            form.add_error(None, str(error))
        else:
            person, kind = acknowledgement.person, acknowledgement.get_kind_display()
            if acknowledgement.recorded_by_id == request.user.pk and acknowledgement.kind == form.cleaned_data["kind"]:
                messages.success(request, f"Recorded for {person}: {kind}.")
            else:
                messages.info(
                    request,
                    f"{acknowledgement.person} was already recorded: {acknowledgement.get_kind_display().lower()} "
                    f"on {date_format(acknowledgement.acknowledged_at, 'j F Y')}. Nothing changed.",
                )
            return redirect("policies:report", slug=document.slug)
    context = {
        "document": document,
        "version": version,
        "form": form,
        "kinds": Acknowledgement.Kind,
        "breadcrumbs": _crumbs(document, "Record for someone"),
    }
    return render(request, "policies/record.html", context, status=400 if form.errors else 200)
