"""Reading a draft once: its links, email addresses, mentions, hashtags, emoji, words and sentences.

Every part is a ``Span`` holding Python string offsets into the draft, so findings can point at exactly
the characters the page should highlight. Rules share one reading of a draft through ``analyse()``.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator
from dataclasses import dataclass

import emoji
import regex

from training.checker.links import extract_links


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


GRAPHEME = regex.compile(r"\X")
# Flags are pairs of these letters. Finding where a character ends in a run of them means counting back to the
# run's start, so a long run takes a time that grows with its square; ``grapheme_spans`` pairs them itself.
REGIONAL_INDICATOR_RUN = regex.compile(r"[\U0001F1E6-\U0001F1FF]{6,}")
EMOJI_CHUNK = 256
REGIONAL_INDICATORS = regex.compile(r"[\U0001F1E6-\U0001F1FF]{2}")  # the library pairs them into flags its own way
EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")

# The domain part must end in a letter or digit, so a full stop after an address is not part of it. An address
# starts where its run of letters, digits and . + - ' starts, so the run is read once however long it is.
EMAIL = regex.compile(
    r"(?<![\w.+\-@'])[\w.+\-']+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+"
)
# @name, @name.bsky.social (Bluesky) and @name@server.social (Mastodon).
MENTION = regex.compile(r"(?<![\w@/])@\w+(?:\.[\w\-]+)*(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?")
HASHTAG = regex.compile(r"(?<![\w&#/])#[\p{L}\p{N}\p{M}_]*\p{L}[\p{L}\p{N}\p{M}_]*")
# A word: letters and digits, joined by an apostrophe, hyphen, ampersand or slash (don't, re-elect, A&E, 24/7,
# 26/01234/FUL): a reference or a date is one word, so its letters are not read as shouting.
WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’&/\-][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*")
# The words of a hashtag written in camel case: "LocalElections2026" -> "Local", "Elections", "2026".
CAMEL_PIECE = regex.compile(r"\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{N}+")
# A run of full stops, question or exclamation marks is read from its first mark only, so a long run is read once.
SENTENCE_END = regex.compile(r"(?<![.!?…])[.!?…]+[\"'”’)\]]*(?=\s|$)|\n")

# Words that end in a full stop without ending a sentence ("Mrs. Jones", "approx. 20", "Sat. 4 May").
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "mx", "dr", "prof", "rev", "revd", "st", "cllr", "approx", "tel", "ext", "rd", "ave", "sq"]
)
CAPITALISED_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun".split()  # noqa: SIM905
)
LAST_WORD = regex.compile(r"\p{L}+$")


@dataclass(frozen=True)
class Analysis:
    text: str
    links: tuple[Span, ...]
    emails: tuple[Span, ...]
    mentions: tuple[Span, ...]
    hashtags: tuple[Span, ...]
    emoji: tuple[Span, ...]
    words: tuple[Span, ...]  # outside links, emails, mentions and hashtags
    sentences: tuple[Span, ...]
    masked: tuple[Span, ...]  # links, emails, mentions and hashtags, in order

    def is_masked(self, start: int, end: int) -> bool:
        """Whether [start, end) touches a link, email address, mention or hashtag."""
        return overlaps_any(self.masked, start, end, self._masked_starts)

    def sentence_at(self, offset: int) -> Span | None:
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None

    def words_in(self, span: Span) -> list[Span]:
        first = bisect.bisect_left(self._word_starts, span.start)
        last = bisect.bisect_left(self._word_starts, span.end)
        return [w for w in self.words[first:last] if w.end <= span.end]

    # Offsets kept once per draft, for the searches above (a frozen dataclass still takes a cached property).
    @functools.cached_property
    def _masked_starts(self) -> list[int]:
        return [s.start for s in self.masked]

    @functools.cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @functools.cached_property
    def _word_starts(self) -> list[int]:
        return [w.start for w in self.words]


def overlaps_any(spans: tuple[Span, ...] | list[Span], start: int, end: int, starts: list[int] | None = None) -> bool:
    """Whether [start, end) overlaps any of ``spans``, which are in order and do not overlap each other.

    Pass ``starts``, the spans' starts, when asking about many ranges: working them out each time takes as long
    as there are spans."""
    index = bisect.bisect_right(starts if starts is not None else [s.start for s in spans], end - 1) - 1
    return index >= 0 and spans[index].end > start


def _spans(pattern: regex.Pattern, text: str) -> list[Span]:
    return [Span(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


def _without(spans: list[Span], taken: list[Span]) -> list[Span]:
    taken = sorted(taken, key=lambda s: s.start)
    starts = [s.start for s in taken]
    return [s for s in spans if not overlaps_any(taken, s.start, s.end, starts)]


def grapheme_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each character as a reader sees it (a grapheme: "e" and an accent, an emoji sequence, a
    flag) in ``text[start:end]``, read as a text of its own, in time proportional to its length."""
    end = len(text) if end is None else end
    position = start
    for run in REGIONAL_INDICATOR_RUN.finditer(text, start, end):
        # The first pair, and the last pair or single letter, are left to \X with what comes before and after.
        first = run.start() + 2
        last = run.end() - (2 if (run.end() - run.start()) % 2 == 0 else 1)
        yield from _graphemes_of_slice(text, position, first)
        yield from ((pair, pair + 2) for pair in range(first, last, 2))
        position = last
    yield from _graphemes_of_slice(text, position, end)


