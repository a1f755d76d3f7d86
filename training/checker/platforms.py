"""The platforms staff post to, each with its limit and its own way of counting a post.

The limits are data (``platforms.toml``), with the date each was checked and where it is stated. Counting is
code: one function per counting method, each giving the length and, when the post is too long, the offset
where the part past the limit begins.
"""

from __future__ import annotations

import datetime
import functools
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from twitter_text.config import config as twitter_config
from twitter_text.extract_emojis import extract_emojis_with_indices
from twitter_text.get_character_weight import get_character_weight

from training.checker.links import extract_links
from training.checker.model import HouseRules
from training.checker.text import analyse, grapheme_spans

PLATFORMS_FILE = Path(__file__).with_name("platforms.toml")
LINK_LENGTH = 23  # what X and Mastodon count for any link, however long


@dataclass(frozen=True)
class Measure:
    length: int
    cut: int | None  # offset where the part past the limit starts; None when the post fits


@dataclass(frozen=True)
class Platform:
    """A platform staff post to, as described in ``platforms.toml``."""

    code: str
    name: str
    limit: int
    counting: str
    unit: str
    checked_on: datetime.date
    source: str
    note: str = ""
    max_hashtags: int | None = None

    def limit_for(self, house: HouseRules) -> int:
        """The limit that applies to this organisation: Mastodon servers each set their own."""
        return house.mastodon_limit if self.code == "mastodon" else self.limit

    def measure(self, text: str, limit: int | None = None) -> Measure:
        """The post's length counted this platform's way, and where it goes past ``limit``."""
        return _measure(self.counting, text, self.limit if limit is None else limit)

    def length(self, text: str) -> int:
        return self.measure(text).length


@functools.lru_cache(maxsize=32)
def _measure(counting: str, text: str, limit: int) -> Measure:
    # The length rule and the report both need the count; a long draft on X takes a while to count.
    return COUNTERS[counting](text, limit)


def _by_units(units: Iterator[tuple[int, int]], limit: int) -> Measure:
    """Length and cut from (start offset, weight) pairs in order."""
    total = 0
    cut = None
    for start, weight in units:
        total += weight
        if cut is None and total > limit:
            cut = start
    return Measure(total, cut)


def _characters(text: str, limit: int) -> Measure:
    return Measure(len(text), limit if len(text) > limit else None)


def _graphemes(text: str, limit: int) -> Measure:
    return _by_units(((start, 1) for start, _ in grapheme_spans(text)), limit)


def _with_entities(text: str, entities: list[tuple[int, int, int]]) -> Iterator[tuple[int, int]]:
    """Graphemes as 1 each, except the (start, end, weight) entities, which count as their weight."""
    position = 0
    for start, end, weight in sorted(entities):
        if start < position:
            continue
        yield from ((first, 1) for first, _ in grapheme_spans(text, position, start))
        yield start, weight
        position = end
    yield from ((first, 1) for first, _ in grapheme_spans(text, position))


def _mastodon(text: str, limit: int) -> Measure:
    """As Mastodon's server counts: graphemes, http(s) links as 23, @name@server as @name."""
    analysis = analyse(text)
    entities = [
        (link.start, link.end, LINK_LENGTH)
        for link in analysis.links
        if link.text.lower().startswith(("http://", "https://"))
    ]
    for mention in analysis.mentions:
        local = mention.text.split("@")[1]
        if mention.text.count("@") == 2:
            entities.append((mention.start, mention.end, 1 + sum(1 for _ in grapheme_spans(local))))
    return _by_units(_with_entities(text, entities), limit)


def _threads(text: str, limit: int) -> Measure:
    """Characters, with each emoji counting as its size in UTF-8 bytes, as Meta documents for Threads."""
    entities = [(e.start, e.end, len(e.text.encode())) for e in analyse(text).emoji]
    position = 0
    units: list[tuple[int, int]] = []
    for start, end, weight in entities:
        units.extend((offset, 1) for offset in range(position, start))
        units.append((start, weight))
        position = end
    units.extend((offset, 1) for offset in range(position, len(text)))
    return _by_units(iter(units), limit)


def _twitter_normal(text: str) -> str:
    """What twitter-text counts: NFC, with every line ending a single newline."""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")


def _weighted(text: str, limit: int) -> Measure:
    """X's weighted count, as twitter-text (version 3) counts it, and where it passes the limit.

    twitter-text's own ``parse_tweet`` gives the same count but finds links in time that grows with the square of
    a run of dotted words, so the count is made here, from its configuration, walking the text as it does. The
    walk is made over text normalised a character at a time, so the cut maps back to an offset in the draft.
    """
    options = {**twitter_config["defaults"], "max_weighted_tweet_length": limit}
    normal, owner = _normalised_with_owners(text)
    budget = limit * options["scale"]
    total, cut = 0, None
    for index, weight in _weights(normal, options):
        total += weight
        if cut is None and total > budget:
            cut = index if owner is None else owner[index]
    whole = _twitter_normal(text)
    if whole != normal:  # normalising the whole text joined something across characters: count it as X does
        total = sum(weight for _, weight in _weights(whole, options))
    length = total // options["scale"]
    if length <= limit:
        return Measure(length, None)
    return Measure(length, len(text) if cut is None else cut)


def _normalised_with_owners(text: str) -> tuple[str, list[int] | None]:
    """The text as twitter-text counts it, and for each of its characters the offset in ``text`` it came from;
    None when the text is already that way (the usual case), so offsets are the same."""
    if "\r" not in text and unicodedata.is_normalized("NFC", text):
        return text, None
    owner: list[int] = []
    pieces = []
    for start, end in grapheme_spans(text):
        piece = _twitter_normal(text[start:end])
        pieces.append(piece)
        owner.extend([start] * len(piece))
    return "".join(pieces), owner


def _weights(normal: str, options: dict) -> Iterator[tuple[int, int]]:
    """(offset, weight) for each thing X counts in normalised text, walked as ``parse_tweet`` walks it: a link
    weighs 23, an emoji the default weight (2), any other character the weight of the range it is in; all
    times the configuration's scale."""
    links = {start: url for start, _, url in extract_links(normal)}
    emoji = {} if normal.isascii() else {e["indices"][0]: e["emoji"] for e in extract_emojis_with_indices(normal)}
    link_weight = options["transformed_url_length"] * options["scale"]
    index = 0
    while index < len(normal):
        if index in links:
            yield index, link_weight
            index += len(links[index])
        elif options["emoji_parsing_enabled"] and index in emoji:
            yield index, options["default_weight"]
            index += len(emoji[index])
        else:
            yield index, get_character_weight(normal[index], options)
            index += 1


COUNTERS: dict[str, Callable[[str, int], Measure]] = {
    "weighted": _weighted,
    "graphemes": _graphemes,
    "mastodon": _mastodon,
    "threads": _threads,
    "characters": _characters,
}


def load_platforms(path: Path = PLATFORMS_FILE) -> dict[str, Platform]:
    """Platforms by code, in the file's order. A platform with an unknown counting method is a mistake in the file."""
    with path.open("rb") as file:
        entries = tomllib.load(file)["platform"]
    platforms = {}
    for entry in entries:
        platform = Platform(**entry)
        if platform.counting not in COUNTERS:
            raise ValueError(f"{path.name}: {platform.code} counts by {platform.counting!r}, which is not known")
        platforms[platform.code] = platform
    return platforms


PLATFORMS: dict[str, Platform] = load_platforms()
