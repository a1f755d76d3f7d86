"""The checker's word lists, each read from ``data/`` the first time a rule needs it, then kept.

The word-frequency tables behind hashtag splitting take about half a second to load, so they are
loaded only when a hashtag needs splitting, once per process. Each split is kept too, so a hashtag
used again, or read by two rules, is split once.
"""

from __future__ import annotations

import functools
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyphen
import regex

from training.checker.text import phrase_pattern

DATA_DIR = Path(__file__).with_name("data")
# Splitting takes longer the longer the hashtag; no real hashtag is this long, so a longer one is left whole.
MAX_SEGMENT_CHARS = 60
MAX_HYPHENATED_CHARS = 60


def _toml(name: str) -> dict:
    with (DATA_DIR / name).open("rb") as file:
        return tomllib.load(file)


def _lines(name: str) -> tuple[str, ...]:
    lines = (line.strip() for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def _alternatives(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class TextSpeak:
    terms: dict[str, tuple[str, ...]]  # lower-case term -> plain words, in any case
    lower_case_only: dict[str, tuple[str, ...]]
    numbers: dict[str, str]  # "2" -> "to"
    numbers_next: frozenset[str]
    numbers_after: frozenset[str]

    def replacement(self, word: str) -> tuple[str, ...] | None:
        return self.lower_case_only.get(word) or self.terms.get(word.lower())


@functools.cache
def text_speak() -> TextSpeak:
    data = _toml("text_speak.toml")
    numbers = dict(data["number_words"])
    numbers_next = frozenset(numbers.pop("next"))
    numbers_after = frozenset(numbers.pop("after"))
    return TextSpeak(
        terms={term.lower(): _alternatives(plain) for term, plain in data["terms"].items()},
        lower_case_only={term: _alternatives(plain) for term, plain in data["lower_case_only"].items()},
        numbers=numbers,
        numbers_next=numbers_next,
        numbers_after=numbers_after,
    )


@functools.cache
def acronyms() -> frozenset[str]:
    return frozenset(_lines("acronyms.txt"))


@functools.cache
def first_names() -> frozenset[str]:
    return frozenset(_lines("first_names.txt"))


@functools.cache
def place_words() -> frozenset[str]:
    return frozenset(_lines("place_words.txt"))


@functools.cache
def place_endings() -> frozenset[str]:
    return frozenset(_lines("place_endings.txt"))


@functools.cache
def webmail_domains() -> frozenset[str]:
    return frozenset(_lines("webmail_domains.txt"))


@functools.cache
def emoji_words() -> dict[str, str]:
    return dict(_toml("emoji_words.toml")["words"])


@dataclass(frozen=True)
class Political:
    terms: regex.Pattern  # any case
    names: regex.Pattern  # case as written
    praise: regex.Pattern  # any case
    not_political: regex.Pattern  # any case
    words: frozenset[str]  # single lower-case words from terms and names, for reading hashtags


def _alternation(phrases: list[str], flags: int = 0) -> regex.Pattern:
    # Longest first, so "polling station" wins over "polling" where both match.
    ordered = sorted(phrases, key=len, reverse=True)
    return regex.compile("|".join(f"(?:{phrase_pattern(p)})" for p in ordered), flags)


@functools.cache
def political() -> Political:
    data = _toml("political.toml")
    terms, names = data["terms"]["words"], data["names"]["words"]
    return Political(
        terms=_alternation(terms, regex.IGNORECASE),
        names=_alternation(names),
        praise=_alternation(data["praise"]["phrases"], regex.IGNORECASE),
        not_political=_alternation(data["not_political"]["phrases"], regex.IGNORECASE),
        words=frozenset(w.lower() for w in terms + names if " " not in w and "-" not in w),
    )


_segment_lock = threading.Lock()


@functools.cache
def _segmenter():
    import wordsegment

    with _segment_lock:
        wordsegment.load()
    return wordsegment


@functools.lru_cache(maxsize=4096)
def segment(word: str) -> tuple[str, ...]:
    """The words an all-lower-case run of letters is made of: "recyclingcentre" -> ("recycling", "centre").

    A run longer than ``MAX_SEGMENT_CHARS`` is not split: it comes back whole, as one word.
    """
    if len(word) > MAX_SEGMENT_CHARS:
        return (word,)
    return tuple(_segmenter().segment(word))


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


@functools.lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """Syllables in a word, from the hyphenation points pyphen finds, plus one.

    Hyphenation dictionaries avoid splitting off a single letter, so short words with two vowel sounds
    ("area", "idea") count as one syllable: scores lean slightly towards easy, never towards hard. A "word"
    longer than any English one (a run of letters, or a script written without spaces) is not hyphenated,
    which takes a while for thousands of letters: it counts a syllable for every three letters.
    """
    if len(word) > MAX_HYPHENATED_CHARS:
        return len(word) // 3
    return len(_hyphenator().positions(word.lower())) + 1
