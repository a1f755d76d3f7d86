"""The staff import: the HR system's CSV of everyone, checked, previewed, then applied whole or not at all.

The file is the truth about who works here. Each line is matched to a person
by employee number (an account made before the first import, with no
employee number, is matched by email address). Checking and planning read
the database in a fixed number of queries whatever the size of the file;
applying uses bulk writes, so a file of ten thousand people previews in
about a second and applies in seconds.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import json
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from socialgov.people.models import PATH_SEPARATOR, Department, StaffImport, User
from socialgov.people.services import department_get_or_create_path, person_deactivate, person_sync_email_address

COLUMNS = (
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "department",
    "manager_employee_number",
    "job_title",
    "start_date",
    "leaving_date",
    "public_facing",
)
OPTIONAL_COLUMNS = frozenset({"public_facing"})
REQUIRED_COLUMNS = tuple(name for name in COLUMNS if name not in OPTIONAL_COLUMNS)
REQUIRED_VALUES = ("employee_number", "first_name", "last_name", "email", "department")
EXAMPLE_HEADER = ",".join(COLUMNS)
EXAMPLE_ROW = (
    "GC1042,Morag,MacLeod,morag.macleod@example.gov.uk,Communities > Housing > Tenancy team,"
    "GC1007,Tenancy officer,2019-08-12,,yes"
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
# Rows of each list kept with an import and shown on its page; the command prints them all.
MAX_LISTED = 1000
_BATCH = 500

_TRUE = frozenset({"yes", "true", "1"})
_FALSE = frozenset({"no", "false", "0"})
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DEPARTMENT_SPLIT = PATH_SEPARATOR.strip()
_SAVE_AS = 'Save it from the spreadsheet as "CSV UTF-8 (comma delimited)" and upload it again.'


def _max_length(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length


_LENGTHS = {
    "employee_number": _max_length(User, "employee_number"),
    "first_name": _max_length(User, "first_name"),
    "last_name": _max_length(User, "last_name"),
    "email": _max_length(User, "email"),
    "job_title": _max_length(User, "job_title"),
}
_DEPARTMENT_NAME_LENGTH = _max_length(Department, "name")

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


class StaffImportError(Exception):
    """An import that cannot be applied as asked; the message says why, for the person applying it."""


class StaffImportFileError(StaffImportError, ValueError):
    """The uploaded bytes are not a readable CSV file."""


class StaffImportAlreadyApplied(StaffImportError):
    """The import has been applied once; applying it again is refused."""


class StaffImportStale(StaffImportError):
    """The changes differ from the ones previewed, because the staff list changed in between."""


@dataclass(frozen=True)
class RowError:
    """One problem, placed where HR can find it: the file's own line number (header = 1) and the column."""

    line: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class StaffRow:
    """One person as the file describes them, with values already cleaned."""

    line: int
    employee_number: str
    first_name: str
    last_name: str
    email: str
    department: tuple[str, ...]
    manager_employee_number: str
    job_title: str
    start_date: datetime.date | None
    leaving_date: datetime.date | None
    public_facing: bool | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class ParsedFile:
    """Every line of the file that names a person, and every problem found without the database."""

    rows: list[StaffRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Employee numbers on any line, including lines with problems: a manager on a faulty line is not "unknown".
    employee_numbers: set[str] = field(default_factory=set)
    ignored_columns: list[str] = field(default_factory=list)
    row_count: int = 0


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
class _Action:
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
    actions: list[_Action] = field(default_factory=list, repr=False)
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


# --- Reading the file -----------------------------------------------------------------------------------------


def staff_import_decode(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 only, so names such as Siobhán arrive intact."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise StaffImportFileError(f"The file is saved as UTF-16 (Unicode text). {_SAVE_AS}")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise StaffImportFileError(f"The file is a spreadsheet workbook, not a CSV file. {_SAVE_AS}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise StaffImportFileError(
            f"The file is not saved as UTF-8: line {line} has a character that cannot be read "
            f"(byte 0x{data[exc.start]:02X}). {_SAVE_AS}"
        ) from exc
    if "\x00" in text:
        raise StaffImportFileError("The file contains null characters, so it is not a CSV file.")
    return text


def _column_name(heading: str) -> str:
    return re.sub(r"[\s\-]+", "_", heading.strip().lower())


def _parse_date(value: str) -> datetime.date:
    """A date written as 2024-03-31 or 31/03/2024; ValueError says what is wrong."""
    if _ISO_DATE.fullmatch(value):
        year, month, day = (int(part) for part in value.split("-"))
    elif match := _UK_DATE.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError("Enter the date as YYYY-MM-DD or DD/MM/YYYY, for example 2024-03-31 or 31/03/2024.")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError("This is not a real date.") from None


def _row_from_values(line: int, values: dict[str, str], errors: list[RowError]) -> StaffRow | None:
    """A cleaned row, or None with the row's problems added to ``errors``."""
    found: list[RowError] = []

    def problem(column: str, message: str) -> None:
        found.append(RowError(line, column, values.get(column, ""), message))

    for name in REQUIRED_VALUES:
        if not values[name]:
            problem(name, f"Enter the {name.replace('_', ' ')}: it cannot be blank.")
    for name, limit in _LENGTHS.items():
        if len(values[name]) > limit:
            problem(name, f"This is longer than {limit} characters.")

    email = values["email"].lower()
    if email and len(email) <= _LENGTHS["email"]:
        try:
            validate_email(email)
        except ValidationError:
            problem("email", "This is not a valid email address.")

    department: tuple[str, ...] = ()
    if values["department"]:
        department = tuple(part.strip() for part in values["department"].split(_DEPARTMENT_SPLIT))
        if not all(department):
            problem(
                "department",
                f"Part of the department path is blank. Name every level, for example "
                f"Communities{PATH_SEPARATOR}Housing{PATH_SEPARATOR}Tenancy team.",
            )
        elif any(len(part) > _DEPARTMENT_NAME_LENGTH for part in department):
            problem("department", f"A department name is longer than {_DEPARTMENT_NAME_LENGTH} characters.")

    manager = values["manager_employee_number"]
    if manager and manager == values["employee_number"]:
        problem("manager_employee_number", "A person cannot be their own line manager.")

    dates: dict[str, datetime.date | None] = {}
    for name in ("start_date", "leaving_date"):
        dates[name] = None
        if values[name]:
            try:
                dates[name] = _parse_date(values[name])
            except ValueError as exc:
                problem(name, str(exc))
    start, leaving = dates["start_date"], dates["leaving_date"]
    if start and leaving and leaving < start:
        problem("leaving_date", f"The leaving date is before the start date ({_show_date(start)}).")

    public_facing: bool | None = None
    flag = values.get("public_facing", "").lower()
    if flag in _TRUE:
        public_facing = True
    elif flag in _FALSE:
        public_facing = False
    elif flag:
        problem("public_facing", "Enter yes or no (or true/false, 1/0), or leave it blank.")

    if found:
        errors.extend(found)
        return None
    return StaffRow(
        line=line,
        employee_number=values["employee_number"],
        first_name=values["first_name"],
        last_name=values["last_name"],
        email=email,
        department=department,
        manager_employee_number=manager,
        job_title=values["job_title"],
        start_date=start,
        leaving_date=leaving,
        public_facing=public_facing,
    )


def staff_import_parse(text: str) -> ParsedFile:
    """Read the CSV and check each line on its own, so every problem is reported with its line and column."""
    parsed = ParsedFile()
    errors = parsed.errors
    # newline="" keeps quoted line breaks inside a value and lets csv count physical lines.
    reader = csv.reader(io.StringIO(text, newline=""))
    index: dict[str, int] | None = None
    width = 0
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    header_line = 1
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, "", "", f"This line cannot be read as CSV: {exc}."))
            break
        if not any(cell.strip() for cell in record):
            continue
        if index is None:
            header_line = line
            index = _read_header(line, record, parsed)
            if index is None:
                return parsed
            width = len(record)
            continue
        parsed.row_count += 1
        if parsed.row_count > MAX_ROWS:
            errors.append(
                RowError(line, "", "", f"The file has more than {MAX_ROWS:,} people: split it or remove old leavers.")
            )
            break
        values = {name: (record[i].strip() if i < len(record) else "") for name, i in index.items()}
        number, email = values["employee_number"], values["email"].lower()
        if number:
            parsed.employee_numbers.add(number)
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            errors.append(
                RowError(line, "", "", f"This line has {len(record)} values but the header row has {width} columns.")
            )
            continue
        row = _row_from_values(line, values, errors)
        duplicate = False
        if number and number in seen_numbers:
            errors.append(
                RowError(line, "employee_number", number, f"{number} is also on line {seen_numbers[number]}.")
            )
            duplicate = True
        if email and email in seen_emails:
            errors.append(RowError(line, "email", values["email"], f"This email is also on line {seen_emails[email]}."))
            duplicate = True
        if number:
            seen_numbers.setdefault(number, line)
        if email:
            seen_emails.setdefault(email, line)
        if row is not None and not duplicate:
            parsed.rows.append(row)
    if index is None and not errors:
        errors.append(RowError(1, "", "", "The file is empty: it needs a header row and a line for each person."))
    elif index is not None and parsed.row_count == 0:
        errors.append(RowError(header_line, "", "", "The file has a header row but no people."))
    return parsed


