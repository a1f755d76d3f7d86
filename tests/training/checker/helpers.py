"""Small helpers for the checker's tests: check a post and look at one rule's findings."""

from __future__ import annotations

from training.checker import Draft, Finding, HouseRules, check


def found(
    text: str,
    rule: str,
    platform: str = "x",
    house: HouseRules | None = None,
    *,
    image_attached: bool = False,
    alt_text: str = "",
) -> list[Finding]:
    """The findings one rule makes when the whole checker runs over a post."""
    draft = Draft(text=text, platform=platform, image_attached=image_attached, alt_text=alt_text)
    return check(draft, house or HouseRules()).by_rule(rule)


def excerpts(findings: list[Finding]) -> list[str]:
    return [f.excerpt for f in findings]


def assert_span(text: str, finding: Finding, excerpt: str, severity: str) -> None:
    """The finding highlights exactly ``excerpt`` (its first occurrence) with ``severity``."""
    start = text.index(excerpt)
    assert (finding.start, finding.end, finding.excerpt, finding.severity) == (
        start,
        start + len(excerpt),
        excerpt,
        severity,
    )
