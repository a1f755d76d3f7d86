"""Keeping passwords out of the register.

The register says *where* an account's password is kept (an entry in the
password manager), never the password itself: the register is read by
everyone who can sign in, its history keeps every value ever saved, and it is
not a vault. A value is refused when it looks like a password:

- it labels one: "password: ...", "pwd=...", "password is ...", "pwd hunter2"
  (though "the password is in Keeper" says where it is, and is allowed);
- or a word in it (a run of characters without spaces) looks generated: at
  least eight characters mixing three kinds (lower case, capitals, digits,
  symbols) that either jump between kinds all the way through ("Tr0ub4dor&3")
  or carry a symbol no entry name needs ("Summer2024!"); or it is long, mixed
  and random, like a key ("9f86d081884c7d659a2feaa0c55ad015").

Names of entries stay allowed: "Keeper > Comms > Council X account",
"SM-Account-2024", "LastPass: Shared-Comms/Facebook", links to the entry and
email addresses. A password made of plain words with no symbols cannot be told
from an entry name; the hint on the form asks for the entry instead.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter

from django.core.exceptions import ValidationError

EXAMPLE = "Keeper › Comms › Council X account"
ADVICE = f"Enter where the password is kept instead, such as the password manager entry (for example “{EXAMPLE}”)."

# Words that say where a password is rather than what it is: "the password is in Keeper".
_WHERE = r"(?:in|kept|stored|held|saved|on|with|at|under)\b"
_LABELLED = re.compile(
    # "password: x", "pwd=x", "password is x"
    rf"\b(?:password|passwd|passcode|pwd|pw|pass)\s*(?:[:=]|\bis\b(?!\s+{_WHERE}))\s*\S"
    # abbreviations that are never part of an entry's name: "pwd hunter2"
    r"|\b(?:pwd|passwd)\s+\S",
    re.IGNORECASE,
)
_URL = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
# Characters that join the parts of an entry's name: moving across them is not a sign of randomness.
_SEPARATORS = frozenset("-_./\\›>:(),'")
# Symbols a generated password uses and an entry's name does not.
_PASSWORD_SYMBOLS = frozenset('!$%^&*+=?~|;"`{}[]<')
_MIN_LENGTH = 8
_KEY_LENGTH = 16


def _kind(char: str) -> str:
    if char.islower():
        return "lower"
    if char.isupper():
        return "upper"
    if char.isdigit():
        return "digit"
    return "separator" if char in _SEPARATORS else "symbol"


def _jumps(word: str) -> float:
    """Share of neighbouring characters that change kind, ignoring capitals starting a word and separators."""
    kinds = [_kind(c) for c in word]
    jumps = sum(
        1
        for before, after in itertools.pairwise(kinds)
        if before != after and "separator" not in (before, after) and (before, after) != ("upper", "lower")
    )
    return jumps / (len(word) - 1)


def _entropy(word: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(word)
    return -sum(n / len(word) * math.log2(n / len(word)) for n in counts.values())


def looks_generated(word: str) -> bool:
    """Whether one word (no spaces) looks like a generated password or key rather than part of a name."""
    word = word.strip(".,;:()\"'")
    if len(word) < _MIN_LENGTH or _URL.match(word) or _EMAIL.match(word):
        return False
    kinds = {_kind(c) for c in word} - {"separator"}
    has_symbol = bool(_PASSWORD_SYMBOLS.intersection(word))
    mixed = len(kinds & {"lower", "upper", "digit"}) + (1 if has_symbol else 0)
    if mixed >= 3 and (_jumps(word) >= 0.4 or has_symbol):
        return True
    return len(word) >= _KEY_LENGTH and len(kinds) >= 2 and _jumps(word) >= 0.3 and _entropy(word) >= 3.0


def looks_like_a_password(value: str) -> bool:
    """Whether a value names a password rather than where one is kept."""
    return bool(_LABELLED.search(value)) or any(looks_generated(word) for word in value.split())


def validate_not_a_password(value: str) -> None:
    """Refuse a value that looks like a password, saying what to enter instead."""
    if _LABELLED.search(value):
        raise ValidationError(f"Do not write a password here. {ADVICE}", code="password")
    if any(looks_generated(word) for word in value.split()):
        raise ValidationError(f"This looks like a password. Never store passwords in the register. {ADVICE}",
                              code="password")  # fmt: skip
