"""The organisation's own rules: the pre-election period, banned and cautioned words, and the sign-off."""

from __future__ import annotations

import bisect
import functools

import regex

from training.checker import data
from training.checker.model import ERROR, WARNING, Draft, Finding, HouseRules
from training.checker.platforms import Platform
from training.checker.rules.base import at, listed, quoted, whole_post
from training.checker.text import (
    CAMEL_PIECE,
    Analysis,
    Span,
    analyse,
    has_letter_or_digit,
    overlaps_any,
    phrase_pattern,
)

PRE_ELECTION_WHY = (
    "During a pre-election period the Code of Recommended Practice on Local Authority Publicity says a public "
    "body must not publish anything that could be seen as supporting a party, candidate or policy under debate. "
    "Factual information from the elections team about how and where to vote is fine."
)
PRE_ELECTION_FIX = (
    "Hold this until after polling day, or check it with your comms lead first. "
    "For how to vote, share the elections team's own posts."
)
BANNED_WHY = "Your organisation has banned this word or phrase from its posts."
CAUTIONED_WHY = (
    "Your organisation asks staff to think twice before using this word or phrase: it can be misread, "
    "sound insensitive or be jargon."
)
SIGN_OFF_WHY = (
    "Your organisation signs its posts so residents know who wrote them and which team to ask. "
    "Posts without the sign-off look unofficial."
)


def _political_spans(analysis: Analysis) -> list[Span]:
    """Political words and phrases, and hashtags made of them (#LocalElections), in order, not overlapping."""
    text = analysis.text
    political = data.political()
    exempt = [(m.start(), m.end()) for m in political.not_political.finditer(text)]
    exempt_starts = [start for start, _ in exempt]
    found = []
    for pattern in (political.praise, political.terms, political.names):
        for match in pattern.finditer(text):
            if analysis.is_masked(match.start(), match.end()):
                continue
            inside = bisect.bisect_right(exempt_starts, match.start()) - 1  # the exempt phrase starting last before it
            if inside >= 0 and match.end() <= exempt[inside][1]:
                continue
            found.append(Span(match.start(), match.end(), match.group()))
    for tag in analysis.hashtags:
        if any(piece.lower() in political.words for piece in hashtag_words(tag.text[1:])):
            found.append(tag)
    found.sort(key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in found:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def hashtag_words(body: str) -> tuple[str, ...]:
    """The words of a hashtag's text: by its capitals (camel case), or split by word frequency when it is in one
    case ("localelections" -> "local", "elections"). The split is kept, so the hashtag rules share it."""
    if body.islower() or body.isupper():
        return data.segment(body.lower())
    return tuple(CAMEL_PIECE.findall(body))


def check_pre_election(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """In a pre-election period, political content from a public body can breach the publicity code."""
    if not house.pre_election:
        return []
    analysis = analyse(draft.text)
    by_sentence: dict[tuple[int, int], dict[str, str]] = {}  # sentence -> the words in it, first spelling of each
    for span in _political_spans(analysis):
        sentence = analysis.sentence_at(span.start) or span
        by_sentence.setdefault((sentence.start, sentence.end), {}).setdefault(span.text.lower(), span.text)
    return [
        at(
            "pre_election",
            WARNING,
            draft.text,
            start,
            end,
            message=f"During the pre-election period: this mentions {listed(list(words.values()))}.",
            why=PRE_ELECTION_WHY,
            fix=PRE_ELECTION_FIX,
        )
        for (start, end), words in by_sentence.items()
    ]


@functools.lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> regex.Pattern | None:
    # Longest first, so a banned phrase wins over a banned word inside it. A term with no letter or digit ("-")
    # would match between any two words, so it is left out.
    cleaned = sorted({t.strip() for t in terms if has_letter_or_digit(t)}, key=len, reverse=True)
    if not cleaned:
        return None
    return regex.compile("|".join(f"(?:{phrase_pattern(t)})" for t in cleaned), regex.IGNORECASE)


def _house_matches(text: str, terms: tuple[str, ...]) -> list[Span]:
    pattern = _pattern(terms)
    if pattern is None:
        return []
    analysis = analyse(text)
    # Links, email addresses and mentions are left alone; a banned word in a hashtag still counts.
    outside_hashtags = [s for s in analysis.masked if not s.text.startswith("#")]
    starts = [s.start for s in outside_hashtags]
    return [
        Span(m.start(), m.end(), m.group())
        for m in pattern.finditer(text)
        if m.end() > m.start() and not overlaps_any(outside_hashtags, m.start(), m.end(), starts)
    ]


def check_banned_word(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """Words and phrases the organisation never uses in posts: they must come out."""
    return [
        at(
            "banned_word",
            ERROR,
            draft.text,
            span.start,
            span.end,
            message=f"{quoted(span.text)} is on your organisation's banned list.",
            why=BANNED_WHY,
            fix=f"Take out {quoted(span.text)} and say it another way.",
        )
        for span in _house_matches(draft.text, house.banned)
    ]


def check_cautioned_word(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """Words and phrases to think twice about; a word also on the banned list is reported once, as banned."""
    banned = _house_matches(draft.text, house.banned)
    banned_starts = [b.start for b in banned]
    return [
        at(
            "cautioned_word",
            WARNING,
            draft.text,
            span.start,
            span.end,
            message=f"{quoted(span.text)} is on your organisation's list of words to use with care.",
            why=CAUTIONED_WHY,
            fix=f"Check {quoted(span.text)} is the right word here; a plainer one is usually better.",
        )
        for span in _house_matches(draft.text, house.cautioned)
        if not overlaps_any(banned, span.start, span.end, banned_starts)
    ]


def check_sign_off(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """The organisation's required sign-off ("^CS") tells readers who posted; it belongs on the last line."""
    sign_off = " ".join(house.sign_off.split())
    if not has_letter_or_digit(sign_off):
        return []  # none set, or one with no letter or digit ("-"), which every post would seem to end with
    lines = [line for line in draft.text.splitlines() if line.strip()]
    last_line = lines[-1] if lines else ""
    if regex.search(phrase_pattern(sign_off), last_line, regex.IGNORECASE):
        return []
    return [
        whole_post(
            "sign_off",
            WARNING,
            draft.text,
            excerpt="No sign-off",
            message=f"The post does not end with the sign-off {quoted(sign_off)}.",
            why=SIGN_OFF_WHY,
            fix=f"End the post with {quoted(sign_off)}.",
        )
    ]
