"""Planning an import: what the file would change in the staff list now, or why it cannot be applied.

The database is read in a fixed number of queries whatever the size of the
file: people, verified addresses and departments are loaded once and the
file is laid over them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from allauth.account.models import EmailAddress
from django.utils import timezone

from socialgov.people.models import PATH_SEPARATOR, Department, User
from socialgov.people.staff_import.parsing import COLUMNS, ParsedFile, RowError, StaffRow, show_date

# Rows of each list kept with an import and shown on its page; the command prints them all.
MAX_LISTED = 1000

_LABELS = {
    "employee_number": "Employee number",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "job_title": "Job title",
    "department": "Department",
    "line_manager": "Line manager",
    "start_date": "Start date",
    "leaving_date": "Leaving date",
    "is_public_facing": "Public-facing",
    "is_active": "Status",
}


@dataclass(frozen=True)
class FieldChange:
    """One field of an existing person that the import changes, as HR reads it: label, old and new."""

    field: str
    old: str
    new: str


@dataclass
class PersonChange:
    """One person the import creates or changes, as shown to HR."""

    line: int
    employee_number: str
    name: str
    email: str
    job_title: str
    department: str
    manager: str
    start_date: str
    leaving_date: str
    left: bool
    changes: list[FieldChange] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "employee_number": self.employee_number,
            "name": self.name,
            "email": self.email,
            "job_title": self.job_title,
            "department": self.department,
            "manager": self.manager,
            "start_date": self.start_date,
            "leaving_date": self.leaving_date,
            "left": self.left,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in self.changes],
        }


@dataclass
class PersonAction:
    """What applying does for one line: the target values, resolved against the database."""

    row: StaffRow
    person_id: int | None
    department_key: tuple[str, ...]
    changed: set[str]
    deactivate: bool
    is_active: bool


@dataclass
class ImportPlan:
    """What an import would do to the staff list now, or why it cannot be applied."""

    errors: list[RowError] = field(default_factory=list)
    new: list[PersonChange] = field(default_factory=list)
    updated: list[PersonChange] = field(default_factory=list)
    leavers: list[PersonChange] = field(default_factory=list)
    returners: list[PersonChange] = field(default_factory=list)
    unchanged: int = 0
    departments: list[str] = field(default_factory=list)
    rows: int = 0
    not_in_file: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    actions: list[PersonAction] = field(default_factory=list, repr=False)
    new_departments: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False)
    department_ids: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)
    person_ids: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.updated or self.departments)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": len(self.new),
            "updated": len(self.updated),
            "leavers": len(self.leavers),
            "returners": len(self.returners),
            "unchanged": self.unchanged,
            "departments": len(self.departments),
            "not_in_file": self.not_in_file,
            "errors": len(self.errors),
        }

    def as_summary(self, *, limit: int | None = MAX_LISTED) -> dict[str, Any]:
        """The plan as JSON: counts and the lists HR reads (the first ``limit`` of each)."""
        return {
            "counts": self.counts(),
            "has_changes": self.has_changes,
            "ignored_columns": list(self.ignored_columns),
            "departments": self.departments[:limit],
            "new": [p.as_dict() for p in self.new[:limit]],
            "updated": [p.as_dict() for p in self.updated[:limit]],
            "leavers": [p.as_dict() for p in self.leavers[:limit]],
            "returners": [p.as_dict() for p in self.returners[:limit]],
        }

    def errors_as_list(self, *, limit: int | None = MAX_LISTED) -> list[dict[str, Any]]:
        return [error.as_dict() for error in self.errors[:limit]]

    def fingerprint(self) -> str:
        """A digest of every change, so applying can refuse changes other than those previewed."""
        data = self.as_summary(limit=None)
        data["errors"] = self.errors_as_list(limit=None)
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()

    def describe(self) -> str:
        """One sentence of counts, for messages and the command line."""
        if not self.has_changes:
            return "No changes: the staff list already matches this file."
        parts = [
            _count(len(self.new), "new person", "new people"),
            _count(len(self.updated), "person updated", "people updated"),
        ]
        if self.leavers:
            parts.append(_count(len(self.leavers), "leaver deactivated", "leavers deactivated"))
        if self.returners:
            parts.append(_count(len(self.returners), "returner re-activated", "returners re-activated"))
        if self.departments:
            parts.append(_count(len(self.departments), "new department", "new departments"))
        parts.append(f"{self.unchanged:,} unchanged")
        return ", ".join(parts) + "."


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number:,} {singular if number == 1 else plural}"


class _Person(NamedTuple):
    id: int
    employee_number: str | None
    email: str
    first_name: str
    last_name: str
    job_title: str
    department_id: int | None
    line_manager_id: int | None
    start_date: datetime.date | None
    leaving_date: datetime.date | None
    is_public_facing: bool
    is_active: bool

    @property
    def label(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip() or self.email
        return f"{name} ({self.employee_number})" if self.employee_number else name


_PERSON_FIELDS = _Person._fields


def _show_flag(value: bool) -> str:
    return "Yes" if value else "No"


def _show_status(active: bool) -> str:
    return "Current" if active else "Left"


class _Departments:
    """The department tree, loaded once, for finding a path and naming a department."""

    def __init__(self) -> None:
        rows = list(Department.objects.order_by().values_list("id", "name", "parent_id"))
        self.by_id = {pk: (name, parent) for pk, name, parent in rows}
        self.children = {(parent, name.lower()): pk for pk, name, parent in rows}
        self._paths: dict[int, tuple[str, ...]] = {}

    def names(self, pk: int | None) -> tuple[str, ...]:
        if pk is None or pk not in self.by_id:
            return ()
        if pk not in self._paths:
            chain: list[int] = []
            node: int | None = pk
            while node is not None and node not in self._paths and node not in chain:
                chain.append(node)
                node = self.by_id[node][1]
            prefix = self._paths.get(node, ()) if node is not None else ()
            for member in reversed(chain):
                prefix = (*prefix, self.by_id[member][0])
                self._paths[member] = prefix
        return self._paths[pk]

    def resolve(self, names: tuple[str, ...]) -> tuple[int | None, tuple[str, ...], int]:
        """The existing department at ``names`` (or None), the display names, and how many levels exist."""
        parent: int | None = None
        shown: list[str] = []
        for depth, name in enumerate(names):
            pk = self.children.get((parent, name.lower()))
            if pk is None:
                return None, (*shown, *names[depth:]), depth
            shown.append(self.by_id[pk][0])
            parent = pk
        return parent, tuple(shown), len(names)


def _find_cycles(manager_of: dict[str, str | None]) -> list[list[str]]:
    """Every loop in a "reports to" map, each once, in chain order."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []
    for start in manager_of:
        if start in state:
            continue
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            position[node] = len(path)
            path.append(node)
            node = manager_of.get(node)
        if node is not None and node in position:
            cycles.append(path[position[node] :])
        for member in path:
            state[member] = 2
    return cycles


