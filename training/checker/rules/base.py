"""Helpers every rule uses to word its findings the same way."""

from __future__ import annotations

from training.checker.model import Finding


def at(rule: str, severity: str, text: str, start: int, end: int, *, message: str, why: str, fix: str) -> Finding:
    """A finding about one part of the draft; its excerpt is exactly the highlighted text."""
    return Finding(rule, severity, start, end, text[start:end], message, why, fix)


def whole_post(rule: str, severity: str, text: str, *, excerpt: str, message: str, why: str, fix: str) -> Finding:
    """A finding about the post as a whole (a missing sign-off, an image): it spans the whole draft, marked whole."""
    return Finding(rule, severity, 0, len(text), excerpt, message, why, fix, whole=True)


def quoted(text: str) -> str:
    return f'"{text}"'


def count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number:,} {singular if number == 1 else (plural or singular + 's')}"


def either(options: tuple[str, ...] | list[str]) -> str:
    """'"a"', '"a" or "b"', '"a", "b" or "c"'."""
    words = [quoted(o) for o in options]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def listed(options: list[str]) -> str:
    """'"a"', '"a" and "b"', '"a", "b" and "c"'."""
    words = [quoted(o) for o in options]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def same_case(word: str, like: str) -> str:
    """``word`` with a capital first letter when ``like`` has one ("Pls" -> "Please")."""
    return word[:1].upper() + word[1:] if like[:1].isupper() else word
