"""The interface through which apps tell the engine what is due.

A *kind* names a sort of reminder ("set up your account", "acknowledge a
policy") and says whether people may opt out of it and whether it is urgent.
A *source* is an object with a ``kind`` and a ``due_items(today=...)`` method
that returns everything of that kind that is open, for everyone, in as few
queries as it can: the engine asks each source once per sweep, whatever the
size of the organisation. The engine never knows what an item is about.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    # Heading of the digest section this kind's items appear under.
    group: str
    # Mandatory kinds cannot be switched off in a person's preferences.
    is_mandatory: bool = True
    # Urgent kinds go at once, on their own queue, day or night.
    is_urgent: bool = False


@dataclass(frozen=True)
class DueItem:
    """Something a person must do by a date."""

    person_id: int
    kind: str
    # Stable identity of what the item is about, e.g. "policy-version:12".
    subject_key: str
    title: str
    url: str
    due_on: datetime.date


class Source(Protocol):
    kind: Kind

    def due_items(self, *, today: datetime.date) -> Iterable[DueItem]: ...


_sources: dict[str, Source] = {}
_kinds: dict[str, Kind] = {}

# Kinds the engine itself sends.
DIGEST = Kind(key="notifications.digest", label="Daily digest", group="Digest")
ESCALATION = Kind(key="notifications.escalation", label="Your team's overdue items", group="Your team")


def register_kind(kind: Kind) -> Kind:
    """Declare a kind that is sent directly (e.g. an urgent page) rather than from a source."""
    existing = _kinds.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Kind {kind.key!r} is already registered differently.")
    _kinds[kind.key] = kind
    return kind


def register(source: Source) -> Source:
    """Plug a source into the engine; call from an AppConfig.ready()."""
    register_kind(source.kind)
    _sources[source.kind.key] = source
    return source


def unregister(key: str) -> None:
    _sources.pop(key, None)
    _kinds.pop(key, None)


def sources() -> list[Source]:
    return list(_sources.values())


def kinds() -> list[Kind]:
    return list(_kinds.values())


def kind(key: str) -> Kind | None:
    return _kinds.get(key)


def kind_choices() -> list[tuple[str, str]]:
    return sorted((k.key, k.label) for k in _kinds.values() if k.key not in {DIGEST.key, ESCALATION.key})


register_kind(DIGEST)
register_kind(ESCALATION)
