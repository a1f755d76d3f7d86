"""The checker's vocabulary: a draft, the house rules it is checked against, and what the checker finds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from training.checker.platforms import Platform

# Far longer than any platform allows (Facebook's 63,206 aside), and short enough to check in well under a second.
MAX_DRAFT_CHARS = 20_000

ERROR = "error"
WARNING = "warning"
ADVICE = "advice"
SEVERITIES = (ERROR, WARNING, ADVICE)
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


class DraftError(ValueError):
    """A draft the checker cannot check: not text, empty or nothing visible, too big, or for an unknown platform."""


@dataclass(frozen=True)
class Draft:
    text: str
    platform: str
    image_attached: bool = False
    alt_text: str = ""


@dataclass(frozen=True)
class HouseRules:
    """What comms leads add to the built-in rules. The defaults mean "no house rules"."""

    banned: tuple[str, ...] = ()
    cautioned: tuple[str, ...] = ()
    sign_off: str = ""
    allowed_contacts: tuple[str, ...] = ()
    pre_election: bool = False
    mastodon_limit: int = 500


@dataclass(frozen=True)
class Finding:
    """One problem in a draft: where it is, how bad, why it matters and what to do.

    ``start`` and ``end`` are Python string offsets into the draft with its line breaks made ``\\n`` (``Report.text``).
    ``whole`` marks a finding about the post as a whole (a missing sign-off, the reading ease): it spans the whole
    draft and its excerpt describes the problem, so a page lists it without highlighting anything. Every other
    finding's excerpt is exactly the text it highlights, even when that happens to be the whole draft.
    """

    rule: str
    severity: str
    start: int
    end: int
    excerpt: str
    message: str
    why: str
    fix: str
    whole: bool = False


@dataclass(frozen=True)
class Rule:
    """A check the checker runs. ``severity`` is the usual severity; a few rules vary it by finding."""

    code: str
    title: str
    quiz_label: str
    check: Callable[[Draft, HouseRules, Platform], list[Finding]]
    severity: str = WARNING


@dataclass(frozen=True)
class Report:
    """Everything the checker found in a draft, and the draft's length counted the platform's way.

    ``text`` is the draft as checked, with every line break made ``\\n`` (browsers send ``\\r\\n``): the findings'
    offsets are offsets into it, so highlight against it rather than the text as it arrived.
    """

    findings: tuple[Finding, ...]
    length: int
    limit: int
    platform: Platform
    text: str = ""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def advice(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ADVICE]

    @property
    def rules_flagged(self) -> set[str]:
        return {f.rule for f in self.findings}

    @property
    def is_clear(self) -> bool:
        """Nothing at all to fix or consider."""
        return not self.findings

    @property
    def over_limit(self) -> bool:
        return self.length > self.limit

    def by_rule(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == code]
