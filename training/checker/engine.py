"""Checking a draft: every rule over it, the findings in reading order, one finding per problem."""

from __future__ import annotations

import dataclasses
import unicodedata

from training.checker.model import (
    MAX_DRAFT_CHARS,
    SEVERITY_RANK,
    Draft,
    DraftError,
    Finding,
    HouseRules,
    Report,
)
from training.checker.platforms import PLATFORMS, Platform
from training.checker.rules import RULES

RULE_ORDER = {rule.code: order for order, rule in enumerate(RULES)}
# Characters that show nothing: spaces and line breaks, controls, format characters (zero-width spaces and
# joiners, direction marks, the byte order mark, soft hyphens), variation selectors, and the blank letters
# Hangul and braille have.
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800") | {chr(c) for c in range(0xFE00, 0xFE10)}
# A house-rule word that is also text-speak is reported once, by the house rule.
OUTRANKS = {"banned_word": {"text_speak", "cautioned_word"}, "cautioned_word": {"text_speak"}}


def _platform(code: str) -> Platform:
    platform = PLATFORMS.get(str(code).strip().lower())
    if platform is None:
        known = ", ".join(f"{p.name} ({p.code!r})" for p in PLATFORMS.values())
        raise DraftError(f"{str(code)!r} is not a platform the checker knows. Choose one of: {known}.")
    return platform


def _is_visible(char: str) -> bool:
    return not (
        char.isspace()
        or char in INVISIBLE
        or unicodedata.category(char) in INVISIBLE_CATEGORIES
        or 0xE0100 <= ord(char) <= 0xE01EF
    )


def normalise_line_breaks(text: str) -> str:
    """The text with every line break a single ``\\n``: browsers send ``\\r\\n``, and older systems ``\\r``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _validate(text: str) -> str:
    """The draft with its line breaks normalised, or DraftError saying why it cannot be checked."""
    if not isinstance(text, str):
        raise DraftError("The draft must be text. Paste or type the post you want to check.")
    if not text:
        raise DraftError("The draft is empty. Paste or type the post you want to check.")
    if not any(_is_visible(char) for char in text):
        # Spaces, line breaks and characters that show nothing (zero-width spaces and the like) in any mix.
        raise DraftError("The draft is only spaces. Paste or type the post you want to check.")
    text = normalise_line_breaks(text)
    if len(text) > MAX_DRAFT_CHARS:
        raise DraftError(
            f"The draft is {len(text):,} characters; the checker takes up to {MAX_DRAFT_CHARS:,}. Check it in parts."
        )
    return text


def _one_per_problem(findings: list[Finding]) -> list[Finding]:
    by_span: dict[tuple[int, int, bool], set[str]] = {}
    for finding in findings:
        by_span.setdefault((finding.start, finding.end, finding.whole), set()).add(finding.rule)
    kept, seen = [], set()
    for finding in findings:
        key = (finding.rule, finding.start, finding.end, finding.whole)
        rules_here = by_span[(finding.start, finding.end, finding.whole)]
        if key in seen or any(finding.rule in OUTRANKS.get(other, ()) for other in rules_here):
            continue
        seen.add(key)
        kept.append(finding)
    return kept


def check(draft: Draft, house: HouseRules = HouseRules()) -> Report:  # noqa: B008 - frozen, so safe to share
    """Check a draft against every rule. Raises DraftError for a draft that cannot be checked.

    Line breaks are made ``\\n`` first, so ``\\r\\n`` counts as one character, as platforms count it; the findings'
    offsets refer to that text, which the report keeps as ``report.text``.
    """
    platform = _platform(draft.platform)
    text = _validate(draft.text)
    if text != draft.text:
        draft = dataclasses.replace(draft, text=text)
    found = [f for rule in RULES for f in rule.check(draft, house, platform)]
    # A finding highlights something, unless it is about the whole post.
    findings = _one_per_problem([f for f in found if f.whole or f.end > f.start])
    findings.sort(key=lambda f: (f.start, SEVERITY_RANK[f.severity], RULE_ORDER[f.rule], f.end))
    limit = platform.limit_for(house)
    return Report(
        findings=tuple(findings),
        length=platform.measure(text, limit).length,
        limit=limit,
        platform=platform,
        text=text,
    )
