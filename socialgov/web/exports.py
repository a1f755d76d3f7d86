"""Downloads every report shares: CSV streamed row by row, so a list of 100,000 people costs no memory.

Cells come from people's names, imported files and question texts, so any
text a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe,
as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

# Rows per chunk handed to the server: large enough that a 100,000-row download is not 100,000 writes.
CHUNK_ROWS = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """The value, with text that a spreadsheet would treat as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(row: Sequence) -> list:
    return [spreadsheet_safe(value) for value in row]


class _Echo:
    """A file-like object whose write hands the line back, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def csv_response(filename: str, headings: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        chunk = [writer.writerow(headings)]
        for row in rows:
            chunk.append(writer.writerow(spreadsheet_row(row)))
            if len(chunk) >= CHUNK_ROWS:
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> FileResponse:
    """A workbook of (sheet title, headings, rows) sheets, in constant memory.

    A write-only workbook streams rows to a temporary file (spilling to disk past
    10 MB); the response then reads it back in chunks.
    """
    workbook = Workbook(write_only=True)
    for title, headings, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(headings))
        for row in rows:
            sheet.append(spreadsheet_row(row))
    spool = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
