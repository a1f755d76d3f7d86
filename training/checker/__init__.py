"""The post checker's rules engine: plain Python, no database.

Give ``check()`` a ``Draft`` (the text and the platform) and the organisation's ``HouseRules``; get back a
``Report`` whose findings each say what is wrong, exactly where, why it matters and what to write instead.
Every rule is listed in ``RULES``; every platform, with its limit and how it counts, in ``PLATFORMS``.
"""

from training.checker.engine import check
from training.checker.model import (
    ADVICE,
    ERROR,
    MAX_DRAFT_CHARS,
    SEVERITIES,
    WARNING,
    Draft,
    DraftError,
    Finding,
    HouseRules,
    Report,
    Rule,
)
from training.checker.platforms import PLATFORMS, Platform
from training.checker.rules import RULES

__all__ = [
    "ADVICE",
    "ERROR",
    "MAX_DRAFT_CHARS",
    "PLATFORMS",
    "RULES",
    "SEVERITIES",
    "WARNING",
    "Draft",
    "DraftError",
    "Finding",
    "HouseRules",
    "Platform",
    "Report",
    "Rule",
    "check",
]
