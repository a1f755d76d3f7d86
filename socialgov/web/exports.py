"""Downloads every report shares: CSV streamed row by row, so a list of 100,000 people costs no memory."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse


class _Echo:
    """A file-like object whose write hands the line back, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def csv_response(filename: str, headings: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(headings)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