def staff_import_plan(*, parsed: ParsedFile, today: datetime.date | None = None) -> ImportPlan:
    """Work out what the file changes, reading the database in a fixed number of queries."""
    today = today or timezone.localdate()
    plan = ImportPlan(errors=list(parsed.errors), rows=parsed.row_count, ignored_columns=parsed.ignored_columns)
    people = {record[0]: _Person(*record) for record in User.objects.order_by().values_list(*_PERSON_FIELDS).iterator()}
    addresses = dict(EmailAddress.objects.filter(verified=True).order_by().values_list("email", "user_id").iterator())
    addresses = {email.lower(): user_id for email, user_id in addresses.items()}
    departments = _Departments()
    by_number = {p.employee_number: p for p in people.values() if p.employee_number}
    by_email = {p.email.lower(): p for p in people.values()}
    file_numbers = parsed.employee_numbers

    # First pass: who each line is, so a manager matched by email is known before anyone refers to them.
    matched: list[tuple[StaffRow, _Person | None]] = []
    person_ids: dict[str, int] = {number: p.id for number, p in by_number.items()}
    row_errors: list[RowError] = []
    for row in parsed.rows:
        person = by_number.get(row.employee_number)
        holder = by_email.get(row.email)
        if person is None and holder is not None and not holder.employee_number:
            person = holder  # an account made before the first import: it takes its employee number now
        owners = {holder.id if holder else None, addresses.get(row.email)} - {None}
        others = [people[owner] for owner in owners if person is None or owner != person.id]
        if others:
            row_errors.append(
                RowError(row.line, "email", row.email, f"This email address belongs to {others[0].label}.")
            )
            continue
        if person is not None:
            person_ids[row.employee_number] = person.id
        matched.append((row, person))
    in_file = {row.employee_number: row for row, _ in matched}

    # Line managers: known, and no loops once the file is laid over the current structure.
    key_of_id = {pk: (p.employee_number or f"#{pk}") for pk, p in people.items()}
    for row, person in matched:
        if person is not None:
            key_of_id[person.id] = row.employee_number
    manager_of: dict[str, str | None] = {}
    for pk, p in people.items():
        key = key_of_id[pk]
        if key not in in_file and key not in file_numbers:
            manager_of[key] = key_of_id.get(p.line_manager_id) if p.line_manager_id else None
    for row, _ in matched:
        manager = row.manager_employee_number
        if manager and manager not in file_numbers and manager not in by_number:
            row_errors.append(
                RowError(
                    row.line,
                    "manager_employee_number",
                    manager,
                    f"There is no one with employee number {manager} in this file or in the staff list.",
                )
            )
        manager_of[row.employee_number] = manager or None
    names = {key_of_id[pk]: p.label for pk, p in people.items() if key_of_id[pk].startswith("#")}
    for cycle in _find_cycles(manager_of):
        for position, member in enumerate(cycle):
            row = in_file.get(member)
            if row is None:
                continue
            chain = [*cycle[position:], *cycle[:position], member]
            shown = " → ".join(names.get(key, key) for key in chain)
            row_errors.append(
                RowError(
                    row.line,
                    "manager_employee_number",
                    row.manager_employee_number,
                    f"The management chain goes round in a circle: {shown}.",
                )
            )
    plan.errors.extend(row_errors)
    plan.errors.sort(key=lambda error: (error.line, _column_order(error.column)))
    plan.person_ids = person_ids

    # Second pass: what changes for each person.
    resolved: dict[tuple[str, ...], tuple[int | None, tuple[str, ...], int]] = {}
    label_of_number = {number: p.label for number, p in by_number.items()}
    label_of_number.update({row.employee_number: f"{row.name} ({row.employee_number})" for row, _ in matched})
    seen_ids: set[int] = set()
    for row, person in matched:
        key = tuple(name.lower() for name in row.department)
        if key not in resolved:
            resolved[key] = departments.resolve(row.department)
        department_id, shown_names, existing_levels = resolved[key]
        if department_id is not None:
            plan.department_ids[key] = department_id
        for depth in range(existing_levels + 1, len(key) + 1):
            plan.new_departments.setdefault(key[:depth], shown_names[:depth])
        department = PATH_SEPARATOR.join(shown_names)
        manager_label = label_of_number.get(row.manager_employee_number, "") if row.manager_employee_number else ""
        left = row.leaving_date is not None and row.leaving_date <= today
        change = PersonChange(
            line=row.line,
            employee_number=row.employee_number,
            name=row.name,
            email=row.email,
            job_title=row.job_title,
            department=department,
            manager=manager_label,
            start_date=show_date(row.start_date),
            leaving_date=show_date(row.leaving_date),
            left=left,
        )
        if person is None:
            plan.new.append(change)
            plan.actions.append(PersonAction(row, None, key, set(), deactivate=False, is_active=not left))
            continue
        seen_ids.add(person.id)
        changed: set[str] = set()

        def compare(name: str, old: Any, new: Any, old_shown: str, new_shown: str, changed=changed, change=change):
            if old != new:
                changed.add(name)
                change.changes.append(FieldChange(_LABELS[name], old_shown, new_shown))

        compare("employee_number", person.employee_number or "", row.employee_number, "", row.employee_number)
        for name in ("first_name", "last_name"):
            compare(name, getattr(person, name), getattr(row, name), getattr(person, name), getattr(row, name))
        compare("email", person.email.lower(), row.email, person.email, row.email)
        compare("job_title", person.job_title, row.job_title, person.job_title, row.job_title)
        old_department = PATH_SEPARATOR.join(departments.names(person.department_id))
        compare("department", person.department_id, department_id or key, old_department, department)
        new_manager = person_ids.get(row.manager_employee_number) if row.manager_employee_number else None
        if row.manager_employee_number and new_manager is None:
            new_manager = -1  # a manager who is new in this file
        old_manager = people[person.line_manager_id].label if person.line_manager_id in people else ""
        compare("line_manager", person.line_manager_id, new_manager, old_manager, manager_label)
        compare("start_date", person.start_date, row.start_date, show_date(person.start_date), change.start_date)
        compare(
            "leaving_date", person.leaving_date, row.leaving_date, show_date(person.leaving_date), change.leaving_date
        )
        if row.public_facing is not None:
            compare(
                "is_public_facing",
                person.is_public_facing,
                row.public_facing,
                _show_flag(person.is_public_facing),
                _show_flag(row.public_facing),
            )
        compare("is_active", person.is_active, not left, _show_status(person.is_active), _show_status(not left))
        deactivate = person.is_active and left
        plan.actions.append(PersonAction(row, person.id, key, changed, deactivate=deactivate, is_active=not left))
        if not changed:
            plan.unchanged += 1
            continue
        plan.updated.append(change)
        if deactivate:
            plan.leavers.append(change)
        elif "is_active" in changed:
            plan.returners.append(change)
    plan.departments = sorted((PATH_SEPARATOR.join(names) for names in plan.new_departments.values()), key=str.lower)
    plan.not_in_file = sum(
        1
        for p in people.values()
        if p.is_active and p.employee_number and p.id not in seen_ids and p.employee_number not in file_numbers
    )
    return plan


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else -1
