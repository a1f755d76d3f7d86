"""The staff directory for HR, the team page for managers, and a person's record."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse

from socialgov.people.access import manager_or_role_required, person_access_required, role_required
from socialgov.people.models import Department, User
from socialgov.people.roles import Role, has_role

PAGE_SIZE = 50
STATUSES = {"current": "Current staff", "leavers": "Leavers", "all": "Everyone"}


def _filtered_people(params) -> tuple[object, dict]:
    """People matching the directory's search and filters, and the cleaned filters."""
    people = User.objects.select_related("department", "line_manager").order_by("last_name", "first_name", "pk")
    query = params.get("q", "").strip()[:100]
    status = params.get("status", "current")
    if status not in STATUSES:
        status = "current"
    if status == "current":
        people = people.filter(is_active=True)
    elif status == "leavers":
        people = people.filter(is_active=False)
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(employee_number__iexact=query)
            | Q(job_title__icontains=query)
        )
    department = None
    department_id = params.get("department", "")
    if department_id.isdigit():
        department = Department.objects.filter(pk=int(department_id)).first()
        if department:
            people = people.in_department(department)
    return people, {"q": query, "status": status, "department": department}


@role_required(Role.HR, Role.ADMINISTRATOR)
def person_list(request):
    people, filters = _filtered_people(request.GET)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": STATUSES,
            "departments": Department.objects.all(),
            "querystring": querystring.urlencode(),
            "breadcrumbs": [("Home", reverse("web:home")), ("People", None)],
        },
    )


@manager_or_role_required()
def team(request):
    """Everyone below the manager, direct reports first."""
    people = (
        User.objects.below(request.user)
        .filter(is_active=True)
        .select_related("department", "line_manager")
        .order_by("last_name", "first_name")
    )
    people = list(people)
    direct = [p for p in people if p.line_manager_id == request.user.pk]
    indirect = [p for p in people if p.line_manager_id != request.user.pk]
    return render(
        request,
        "people/team.html",
        {
            "direct": direct,
            "indirect": indirect,
            "breadcrumbs": [("Home", reverse("web:home")), ("My team", None)],
        },
    )


@person_access_required
def person_detail(request, person):
    crumbs = [("Home", reverse("web:home"))]
    if has_role(request.user, Role.HR, Role.ADMINISTRATOR):
        crumbs.append(("People", reverse("people:list")))
    crumbs.append((str(person), None))
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "roles": sorted(person.groups.values_list("name", flat=True)), "breadcrumbs": crumbs},
    )
