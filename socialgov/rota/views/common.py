"""Pieces the rota's views share: breadcrumbs, reading a day from the query string, service errors onto forms."""

from __future__ import annotations

import datetime

from django import forms
from django.urls import reverse

from socialgov.rota.services import RotaError

# Service field names that the forms call something else.
FORM_FIELDS = {"ends_at": "ends_on", "starts_at": "starts_on"}


def crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("web:home")), ("On-call rota", reverse("rota:rota")), *trail]


def parse_day(value: str | None) -> datetime.date | None:
    """A ``YYYY-MM-DD`` from the query string, or None for anything else."""
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def add_service_error(form: forms.Form, error: RotaError) -> None:
    """Show a refusal next to the input at fault, or above the form when no one input is."""
    field = FORM_FIELDS.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, str(error))


def day_anchor(day: datetime.date) -> str:
    return f"day-{day.isoformat()}"
