"""What can stop an import being read or applied, each with a message for the person importing."""

from __future__ import annotations


class StaffImportError(Exception):
    """An import that cannot be applied as asked; the message says why, for the person applying it."""


class StaffImportFileError(StaffImportError, ValueError):
    """The uploaded bytes are not a readable CSV file."""


class StaffImportAlreadyApplied(StaffImportError):
    """The import has been applied once; applying it again is refused."""


class StaffImportStale(StaffImportError):
    """The changes differ from the ones previewed, because the staff list changed in between."""
