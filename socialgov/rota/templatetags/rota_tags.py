"""Rota times as people read them: "Sat 23 Nov 17:00", and a shift's span, which say BST or GMT when it matters."""

from django import template

from socialgov.rota.times import moment_label, span_label

register = template.Library()


@register.filter
def moment(value) -> str:
    """A local day and time, "Sat 23 Nov 17:00"."""
    return moment_label(value) if value else ""


@register.filter
def span(shift) -> str:
    """When a shift (or anything with ``starts_at`` and ``ends_at``) runs: "from Sat 23 Nov 17:00 to 09:00"."""
    return span_label(shift.starts_at, shift.ends_at)
