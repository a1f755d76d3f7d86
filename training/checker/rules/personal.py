"""Personal data that must not go into a public post: email addresses, phone numbers, NI numbers, home addresses.

The organisation's own contact details (HouseRules.allowed_contacts) are fine to post and never flagged.
"""

from __future__ import annotations

import bisect
import functools

import phonenumbers
import regex
from phonenumbers import PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType

from training.checker import data
from training.checker.model import ERROR, WARNING, Draft, Finding, HouseRules
from training.checker.platforms import Platform
from training.checker.rules.base import at, quoted
from training.checker.text import ABBREVIATIONS, LAST_WORD, analyse

PERSONAL_WHY = (
    "A public post can be seen, copied and kept by anyone, forever. Posting someone's personal details breaks "
    "data protection law and can put them at risk."
)
CONTACT_WHY = (
    "Only the organisation's published contact details belong in a post. A named person's address or number "
    "invites messages that go unanswered when they are away, and personal details break data protection law."
)
EMAIL_FIX = (
    "Use the team's published address instead. If this is the organisation's own address, ask your comms lead "
    "to add it to the allowed contacts."
)
PHONE_FIX = (
    "Use the organisation's published number instead. If this is the organisation's own number, ask your comms "
    "lead to add it to the allowed contacts."
)
NI_WHY = (
    "A National Insurance number is used to prove who someone is. Posted publicly it can be used for identity "
    "fraud, and posting it breaks data protection law."
)
ADDRESS_WHY = (
    "A name with a postcode tells anyone where that person lives. Posting it breaks data protection law and "
    "can put them at risk."
)

NI_NUMBER = regex.compile(
    # Two prefix letters (D, F, I, Q, U and V never used; O never second; BG, GB, KN, NK, NT, TN and ZZ never
    # issued), six digits, and a suffix A to D, spaced or not.
    r"(?<![A-Za-z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])"
)
POSTCODE = regex.compile(
    r"(?<![A-Za-z0-9])(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?\d[ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    regex.IGNORECASE,
)
TITLED_NAME = regex.compile(r"(?<!\w)(?:Mrs|Mr|Ms|Miss|Mx|Dr|Cllr|Councillor|Sir|Dame)\.?\s+\p{Lu}[\p{L}'’\-]+")
FULL_NAME = regex.compile(r"(?<!\w)(\p{Lu}\p{Ll}+)\s+(\p{Lu}[\p{L}'’\-]+)")
SENTENCE_BREAK = regex.compile(r"[!?]|\.(?=\s)|\n[ \t]*\n")
NAME_REACH = 80  # how far before a postcode a name can be and still be part of the same address
# Between a name and its postcode comes an address: numbers, capitalised words and these. Any other word
# ("Cllr Ann Smith opens the library at 4 Elm Road, KM1 2AB") means the postcode is not that person's address.
ADDRESS_LINKS = frozenset(["of", "at", "from", "in", "on", "and", "lives", "living", "who", "whose", "flat", "house"])
# A name at one of these ("Councillor Patel, Civic Centre, KM1 1AA") is a work address, not a home.
WORKPLACES = frozenset(
    """Centre Hall Library Office Offices Depot Station School Academy College Hospital Surgery Museum Gallery
    Theatre Hub Council Chambers""".split()  # noqa: SIM905
)
WORD = regex.compile(r"[\p{L}\p{N}]+")
# Digits written together, as phone numbers are: with spaces, brackets, dots and hyphens between them.
NUMBER_RUN = regex.compile(r"(?<![\p{L}\p{N}+(])[+(]?\d[\d()\-. \t]*\d\)?(?![\p{L}\p{N}])")
DIGIT_GROUP = regex.compile(r"[^ \t]+")
MAX_NUMBER_GROUPS = 5  # "+44 (0) 113 496 0000"


