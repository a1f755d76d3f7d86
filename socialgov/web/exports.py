"""Downloads every report shares: CSV streamed row by row, so a list of 100,000 people costs no memory.

Cells come from people's names, imported files and question texts, so any
text a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe,
as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

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
        yield writer.writerow(headings)
        for row in rows:
            yield writer.writerow(spreadsheet_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
