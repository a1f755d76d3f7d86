"""Keyset ("cursor") pagination over (change time, id), for systems that copy everything that changed.

Each page is one indexed range query, however deep into millions of rows it
is: no OFFSET, no COUNT. Rows are in the order they last changed, ties broken
by id, so a sync can walk the whole list page by page and, next time, start
from ``updated_since`` = the change time of the last row it saw. A row that
changes while a sync is walking moves to the end, where the walk will meet
it again; a row is never skipped.

The cursor is opaque to callers (base64 of the last row's change time and
id); a cursor that was tampered with is answered 400, not 404.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections import OrderedDict

from django.db.models import QuerySet
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Ids are 64-bit; anything larger cannot be a row, and would overflow the database's integer.
MAX_ID = 2**63 - 1


def bad_parameter(name: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({name: [message]})


class KeysetPagination(BasePagination):
    """Pages ordered by the view's ``change_field`` then ``id``, forwards only."""

    cursor_query_param = "cursor"
    limit_query_param = "limit"

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        field = view.change_field
        limit = self.get_limit(request)
        after = self.decode_cursor(request)
        if after is not None:
            at, pk = after
            # ">= at, and not (at and id <= pk)": a range on the change-time index, then ties by id.
            queryset = queryset.filter(**{f"{field}__gte": at}).exclude(**{field: at, "pk__lte": pk})
        rows = list(queryset.order_by(field, "pk")[: limit + 1])
        self.has_next = len(rows) > limit
        rows = rows[:limit]
        self.next_cursor = self.encode_cursor(getattr(rows[-1], field), rows[-1].pk) if self.has_next else None
        return rows

    def get_limit(self, request) -> int:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return DEFAULT_LIMIT
        try:
            limit = int(raw)
        except ValueError:
            raise bad_parameter(self.limit_query_param, f"Give a whole number from 1 to {MAX_LIMIT}.") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise bad_parameter(self.limit_query_param, f"Give a whole number from 1 to {MAX_LIMIT}.")
        return limit

    @staticmethod
    def encode_cursor(at: datetime.datetime, pk: int) -> str:
        raw = json.dumps([at.isoformat(), pk], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode_cursor(self, request) -> tuple[datetime.datetime, int] | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None  # "cursor=" asks for the first page, as a script filling in an empty value would mean
        try:
            decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
            at_text, pk = json.loads(decoded)
            at = datetime.datetime.fromisoformat(at_text)
            if at.tzinfo is None or type(pk) is not int or not 0 < pk <= MAX_ID:
                raise ValueError
            at.astimezone(datetime.UTC)
        except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, OverflowError):
            raise bad_parameter(
                self.cursor_query_param,
                "This cursor is not one this API gave out. Use the `next` link of the previous page as it is.",
            ) from None
        return at, pk

    def get_paginated_response(self, data) -> Response:
        return Response(
            OrderedDict([("next", self.get_next_link()), ("next_cursor", self.next_cursor), ("results", data)])
        )

    def get_next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "next_cursor", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "next_cursor": {
                    "type": "string",
                    "nullable": True,
                    "description": "The `cursor` parameter of the next page, or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the `next_cursor` of the previous page.",
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            },
        ]
