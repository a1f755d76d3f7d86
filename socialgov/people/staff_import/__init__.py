"""The staff import: the HR system's CSV of everyone, checked, previewed, then applied whole or not at all.

The file is the truth about who works here. Each line is matched to a person
by employee number (an account made before the first import, with no
employee number, is matched by email address). Checking and planning read
the database in a fixed number of queries whatever the size of the file;
applying uses bulk writes, so a file of ten thousand people previews in
about a second and applies in seconds.

``parsing`` reads the file, ``planning`` compares it with the staff list and
``applying`` stores an import and carries out its plan; ``errors`` holds what
can stop them.
"""

from socialgov.people.staff_import.applying import staff_import_apply, staff_import_create, staff_import_preview
from socialgov.people.staff_import.errors import (
    StaffImportAlreadyApplied,
    StaffImportError,
    StaffImportFileError,
    StaffImportStale,
)
from socialgov.people.staff_import.parsing import (
    COLUMNS,
    EXAMPLE_HEADER,
    EXAMPLE_ROW,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    REQUIRED_VALUES,
    ParsedFile,
    RowError,
    StaffRow,
    staff_import_decode,
    staff_import_parse,
)
from socialgov.people.staff_import.planning import (
    MAX_LISTED,
    FieldChange,
    ImportPlan,
    PersonChange,
    staff_import_plan,
)

__all__ = [
    "COLUMNS",
    "EXAMPLE_HEADER",
    "EXAMPLE_ROW",
    "MAX_LISTED",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "REQUIRED_VALUES",
    "FieldChange",
    "ImportPlan",
    "ParsedFile",
    "PersonChange",
    "RowError",
    "StaffImportAlreadyApplied",
    "StaffImportError",
    "StaffImportFileError",
    "StaffImportStale",
    "StaffRow",
    "staff_import_apply",
    "staff_import_create",
    "staff_import_decode",
    "staff_import_parse",
    "staff_import_plan",
    "staff_import_preview",
]
