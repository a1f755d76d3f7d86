"""Assignment management: HR's list with filters and export; assigning by hand (HR, managers); exemptions (HR)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from socialgov.people.access import manager_or_role_required, role_required
from socialgov.people.models import Department, User
from socialgov.people.roles import Role
from socialgov.web.exports import csv_response
from training.forms import AssignForm, ExemptForm
from training.models import Assignment, Course
from training.services import TrainingError, assignment_create, assignment_exempt

PAGE_SIZE = 50
STATUSES = {
    "open": "To do",
    "overdue": "Overdue",
    "completed": "Completed",
    "exempt": "Exempt",
    "all": "All",
}


def _crumbs(*trail):
    return [("Home", reverse("web:home")), ("Assignments", reverse("training:assignments")), *trail]


def _filtered(params, today):
    assignments = Assignment.objects.select_related("person", "person__department", "course").order_by(
        "due_on", "person__last_name", "pk"
    )
    status = params.get("status", "open")
    if status not in STATUSES:
        status = "open"
    if status == "overdue":
        assignments = assignments.overdue(today)
    elif status != "all":
        assignments = assignments.filter(status=status)
    course = None
    if params.get("course", "").isdigit():
        course = Course.objects.filter(pk=int(params["course"])).first()
        if course:
            assignments = assignments.filter(course=course)
    department = None
    if params.get("department", "").isdigit():
        department = Department.objects.filter(pk=int(params["department"])).first()
        if department:
            assignments = assignments.filter(person__department__path__startswith=department.path)
    query = params.get("q", "").strip()[:100]
    if query:
        people = User.objects.filter(email__icontains=query) | User.objects.filter(last_name__icontains=query)
        assignments = assignments.filter(person__in=people.values("pk"))
    return assignments, {"status": status, "course": course, "department": department, "q": query}


@role_required(Role.HR, Role.ADMINISTRATOR)
def assignment_list(request):
    """Every assignment, filtered by status, course, department or person; exported as CSV."""
    today = timezone.localdate()
    assignments, filters = _filtered(request.GET, today)
    if request.GET.get("format") == "csv":
        return _csv(assignments)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "statuses": STATUSES,
        "courses": Course.objects.order_by("title"),
        "departments": Department.objects.all(),
        "querystring": querystring.urlencode(),
        "today": today,
        "breadcrumbs": [("Home", reverse("web:home")), ("Assignments", None)],
    }
    return render(request, "training/assignment_list.html", context)


def _csv(assignments):
    columns = ("person__first_name", "person__last_name", "person__email", "person__department__name",
               "course__title", "status", "due_on", "closed_at")  # fmt: skip

    def rows():
        for first, last, email, department, course, status, due_on, closed_at in assignments.values_list(
            *columns
        ).iterator(chunk_size=2000):
            yield [f"{first} {last}".strip(), email, department or "", course, Assignment.Status(status).label,
                   due_on.isoformat(), closed_at.date().isoformat() if closed_at else ""]  # fmt: skip

    headings = ["Name", "Email address", "Department", "Course", "Status", "Due", "Closed"]
    return csv_response("assignments.csv", headings, rows())


@manager_or_role_required(Role.HR, Role.ADMINISTRATOR)
def assignment_new(request):
    """Assign a course by hand: HR to anyone, a manager to the people below them."""
    initial = {}
    if request.GET.get("person", "").isdigit():
        person = User.objects.filter(pk=int(request.GET["person"])).first()
        if person:
            initial["person"] = person.email
    form = AssignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = assignment_create(
                person=form.cleaned_data["person"],
                course=form.cleaned_data["course"],
                due_on=form.cleaned_data["due_on"],
                assigned_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            due = date_format(assignment.due_on, "j F Y")
            messages.success(request, f"{assignment.course} is assigned to {assignment.person}, due {due}.")
            return redirect("training:person", pk=assignment.person_id)
    context = {"form": form, "breadcrumbs": _crumbs(("Assign a course", None))}
    return render(request, "training/assign.html", context, status=400 if form.errors else 200)


@role_required(Role.HR, Role.ADMINISTRATOR)
def assignment_exempt_view(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("person", "course"), pk=pk)
    form = ExemptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment_exempt(assignment=assignment, by=request.user, reason=form.cleaned_data["reason"])
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{assignment.person} is exempt from {assignment.course}.")
            return redirect("training:person", pk=assignment.person_id)
    context = {"form": form, "assignment": assignment, "breadcrumbs": _crumbs(("Exempt", None))}
    return render(request, "training/exempt.html", context, status=400 if form.errors else 200)
