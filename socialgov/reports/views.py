"""Compliance reports: HR's dashboard and department views, the people list, a manager's team, a person's record.

Every view reads through ``selectors`` (a fixed number of queries) and offers
its table as CSV (streamed) or Excel with ``?format=csv`` or ``?format=xlsx``.
Bad filters in the URL are answered on the page, never with an error page.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialgov.people.access import manager_or_role_required, person_access_required, role_required
from socialgov.people.models import Department, User
from socialgov.people.roles import Role, has_role
from socialgov.reports import charts, selectors
from socialgov.reports.forms import ReportFilters
from socialgov.reports.models import Kind, Status
from socialgov.reports.nudges import nudge_send
from socialgov.web.exports import csv_response, xlsx_response

PAGE_SIZE = 50
KINDS = [Kind.COURSE, Kind.POLICY, Kind.LICENCE]
STATUS_LABELS = dict(Status.choices)


def _filters(request, items) -> tuple[ReportFilters, int]:
    filters = ReportFilters(request.GET, items=items)
    return filters, (200 if filters.is_valid() else 400)


def _period(filters: ReportFilters) -> tuple[datetime.date, datetime.date]:
    """The charts' period: the filter's dates, or the year to today."""
    end = filters.value("end") or timezone.localdate()
    start = filters.value("start") or end - datetime.timedelta(days=365)
    return start, end


def _querystring(request, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", "format", *drop):
        query.pop(name, None)
    return query.urlencode()


def _crumbs(department: Department | None, lineage: list[Department]) -> list[tuple[str, str | None]]:
    crumbs = [("Home", reverse("web:home")), ("Compliance", reverse("reports:dashboard") if department else None)]
    crumbs += [(d.name, reverse("reports:department", args=[d.pk])) for d in lineage]
    if department:
        crumbs.append((department.name, None))
    return crumbs


@role_required(Role.HR, Role.ADMINISTRATOR)
def dashboard(request, pk: int | None = None):
    """The organisation (or one department and everything below it) at a glance, with drill-down."""
    items = selectors.items_catalogue()
    filters, status = _filters(request, items)
    # A department chosen in the filter wins over the one in the address (the form submits to the page it is on).
    department = filters.value("department") or (get_object_or_404(Department, pk=pk) if pk else None)
    item = filters.value("item")
    scope = department.path if department else ""
    below = selectors.children(department)
    figures = selectors.scope_figures([scope, *(child.path for child in below)], item)
    here = figures[scope]
    start, end = _period(filters)
    names = {(i.kind, i.item_id): i.name for i in items}
    shown_kinds = [item.kind] if item else KINDS
    rows = [
        (child, [figures[child.path].by_kind.get(kind, selectors.Figures()) for kind in shown_kinds]) for child in below
    ]
    by_item = [
        (selectors.Item(kind, item_id, names.get((kind, item_id), "No longer published")), found)
        for (kind, item_id), found in sorted(here.by_item.items(), key=lambda pair: names.get(pair[0], ""))
    ]
    if filters.download:
        return _dashboard_export(filters.download, department, shown_kinds, rows, by_item)
    trend = selectors.series(scope, start, end, item)
    chart_kinds = [item.kind] if item else KINDS
    line = charts.line_chart(
        [
            charts.Series(item.name if item and not scope else selectors.KIND_LABELS[kind], trend.get(kind, []))
            for kind in chart_kinds
        ],
        title=f"Compliance over time{' in ' + department.name if department else ''}",
    )
    # Bars compare the departments below on one measure: the chosen item, or courses.
    bar = shown_kinds.index(item.kind if item else Kind.COURSE)
    bars = charts.bar_chart(
        [
            charts.Bar(child.name, found[bar].percent, found[bar].rag, reverse("reports:department", args=[child.pk]))
            for child, found in rows
        ],
        title=f"{item.name if item else 'Courses'}: per cent compliant by department",
    )
    team = None
    if department and not below:
        team = _team_page(request, User.objects.filter(department=department, is_active=True), names)
    context = {
        "filters": filters,
        "department": department,
        "lineage": selectors.ancestors(department),
        "item": item,
        "kinds": [
            (kind, selectors.KIND_LABELS[kind], here.by_kind.get(kind, selectors.Figures())) for kind in shown_kinds
        ],
        "kind_labels": [selectors.KIND_LABELS[kind] for kind in shown_kinds],
        "rows": rows,
        "by_item": by_item,
        "line_chart": line,
        "bar_chart": bars,
        "team": team,
        "departments": selectors.filter_departments(department),
        "querystring": _querystring(request),
        "people_query": _querystring(request, "department") + (f"&department={department.pk}" if department else ""),
    }
    context["breadcrumbs"] = _crumbs(department, context["lineage"])
    return render(request, "reports/dashboard.html", context, status=status)


FIGURE_HEADINGS = ["People", "Done or exempt", "Overdue", "Expired", "Expiring soon", "Per cent", "RAG"]


def _figure_cells(found: selectors.Figures) -> list:
    return [found.total, found.compliant, found.overdue, found.expired, found.expiring, found.percent, found.rag]


def _dashboard_export(export, department, kinds, rows, by_item):
    name = department.name if department else "Everyone"
    by_department = (
        [child.name, selectors.KIND_LABELS[kind], *_figure_cells(found)]
        for child, figures in rows
        for kind, found in zip(kinds, figures, strict=True)
    )
    things = ([i.name, selectors.KIND_LABELS[i.kind], *_figure_cells(found)] for i, found in by_item)
    slug = f"compliance-{timezone.localdate():%Y-%m-%d}"
    if export == "csv":
        # One table: the departments below, then each thing for the whole scope.
        lines = [*by_department, *([f"{name}: {thing}", *rest] for thing, *rest in things)]
        return csv_response(f"{slug}.csv", ["Department or item", "Kind", *FIGURE_HEADINGS], lines)
    return xlsx_response(
        f"{slug}.xlsx",
        [
            ("By department", ["Department", "Kind", *FIGURE_HEADINGS], by_department),
            (f"{name} by item", ["Course, policy or licence", "Kind", *FIGURE_HEADINGS], things),
        ],
    )


PEOPLE_HEADINGS = [
    "First name",
    "Last name",
    "Email",
    "Employee number",
    "Department",
    "Course, policy or licence",
    "Status",
    "Due",
    "Done",
    "Expires",
]


@role_required(Role.HR, Role.ADMINISTRATOR)
def people(request):
    """Everyone's standing, filtered by department, item, status and dates; the download has every row."""
    items = selectors.items_catalogue()
    filters, status = _filters(request, items)
    department = filters.value("department")
    item = filters.value("item")
    standings = selectors.standings_in(
        department.path if department else "",
        item=item,
        status=filters.value("status"),
        start=filters.value("start"),
        end=filters.value("end"),
    )
    names = {(i.kind, i.item_id): i.name for i in items}
    if filters.download:
        return _standings_download(
            filters.download, standings.order_by("pk"), names, slug="compliance-people", sheet="People"
        )
    page = Paginator(standings.order_by("person_id", "kind", "item_id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for standing in page:
        standing.item_name = names.get((standing.kind, standing.item_id), "No longer published")
    crumbs = [("Home", reverse("web:home")), ("Compliance", reverse("reports:dashboard")), ("People", None)]
    return render(
        request,
        "reports/people.html",
        {
            "filters": filters,
            "page": page,
            "departments": selectors.filter_departments(department),
            "querystring": _querystring(request),
            "breadcrumbs": crumbs,
        },
        status=status,
    )


STANDING_COLUMNS = (
    "person__first_name",
    "person__last_name",
    "person__email",
    "person__employee_number",
    "person__department__name",
    "kind",
    "item_id",
    "status",
    "due_on",
    "done_on",
    "expires_on",
)


def _download(export: str, slug: str, headings: list[str], rows, *, sheet: str):
    """A report's table as a CSV (streamed) or Excel download, named for the day."""
    name = f"{slug}-{timezone.localdate():%Y-%m-%d}"
    if export == "csv":
        return csv_response(f"{name}.csv", headings, rows)
    return xlsx_response(f"{name}.xlsx", [(sheet, headings, rows)])


def _standings_download(export: str, standings, names: dict, *, slug: str, sheet: str):
    """Every standing, one row each, read from the database in chunks: constant memory at any size."""
    rows = standings.values_list(*STANDING_COLUMNS)

    def lines():
        for *who, kind, item_id, state, due, done, expires in rows.iterator(chunk_size=5000):
            yield [*who, names.get((kind, item_id), ""), STATUS_LABELS[state], due, done, expires]

    return _download(export, slug, PEOPLE_HEADINGS, lines(), sheet=sheet)


def _team_page(request, people, names: dict) -> object:
    """A page of people with what each owes: two queries (the page, their standings) plus the count."""
    ordered = people.select_related("department", "line_manager").order_by("last_name", "first_name", "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    page.owing = selectors.team_owing(list(page))
    for owing in page.owing:
        for standing in owing.standings:
            standing.item_name = names.get((standing.kind, standing.item_id), "No longer published")
    return page


@manager_or_role_required()
def team(request):
    """A manager's people (direct and indirect): what each owes, with a reminder a click away."""
    items = selectors.items_catalogue()
    names = {(i.kind, i.item_id): i.name for i in items}
    everyone = User.objects.below(request.user).filter(is_active=True)
    export = request.GET.get("format")
    if export in {"csv", "xlsx"}:
        standings = selectors.Standing.objects.filter(person__in=everyone).order_by(
            "person__last_name", "person__first_name", "person_id", "status"
        )
        return _standings_download(export, standings, names, slug="team-compliance", sheet="Team")
    page = _team_page(request, everyone, names)
    figures = selectors.team_figures(request.user)
    return render(
        request,
        "reports/team.html",
        {
            "page": page,
            "kinds": [(kind, selectors.KIND_LABELS[kind], figures.get(kind, selectors.Figures())) for kind in KINDS],
            "querystring": "",
            "breadcrumbs": [("Home", reverse("web:home")), ("My team's compliance", None)],
        },
    )


@manager_or_role_required()
@require_POST
def nudge(request, pk: int):
    """Remind one of the manager's people of what they owe, through the reminders engine (once a day)."""
    person = User.objects.below(request.user).filter(is_active=True, pk=pk).first()
    if person is None:
        raise Http404("Not one of your people.")
    outcome = nudge_send(person=person, by=request.user)
    level = messages.SUCCESS if outcome.sent else messages.INFO
    messages.add_message(request, level, outcome.message)
    target = reverse("reports:team")
    page = request.POST.get("page", "")
    return redirect(f"{target}?page={page}" if page.isdigit() else target)


@person_access_required
def person(request, person):
    """One person's whole compliance record: where they stand and every record behind it."""
    record = selectors.person_record(person)
    name_of = {(i.kind, i.item_id): i.name for i in selectors.items_catalogue()}
    export = request.GET.get("format")
    if export in {"csv", "xlsx"}:
        return _download(export, f"record-{person.pk}", selectors.RECORD_HEADINGS, record.rows(), sheet="Record")
    for standing in record.standings:
        standing.item_name = name_of.get((standing.kind, standing.item_id), "No longer published")
    crumbs = [("Home", reverse("web:home"))]
    if has_role(request.user, Role.HR, Role.ADMINISTRATOR):
        crumbs.append(("Compliance", reverse("reports:dashboard")))
    crumbs.append((str(person), None))
    return render(
        request,
        "reports/person.html",
        {"person": person, "record": record, "is_self": person.pk == request.user.pk, "breadcrumbs": crumbs},
    )
