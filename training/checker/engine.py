"""Checking a draft: every rule over it, the findings in reading order, one finding per problem."""

from __future__ import annotations

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
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# A house-rule word that is also text-speak is reported once, by the house rule.
OUTRANKS = {"banned_word": {"text_speak", "cautioned_word"}, "cautioned_word": {"text_speak"}}


def _platform(code: str) -> Platform:
    platform = PLATFORMS.get(str(code).strip().lower())
    if platform is None:
        known = ", ".join(f"{p.name} ({p.code!r})" for p in PLATFORMS.values())
        raise DraftError(f"{str(code)!r} is not a platform the checker knows. Choose one of: {known}.")
    return platform


def _validate(text: str) -> None:
    if not isinstance(text, str):
        raise DraftError("The draft must be text. Paste or type the post you want to check.")
    if not text:
        raise DraftError("The draft is empty. Paste or type the post you want to check.")
    if not text.strip().strip(INVISIBLE).strip():
        raise DraftError("The draft is only spaces. Paste or type the post you want to check.")
    if len(text) > MAX_DRAFT_CHARS:
        raise DraftError(
            f"The draft is {len(text):,} characters; the checker takes up to {MAX_DRAFT_CHARS:,}. Check it in parts."
        )


def _one_per_problem(findings: list[Finding]) -> list[Finding]:
    by_span: dict[tuple[int, int], set[str]] = {}
    for finding in findings:
        by_span.setdefault((finding.start, finding.end), set()).add(finding.rule)
    kept, seen = [], set()
    for finding in findings:
        key = (finding.rule, finding.start, finding.end)
        rules_here = by_span[(finding.start, finding.end)]
        if key in seen or any(finding.rule in OUTRANKS.get(other, ()) for other in rules_here):
            continue
        seen.add(key)
        kept.append(finding)
    return kept


def check(draft: Draft, house: HouseRules = HouseRules()) -> Report:  # noqa: B008 - frozen, so safe to share
    """Check a draft against every rule. Raises DraftError for a draft that cannot be checked."""
    platform = _platform(draft.platform)
    _validate(draft.text)
    findings = _one_per_problem([f for rule in RULES for f in rule.check(draft, house, platform)])
    findings.sort(key=lambda f: (f.start, SEVERITY_RANK[f.severity], RULE_ORDER[f.rule], f.end))
    limit = platform.limit_for(house)
    return Report(
        findings=tuple(findings),
        length=platform.measure(draft.text, limit).length,
        limit=limit,
        platform=platform,
    )