def _graphemes_of_slice(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    for match in GRAPHEME.finditer(text[start:end]):
        yield start + match.start(), start + match.end()


def is_displayed_emoji(sequence: str) -> bool:
    """An emoji shown as a picture: a sequence, one with the emoji selector, or one that is a picture by default.

    Characters such as © and ™ are in the emoji list but show as plain text unless asked to show as emoji.
    """
    return len(sequence) > 1 or bool(EMOJI_PRESENTATION.match(sequence))


def _emoji(text: str) -> list[Span]:
    if text.isascii():
        return []
    return [
        Span(start + e["match_start"], start + e["match_end"], e["emoji"])
        for start, end in _emoji_chunks(text)
        for e in emoji.emoji_list(text[start:end])
        if is_displayed_emoji(e["emoji"])
    ]


def _emoji_chunks(text: str) -> list[tuple[int, int]]:
    """The draft in pieces the emoji library reads quickly, cut between characters as a reader sees them.

    The library keeps every zero-width joiner it has passed in a list it searches at each character, so a draft
    with thousands of them takes seconds; in pieces of ``EMOJI_CHUNK`` characters it never has many. A piece
    ends where a character ends and not between two flag letters, so no emoji is split, except inside a character
    longer than a piece, which only a run of hundreds of joined emoji makes.
    """
    if text.count("\u200d") <= EMOJI_CHUNK // 4:
        return [(0, len(text))]
    chunks = []
    start = 0
    for first, last in grapheme_spans(text):
        if last - first > EMOJI_CHUNK:
            if start < first:
                chunks.append((start, first))
            chunks.extend((cut, min(cut + EMOJI_CHUNK, last)) for cut in range(first, last, EMOJI_CHUNK))
            start = last
        elif last - start >= EMOJI_CHUNK and not REGIONAL_INDICATORS.fullmatch(text, last - 1, last + 1):
            chunks.append((start, last))
            start = last
    if start < len(text):
        chunks.append((start, len(text)))
    return chunks


def _links(text: str, emails: list[Span]) -> list[Span]:
    return _without([Span(start, end, url) for start, end, url in extract_links(text)], emails)


def _sentences(text: str) -> list[Span]:
    """Sentences, and lines: in a post a line break ends a sentence even without a full stop."""
    spans = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        if match.group() != "\n" and not _ends_sentence(text, match):
            continue
        end = match.start() if match.group() == "\n" else match.end()
        spans.append(_trimmed(text, start, end))
        start = match.end()
    spans.append(_trimmed(text, start, len(text)))
    return [s for s in spans if s is not None]


def _ends_sentence(text: str, match: regex.Match) -> bool:
    following = text[match.end() : match.end() + 3].lstrip()
    if following[:1].islower():
        return False
    if match.group().startswith(".") and len(match.group().rstrip("\"'”’)]")) == 1:
        before = LAST_WORD.search(text, max(0, match.start() - 12), match.start())
        word = before.group() if before else ""
        if (
            word.lower() in ABBREVIATIONS
            or (word in {"No", "no"} and following[:1].isdigit())
            or (word[:1].isupper() and word.lower() in CAPITALISED_ABBREVIATIONS)
            or len(word) == 1
        ):
            return False
    return True


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end]) if start < end else None


@functools.lru_cache(maxsize=16)
def analyse(text: str) -> Analysis:
    """The parts of a draft every rule needs, found once per draft."""
    emails = _spans(EMAIL, text)
    links = _links(text, emails)
    mentions = _without(_spans(MENTION, text), emails + links)
    hashtags = _without(_spans(HASHTAG, text), emails + links + mentions)
    masked = tuple(sorted(emails + links + mentions + hashtags, key=lambda s: s.start))
    masked_starts = [s.start for s in masked]
    words = tuple(w for w in _spans(WORD, text) if not overlaps_any(masked, w.start, w.end, masked_starts))
    return Analysis(
        text=text,
        links=tuple(links),
        emails=tuple(emails),
        mentions=tuple(mentions),
        hashtags=tuple(hashtags),
        emoji=tuple(_emoji(text)),
        words=words,
        sentences=tuple(_sentences(text)),
        masked=masked,
    )


def has_letter_or_digit(text: str) -> bool:
    return any(char.isalnum() for char in text)


# Spaces and hyphens between the words of a phrase.
PHRASE_GAP = regex.compile(r"[\s\-‐]+")


def phrase_pattern(phrase: str) -> str:
    """A regular expression for a word or phrase matched as whole words.

    Spaces match any run of spaces, straight and curly apostrophes match each other, and a hyphen may be
    written as a hyphen, a space or nothing ("re-elect", "re elect", "reelect"); spaces around a hyphen
    ("Stockton - on - Tees") match any spaces around one, or spaces alone. Each gap between words is one
    part of the pattern, so a long run of spaces in a draft is read once, not once for each way to split it.
    Give it a phrase with a letter or digit in it: one without matches nothing, or everywhere.
    """
    phrase = phrase.strip()
    parts = []
    position = 0
    for gap in PHRASE_GAP.finditer(phrase):
        parts.append(_escaped(phrase[position : gap.start()]))
        position = gap.end()
        if gap.group() in ("-", "‐"):
            parts.append(r"(?:[-‐]|\s)?")
        elif gap.group().isspace():
            parts.append(r"\s+")
        else:
            parts.append(r"(?:\s*[-‐]+\s*|\s+)")
    parts.append(_escaped(phrase[position:]))
    return r"(?<![\w])" + "".join(parts) + r"(?![\w])"


def _escaped(word: str) -> str:
    return "".join("['’]" if char in "'’" else regex.escape(char) for char in word)