@functools.lru_cache(maxsize=32)
def _allowed(contacts: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    emails = frozenset(c.strip().lower() for c in contacts if "@" in c)
    phones = frozenset(filter(None, (_phone_key(c) for c in contacts if "@" not in c)))
    return emails, phones


def _phone_key(number: str) -> str | None:
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        digits = "".join(c for c in number if c.isdigit())
        return digits or None
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def _looks_personal(address: str) -> bool:
    local, _, domain = address.lower().rpartition("@")
    if domain in data.webmail_domains():
        return True
    parts = [p for p in regex.split(r"[._\-]", local) if p]
    if len(parts) >= 2 and (len(parts[0]) == 1 or parts[0].capitalize() in data.first_names()):
        return True  # jane.smith@, j.smith@
    return local.capitalize() in data.first_names()


def check_email(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """Email addresses other than the organisation's own: a person's address must never be posted."""
    allowed, _ = _allowed(house.allowed_contacts)
    findings = []
    for address in analyse(draft.text).emails:
        if address.text.lower() in allowed:
            continue
        if _looks_personal(address.text):
            severity, message, why = ERROR, f"{quoted(address.text)} looks like a person's email address.", PERSONAL_WHY
        else:
            severity, message = WARNING, f"{quoted(address.text)} is an email address not on the allowed list."
            why = CONTACT_WHY
        findings.append(
            at("email", severity, draft.text, address.start, address.end, message=message, why=why, fix=EMAIL_FIX)
        )
    return findings


def _is_mobile(number: phonenumbers.PhoneNumber) -> bool:
    national = str(number.national_number)
    return number.country_code == 44 and len(national) == 10 and national.startswith("7")


class _Found:
    """Numbers found so far, kept in order, so "is this place taken?" is quick however many there are."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.numbers: dict[tuple[int, int], phonenumbers.PhoneNumber] = {}

    def _last_starting_before(self, offset: int) -> tuple[int, int] | None:
        index = bisect.bisect_left(self.spans, offset, key=lambda span: span[0])
        return self.spans[index - 1] if index else None

    def overlaps(self, start: int, end: int) -> bool:
        before = self._last_starting_before(end)
        return before is not None and before[1] > start

    def covers(self, start: int, end: int) -> bool:
        before = self._last_starting_before(start + 1)
        return before is not None and end <= before[1]

    def add(self, start: int, end: int, number: phonenumbers.PhoneNumber) -> None:
        if not self.overlaps(start, end):
            bisect.insort(self.spans, (start, end))
            self.numbers[(start, end)] = number


def _counts(number: phonenumbers.PhoneNumber) -> bool:
    """A number worth flagging: one the library knows is allocated, or one shaped like a mobile."""
    return phonenumbers.is_valid_number(number) or _is_mobile(number)


def _uk_number(written: str) -> phonenumbers.PhoneNumber | None:
    """``written`` as a UK number, when it is one: shaped like one first (0 and 9 or 10 more digits, or +44 or
    0044 and 9 or 10), so runs of other figures are not handed to the library a few digits at a time."""
    digits = "".join(char for char in written if char.isdigit())
    if written.startswith("+") and digits.startswith("44"):
        national = digits[2:].removeprefix("0")  # "+44 (0)113 …"
    elif digits.startswith("0044"):
        national = digits[4:].removeprefix("0")
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None
    if not (9 <= len(national) <= 10) or national.startswith("0"):
        return None
    try:
        number = phonenumbers.parse(written, "GB")
    except phonenumbers.NumberParseException:
        return None
    return number if _counts(number) else None


def _starts_number(group: str) -> bool:
    """A UK number starts "+44", "(0…" or with a 0 and two or more digits after it ("020", "0113", "07700")."""
    return group.startswith(("+", "(")) or (group.startswith("0") and sum(char.isdigit() for char in group) >= 3)


def _numbers_in_run(text: str, start: int, end: int) -> list[tuple[int, int, phonenumbers.PhoneNumber]]:
    """Numbers written one after another ("07700 900123 07700 900456"), which the library reads as one
    too-long number: from the left, at each group of digits, the longest few groups that make a number."""
    groups = [(m.start(), m.end()) for m in DIGIT_GROUP.finditer(text, start, end)]
    found = []
    first = 0
    while first < len(groups):
        if not _starts_number(text[groups[first][0] : groups[first][1]]):
            first += 1
            continue
        for last in range(min(len(groups), first + MAX_NUMBER_GROUPS) - 1, first - 1, -1):
            number = _uk_number(text[groups[first][0] : groups[last][1]])
            if number is not None:
                found.append((groups[first][0], groups[last][1], number))
                first = last + 1
                break
        else:
            first += 1
    return found


def phone_numbers(text: str) -> list[tuple[int, int, phonenumbers.PhoneNumber]]:
    """UK phone numbers in the text; numbers the library thinks unallocated still count if shaped like a mobile.

    The library finds numbers it knows are allocated. It reads a run of digits as one number, so two numbers side
    by side ("0113 496 0000 07700 900456") read as one that is too long: every run of digits it has not read as
    one number is read again, number by number, which also finds mobile-shaped numbers it does not know.
    """
    found = _Found()
    for match in PhoneNumberMatcher(text, "GB"):
        found.add(match.start, match.end, match.number)
    for run in NUMBER_RUN.finditer(text):
        if sum(char.isdigit() for char in run.group()) >= 10 and not found.covers(run.start(), run.end()):
            for start, end, number in _numbers_in_run(text, run.start(), run.end()):
                found.add(start, end, number)
    return [(start, end, found.numbers[(start, end)]) for start, end in found.spans]


def check_phone(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """Phone numbers other than the organisation's own; a mobile number is almost always someone's own."""
    _, allowed = _allowed(house.allowed_contacts)
    analysis = analyse(draft.text)
    findings = []
    for start, end, number in phone_numbers(draft.text):
        if analysis.is_masked(start, end):
            continue
        if phonenumbers.format_number(number, PhoneNumberFormat.E164) in allowed:
            continue
        excerpt = draft.text[start:end]
        if _is_mobile(number) or phonenumbers.number_type(number) == PhoneNumberType.MOBILE:
            severity, message, why = ERROR, f"{quoted(excerpt)} looks like a mobile number.", PERSONAL_WHY
        else:
            severity, message = WARNING, f"{quoted(excerpt)} is a phone number not on the allowed list."
            why = CONTACT_WHY
        findings.append(at("phone", severity, draft.text, start, end, message=message, why=why, fix=PHONE_FIX))
    return findings


def check_ni_number(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """National Insurance numbers identify a person and can be used for fraud: they never belong in a post."""
    return [
        at(
            "ni_number",
            ERROR,
            draft.text,
            match.start(),
            match.end(),
            message=f"{quoted(match.group())} looks like a National Insurance number.",
            why=NI_WHY,
            fix="Remove it. Ask the person to contact you privately and never repeat the number back.",
        )
        for match in NI_NUMBER.finditer(draft.text)
        if not analyse(draft.text).is_masked(match.start(), match.end())
    ]


def _breaks_sentence(gap: str) -> bool:
    for match in SENTENCE_BREAK.finditer(gap):
        if match.group() != ".":
            return True
        before = LAST_WORD.search(gap, 0, match.start())
        if not before or (before.group().lower() not in ABBREVIATIONS and len(before.group()) > 1):
            return True
    return False


def _names_before(text: str, start: int) -> list[tuple[int, int]]:
    window = max(0, start - NAME_REACH)
    names = [(m.start(), m.end()) for m in TITLED_NAME.finditer(text, window, start)]
    for match in FULL_NAME.finditer(text, window, start, overlapped=True):
        if match.group(1) in data.first_names() and match.group(2) not in data.place_words():
            names.append((match.start(), match.end()))
    return sorted(n for n in names if _is_address_between(text[n[1] : start]))


def _is_address_between(gap: str) -> bool:
    if _breaks_sentence(gap):
        return False
    words = WORD.findall(gap)
    if any(w in WORKPLACES for w in words):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in ADDRESS_LINKS for w in words)


def check_postcode_name(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """A person's name next to a postcode is their home address; a postcode on its own (a library's) is fine."""
    text = draft.text
    findings = []
    taken = 0
    for postcode in POSTCODE.finditer(text):
        names = [n for n in _names_before(text, postcode.start()) if n[0] >= taken]
        if not names:
            continue
        start, end = names[0][0], postcode.end()
        name = text[names[0][0] : names[0][1]]
        findings.append(
            at(
                "postcode_name",
                ERROR,
                text,
                start,
                end,
                message=f"{quoted(name)} appears with the postcode {quoted(postcode.group())}.",
                why=ADDRESS_WHY,
                fix="Remove the address. Reply to the person privately (a direct message or email) instead.",
            )
        )
        taken = end
    return findings
