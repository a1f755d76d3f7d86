"""The register of posting licences, for comms leads (who grant access to accounts) and HR."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import render
from django.urls import reverse

from socialgov.people.access import role_required
from socialgov.people.models import Department, User
from socialgov.people.roles import Role
from training.models import Licence

PAGE_SIZE = 50
STATUSES = {"all": "Everyone", "licensed": "Licensed", "unlicensed": "Not licensed", "lapsed": "Lapsed"}


@role_required(Role.COMMS_LEAD, Role.HR, Role.ADMINISTRATOR)
def licence_register(request):
    """Everyone's licence: in force until when, or lapsed and why. A fixed number of queries."""
    in_force = Licence.objects.filter(person=OuterRef("pk"), lapsed_at__isnull=True)
    latest = Licence.objects.filter(person=OuterRef("pk")).order_by("-granted_at")
    people = (
        User.objects.current()
        .select_related("department")
        .annotate(
            licensed_until=Subquery(in_force.values("expires_on")[:1]),
            lapsed_at=Subquery(latest.values("lapsed_at")[:1]),
            lapse_reason=Subquery(latest.values("lapse_reason")[:1]),
        )
        .order_by("last_name", "first_name", "pk")
    )
    department = None
    if request.GET.get("department", "").isdigit():
        department = Department.objects.filter(pk=int(request.GET["department"])).first()
        if department:
            people = people.in_department(department)
    totals = people.aggregate(total=Count("pk"), licensed=Count("pk", filter=Q(licensed_until__isnull=False)))
    status = request.GET.get("status", "all")
    if status not in STATUSES:
        status = "all"
    if status == "licensed":
        people = people.filter(licensed_until__isnull=False)
    elif status == "unlicensed":
        people = people.filter(licensed_until__isnull=True)
    elif status == "lapsed":
        people = people.filter(licensed_until__isnull=True, lapsed_at__isnull=False)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "page": page,
        "totals": totals,
        "percent": round(100 * totals["licensed"] / totals["total"]) if totals["total"] else 0,
        "status": status,
        "statuses": STATUSES,
        "department": department,
        "departments": Department.objects.all(),
        "querystring": querystring.urlencode(),
        "breadcrumbs": [("Home", reverse("web:home")), ("Licences to post", None)],
    }
    return render(request, "training/licence_register.html", context)
