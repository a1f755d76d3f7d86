"""Reading the staff CSV: decoding, columns, dates and rows, each problem placed by line and column.

Nothing here reads the database: a file is checked line by line on its own
before it is compared with the staff list.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from socialgov.people.models import PATH_SEPARATOR, Department, User
from socialgov.people.staff_import.errors import StaffImportFileError

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


def show_date(value: datetime.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


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
        problem("leaving_date", f"The leaving date is before the start date ({show_date(start)}).")

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
