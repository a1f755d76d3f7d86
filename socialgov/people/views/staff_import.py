"""Staff import pages (HR): upload the HR system's CSV, preview what it changes, apply it."""

from django.contrib import messages
from django.db.models.fields.json import KT
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from socialgov.people.access import role_required
from socialgov.people.forms import StaffImportForm
from socialgov.people.models import StaffImport
from socialgov.people.roles import Role
from socialgov.people.staff_import import (
    COLUMNS,
    EXAMPLE_HEADER,
    EXAMPLE_ROW,
    MAX_ROWS,
    OPTIONAL_COLUMNS,
    REQUIRED_VALUES,
    StaffImportAlreadyApplied,
    StaffImportError,
    staff_import_apply,
    staff_import_create,
    staff_import_preview,
)

RECENT_IMPORTS = 10

COLUMN_DESCRIPTIONS = {
    "employee_number": "The person's number in the HR system, for example GC1042. It identifies them.",
    "first_name": "First name.",
    "last_name": "Last name.",
    "email": "Work email address; they sign in with it.",
    "department": "From the top of the organisation down, separated by >, "
    "for example Communities > Housing > Tenancy team. Missing departments are created.",
    "manager_employee_number": "The line manager's employee number. Blank for the top of the organisation.",
    "job_title": "Job title.",
    "start_date": "Date they started, as YYYY-MM-DD or DD/MM/YYYY.",
    "leaving_date": "Blank unless they are leaving. On or before today, their account is closed when the file "
    "is applied; a later date closes it on that day.",
    "public_facing": "yes or no: whether they deal with the public. Blank keeps what is recorded.",
}


def _recent_imports():
    """The latest imports with their counts, without loading the files or the lists of changes."""
    counts = {f"count_{name}": KT(f"summary__counts__{name}") for name in ("new", "updated", "unchanged", "errors")}
    imports = StaffImport.objects.select_related("uploaded_by").defer("content", "summary", "errors")
    return imports.annotate(**counts)[:RECENT_IMPORTS]


def _crumbs(*trail):
    return [("Home", reverse("web:home")), ("People", reverse("people:list")), *trail]


@role_required(Role.HR, Role.ADMINISTRATOR)
def upload(request):
    form = StaffImportForm(request.POST, request.FILES) if request.method == "POST" else StaffImportForm()
    if request.method == "POST" and form.is_valid():
        staff_import = staff_import_create(
            file_name=form.cleaned_data["file"].name, content=form.content, uploaded_by=request.user
        )
        return redirect("people:import-preview", pk=staff_import.pk)
    columns = [
        {
            "name": name,
            "required": name not in OPTIONAL_COLUMNS,
            "value_required": name in REQUIRED_VALUES,
            "description": COLUMN_DESCRIPTIONS[name],
        }
        for name in COLUMNS
    ]
    return render(
        request,
        "people/import_upload.html",
        {
            "form": form,
            "columns": columns,
            "example_header": EXAMPLE_HEADER,
            "example_row": EXAMPLE_ROW,
            "max_rows": MAX_ROWS,
            "recent": _recent_imports(),
            "breadcrumbs": _crumbs(("Import the staff list", None)),
        },
    )


@role_required(Role.HR, Role.ADMINISTRATOR)
def preview(request, pk):
    staff_import = get_object_or_404(StaffImport.objects.select_related("uploaded_by", "applied_by"), pk=pk)
    fingerprint = ""
    if staff_import.status != StaffImport.Status.APPLIED:
        plan = staff_import_preview(staff_import=staff_import)
        fingerprint = plan.fingerprint() if plan.is_valid else ""
    summary = staff_import.summary or {}
    counts = summary.get("counts", {})
    return render(
        request,
        "people/import_preview.html",
        {
            "staff_import": staff_import,
            "summary": summary,
            "counts": counts,
            "errors": staff_import.errors,
            "error_count": counts.get("errors", len(staff_import.errors)),
            "fingerprint": fingerprint,
            "breadcrumbs": _crumbs(
                ("Import the staff list", reverse("people:import-upload")), (staff_import.file_name, None)
            ),
        },
    )


@role_required(Role.HR, Role.ADMINISTRATOR)
def apply(request, pk):
    staff_import = get_object_or_404(StaffImport, pk=pk)
    if request.method != "POST":
        return redirect("people:import-preview", pk=staff_import.pk)
    try:
        plan = staff_import_apply(
            staff_import=staff_import, applied_by=request.user, fingerprint=request.POST.get("fingerprint", "")
        )
    except StaffImportAlreadyApplied as exc:
        messages.error(request, str(exc))
        return redirect("people:import-preview", pk=staff_import.pk)
    except StaffImportError as exc:
        messages.warning(request, str(exc))
        return redirect("people:import-preview", pk=staff_import.pk)
    if not plan.is_valid:
        messages.error(request, "Nothing has been applied: the file no longer fits the staff list. See the problems.")
    else:
        if plan.has_changes:
            messages.success(request, f"Staff list applied: {plan.describe()}")
        else:
            messages.success(request, "Staff list applied. No changes were needed: it already matched this file.")
    return redirect("people:import-preview", pk=staff_import.pk)