def _read_header(line: int, record: list[str], parsed: ParsedFile) -> dict[str, int] | None:
    """Column positions by name; None (with the problems recorded) when required columns are missing."""
    index: dict[str, int] = {}
    problems = False
    for position, heading in enumerate(record):
        name = _column_name(heading)
        if name not in COLUMNS:
            if name:
                parsed.ignored_columns.append(heading.strip())
        elif name in index:
            parsed.errors.append(RowError(line, name, heading, f"The column {name} appears more than once."))
            problems = True
        else:
            index[name] = position
    for name in REQUIRED_COLUMNS:
        if name not in index:
            parsed.errors.append(RowError(line, name, "", f"The header row has no {name} column."))
            problems = True
    return None if problems else index


# --- Planning against the database ---------------------------------------------------------------------------


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


def _show_date(value: datetime.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


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
            start_date=_show_date(row.start_date),
            leaving_date=_show_date(row.leaving_date),
            left=left,
        )
        if person is None:
            plan.new.append(change)
            plan.actions.append(_Action(row, None, key, set(), deactivate=False, is_active=not left))
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
        compare("start_date", person.start_date, row.start_date, _show_date(person.start_date), change.start_date)
        compare(
            "leaving_date", person.leaving_date, row.leaving_date, _show_date(person.leaving_date), change.leaving_date
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
        plan.actions.append(_Action(row, person.id, key, changed, deactivate=deactivate, is_active=not left))
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


# --- Storing and applying -------------------------------------------------------------------------------------


@transaction.atomic
def staff_import_create(*, file_name: str, content: str, uploaded_by: User | None) -> StaffImport:
    """Keep the uploaded file with its first check, so HR can preview it and the applied change can be audited."""
    plan = staff_import_plan(parsed=staff_import_parse(content))
    return StaffImport.objects.create(
        file_name=file_name[: StaffImport._meta.get_field("file_name").max_length],
        content=content,
        uploaded_by=uploaded_by,
        status=StaffImport.Status.PREVIEWED if plan.is_valid else StaffImport.Status.INVALID,
        summary=plan.as_summary(),
        errors=plan.errors_as_list(),
    )


def staff_import_preview(*, staff_import: StaffImport) -> ImportPlan:
    """Check an import against the staff list as it is now, so the preview shows what applying would do."""
    plan = staff_import_plan(parsed=staff_import_parse(staff_import.content))
    status = StaffImport.Status.PREVIEWED if plan.is_valid else StaffImport.Status.INVALID
    summary, errors = plan.as_summary(), plan.errors_as_list()
    if (status, summary, errors) != (staff_import.status, staff_import.summary, staff_import.errors):
        updated = StaffImport.objects.filter(pk=staff_import.pk).exclude(status=StaffImport.Status.APPLIED)
        if updated.update(status=status, summary=summary, errors=errors):
            staff_import.status, staff_import.summary, staff_import.errors = status, summary, errors
    return plan


def staff_import_apply(
    *, staff_import: StaffImport, applied_by: User | None, fingerprint: str | None = None
) -> ImportPlan:
    """Apply every change in the file or none, checked again against the staff list as it is now.

    Returns the plan; when it has errors nothing was changed and the import is
    marked as having errors. Raises StaffImportError when the import has been
    applied already, a newer one has been applied since, or the changes are not
    the ones previewed (``fingerprint``).
    """
    try:
        with transaction.atomic():
            locked = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
            _refuse_to_reapply(locked)
            plan = staff_import_plan(parsed=staff_import_parse(locked.content))
            if not plan.is_valid:
                locked.status = StaffImport.Status.INVALID
                locked.summary, locked.errors = plan.as_summary(), plan.errors_as_list()
                locked.save(update_fields=["status", "summary", "errors"])
            else:
                if fingerprint is not None and fingerprint != plan.fingerprint():
                    raise StaffImportStale(
                        "The staff list has changed since this import was previewed. "
                        "Nothing has been applied: check the changes again, then apply them."
                    )
                _carry_out(plan, applied_by=applied_by, reason=f"Staff import {locked.pk}: {locked.file_name}")
                locked.status = StaffImport.Status.APPLIED
                locked.applied_at = timezone.now()
                locked.summary = plan.as_summary() | {"applied_by": str(applied_by) if applied_by else ""}
                locked.errors = []
                locked.save(update_fields=["status", "applied_at", "summary", "errors"])
    except IntegrityError as exc:
        raise StaffImportError(
            "The staff list changed while this import was being applied, so nothing has been applied. "
            "Check the changes again, then apply them."
        ) from exc
    for name in ("status", "applied_at", "summary", "errors"):
        setattr(staff_import, name, getattr(locked, name))
    return plan


def _refuse_to_reapply(staff_import: StaffImport) -> None:
    if staff_import.status == StaffImport.Status.APPLIED:
        when = timezone.localtime(staff_import.applied_at) if staff_import.applied_at else None
        shown = f" at {when:%H:%M} on {when.day} {when:%B %Y}" if when else ""
        raise StaffImportAlreadyApplied(
            f"This import was applied{shown} and cannot be applied again. "
            "To make more changes, upload the staff list again."
        )
    newer = StaffImport.objects.filter(status=StaffImport.Status.APPLIED, created_at__gt=staff_import.created_at)
    if newer.exists():
        raise StaffImportError(
            "A newer staff list has been applied since this file was uploaded, so applying it could undo those "
            "changes. Upload the file again if it is the one you want."
        )


def _carry_out(plan: ImportPlan, *, applied_by: User | None, reason: str) -> None:
    """Write a valid plan: departments, then new people (managers first), then changes to existing people."""
    department_ids = dict(plan.department_ids)
    # Deepest first: creating "A > B > C" creates "A > B" too, and its path gives both ids.
    for key, names in sorted(plan.new_departments.items(), key=lambda item: -len(item[0])):
        if key not in department_ids:
            department = department_get_or_create_path(names=names)
            for depth, pk in enumerate(department.ancestor_ids(), start=1):
                department_ids.setdefault(key[:depth], pk)

    person_ids = dict(plan.person_ids)
    pending = [action for action in plan.actions if action.person_id is None]
    while pending:
        ready = [a for a in pending if not a.row.manager_employee_number or a.row.manager_employee_number in person_ids]
        if not ready:
            raise RuntimeError("Line managers could not be ordered; the plan should have reported a loop.")
        created = _people_provision(
            [_new_person(a, department_ids, person_ids) for a in ready], applied_by=applied_by, reason=reason
        )
        for action, person in zip(ready, created, strict=True):
            person_ids[action.row.employee_number] = person.pk
        ready_ids = {id(a) for a in ready}
        pending = [a for a in pending if id(a) not in ready_ids]

    changing = [a for a in plan.actions if a.person_id is not None and a.changed]
    people = User.objects.in_bulk([a.person_id for a in changing])
    by_fields: dict[frozenset[str], list[User]] = defaultdict(list)
    leavers: list[User] = []
    email_changed: list[User] = []
    for action in changing:
        person = people[action.person_id]
        changed = set(action.changed)
        if action.deactivate:
            changed.discard("is_active")  # person_deactivate records it and signs them out
            leavers.append(person)
        _set_fields(person, action, changed, department_ids, person_ids)
        if "email" in changed:
            email_changed.append(person)
        if changed:
            by_fields[frozenset(changed)].append(person)
    # One bulk update per set of changed fields, so a single new email does not rewrite everyone's.
    for fields, group in by_fields.items():
        _save_fields(group, sorted(fields))
    saved = [person for group in by_fields.values() for person in group]
    if saved:
        User.history.bulk_history_create(
            saved, batch_size=_BATCH, update=True, default_user=applied_by, default_change_reason=reason
        )
    for person in email_changed:
        person_sync_email_address(person=person)
    for person in leavers:
        person._change_reason = reason
        person_deactivate(person=person)


def _save_fields(people: list[User], fields: list[str]) -> None:
    """Write changed fields: one UPDATE per shared set of values (a restructure), else a CASE bulk update."""
    attnames = [User._meta.get_field(name).attname for name in fields]
    by_values: dict[tuple, list[int]] = defaultdict(list)
    for person in people:
        by_values[tuple(getattr(person, attname) for attname in attnames)].append(person.pk)
    if len(by_values) * 4 > len(people):
        User.objects.bulk_update(people, fields, batch_size=_BATCH)
        return
    for values, pks in by_values.items():
        for start in range(0, len(pks), _BATCH):
            User.objects.filter(pk__in=pks[start : start + _BATCH]).update(**dict(zip(attnames, values, strict=True)))


def _set_fields(person: User, action: _Action, changed: Iterable[str], department_ids: dict, person_ids: dict) -> None:
    row = action.row
    for name in changed:
        if name == "department":
            person.department_id = department_ids[action.department_key]
        elif name == "line_manager":
            manager = row.manager_employee_number
            person.line_manager_id = person_ids[manager] if manager else None
        elif name == "is_public_facing":
            person.is_public_facing = bool(row.public_facing)
        elif name == "is_active":
            person.is_active = action.is_active
        else:
            setattr(person, name, getattr(row, name))


def _new_person(action: _Action, department_ids: dict, person_ids: dict) -> User:
    row = action.row
    manager = row.manager_employee_number
    return User(
        email=row.email,
        employee_number=row.employee_number,
        first_name=row.first_name,
        last_name=row.last_name,
        job_title=row.job_title,
        department_id=department_ids[action.department_key],
        line_manager_id=person_ids[manager] if manager else None,
        start_date=row.start_date,
        leaving_date=row.leaving_date,
        is_public_facing=bool(row.public_facing),
        is_active=action.is_active,
    )


def _people_provision(people: list[User], *, applied_by: User | None, reason: str) -> list[User]:
    """person_provision for many people at once: the same unusable password and verified primary address."""
    for person in people:
        person.email = User.objects.normalize_email(person.email).lower()
        # What set_unusable_password() stores, made without a per-character random choice.
        person.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(UNUSABLE_PASSWORD_SUFFIX_LENGTH // 2)
    created = bulk_create_with_history(
        people, User, batch_size=_BATCH, default_user=applied_by, default_change_reason=reason
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=person, email=person.email, verified=True, primary=True) for person in created],
        batch_size=_BATCH,
    )
    return created
