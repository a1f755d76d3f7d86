"""What makes a post work on social media for everyone: hashtags, emoji, links and image descriptions."""

from __future__ import annotations

import emoji as emoji_names
import regex

from training.checker import data
from training.checker.model import ADVICE, ERROR, WARNING, Draft, Finding, HouseRules
from training.checker.platforms import Platform
from training.checker.rules.base import at, count, listed, quoted, whole_post
from training.checker.text import Span, analyse

HASHTAG_CASE_WHY = (
    "Screen readers read a hashtag in one case as one long made-up word. Capital letters at the start of each "
    "word (camel case) let them read the words, and make the hashtag easier for everyone to read."
)
HASHTAG_COUNT_WHY = (
    "Several hashtags make a post harder to read and to listen to, and look like spam. "
    "One or two well-chosen hashtags do the job."
)
EMOJI_COUNT_WHY = (
    'Screen readers read out the full name of every emoji ("smiling face with heart-shaped eyes"), so several '
    "make a post long and tiring to listen to. One or two, at the end, are plenty."
)
EMOJI_MEANING_WHY = (
    "An emoji in the middle of a sentence interrupts it: a screen reader reads out its name, and people who "
    "see it differently, or not at all, lose the word it stands for."
)
LINK_COUNT_WHY = (
    "Each link asks the reader to do something. One link makes the next step clear; several split attention, "
    "and on X every link costs 23 characters."
)
ALT_TEXT_WHY = (
    "Alt text is what blind and partially sighted people hear instead of the image. "
    "Without it they miss whatever the image says."
)
ALT_TEXT_PREFIX_WHY = (
    'Screen readers already announce that it is an image, so "image of" is heard twice. '
    "Start with what the image shows."
)

MAX_HASHTAGS = 2
MAX_EMOJI = 2
MAX_LINKS = 1
NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}

ALT_TEXT_PREFIX = regex.compile(
    r"(?:an?\s+)?(?:image|picture|photo|photograph|pic|graphic)\s+(?:of|showing)\b", regex.I
)
SKIN_TONES_AND_SELECTORS = regex.compile(r"[\U0001F3FB-\U0001F3FF\uFE0E\uFE0F]")
# Capitalised words that usually start a new sentence: an emoji before one ends the sentence before it.
SENTENCE_STARTERS = frozenset(
    """the a an we our it its it's this that these those there here you your they their i i'm we're we've come join
    find book check see visit please thanks thank sorry don't do does did today tomorrow tonight and but so if when
    more read sign get off on in at for with from to just now then great happy good well what who how why where is
    are was were will can could should would let let's no yes not all some every have make take bring try enjoy
    remember head pop look stay keep call email contact follow share tell watch listen meet hope wishing wish
    merry""".split()  # noqa: SIM905
)
ALWAYS_CAPITALS = frozenset({"uk", "eu"})


def _camel_case(body: str) -> str | None:
    """The hashtag in camel case, when it is several words in one case: "recyclingcentre" -> "RecyclingCentre"."""
    if not body.isascii() or not body.isalnum() or not any(c.isalpha() for c in body):
        return None
    letters = [c for c in body if c.isalpha()]
    if not (all(c.islower() for c in letters) or all(c.isupper() for c in letters)):
        return None  # already has capitals where the writer chose
    if body.isupper() and body in data.acronyms():
        return None  # #NHS
    words = data.segment(body.lower())
    if sum(any(c.isalpha() for c in w) for w in words) < 2:
        return None  # one word: #maintenance, #leeds2026
    if len(words) == 2 and words[1] in data.place_endings():
        return None  # a place: #millbridge
    acronyms = data.acronyms()
    pieces = []
    for word in words:
        upper = word.upper()
        if word in ALWAYS_CAPITALS or (upper in acronyms and not set(word) & set("aeiou")):
            pieces.append(upper)  # #ThankYouNHS, not #ThankYouNhs
        else:
            pieces.append(word[:1].upper() + word[1:])
    return "".join(pieces)


def check_hashtag_case(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """Hashtags of several words in one case (#recyclingcentre) are read by screen readers as one made-up word."""
    findings = []
    for tag in analyse(draft.text).hashtags:
        camel = _camel_case(tag.text[1:])
        if camel:
            findings.append(
                at(
                    "hashtag_case",
                    WARNING,
                    draft.text,
                    tag.start,
                    tag.end,
                    message=f"{quoted(tag.text)} runs several words together in one case.",
                    why=HASHTAG_CASE_WHY,
                    fix=f"Write {quoted('#' + camel)}.",
                )
            )
    return findings


def _tail(spans: tuple[Span, ...], keep: int) -> tuple[int, int]:
    """From the first span past the ``keep`` allowed to the end of the last: the extra ones."""
    return spans[keep].start, spans[-1].end


def check_hashtag_count(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """More than two hashtags clutter a post and look like spam; some platforms also set a hard limit."""
    tags = analyse(draft.text).hashtags
    hard_limit = platform.max_hashtags
    if hard_limit is not None and len(tags) > hard_limit:
        start, end = _tail(tags, hard_limit)
        return [
            at(
                "hashtag_count",
                ERROR,
                draft.text,
                start,
                end,
                message=f"{count(len(tags), 'hashtag')}: {platform.name} allows {hard_limit}.",
                why=f"{platform.name} will not publish a post with more than {hard_limit} hashtags. "
                + HASHTAG_COUNT_WHY,
                fix=f"Take out the highlighted ones: they are past {platform.name}'s limit of {hard_limit}. "
                f"{NUMBER_WORDS[MAX_HASHTAGS].capitalize()} at most read best.",
            )
        ]
    if len(tags) <= MAX_HASHTAGS:
        return []
    start, end = _tail(tags, MAX_HASHTAGS)
    return [
        at(
            "hashtag_count",
            ADVICE,
            draft.text,
            start,
            end,
            message=f"{count(len(tags), 'hashtag')}; {NUMBER_WORDS[MAX_HASHTAGS]} at most read best.",
            why=HASHTAG_COUNT_WHY,
            fix=f"Keep the {NUMBER_WORDS[MAX_HASHTAGS]} that matter most, such as {tags[0].text} and {tags[1].text}.",
        )
    ]


def check_emoji_count(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """More than two emoji make a post tiring to hear: screen readers read out every emoji's name."""
    found = analyse(draft.text).emoji
    if len(found) <= MAX_EMOJI:
        return []
    start, end = _tail(found, MAX_EMOJI)
    return [
        at(
            "emoji_count",
            ADVICE,
            draft.text,
            start,
            end,
            message=f"{count(len(found), 'emoji', 'emoji')}; {NUMBER_WORDS[MAX_EMOJI]} at most are easy to listen to.",
            why=EMOJI_COUNT_WHY,
            fix=f"Keep {NUMBER_WORDS[MAX_EMOJI]} at most, at the end of the post.",
        )
    ]


def emoji_name(sequence: str) -> str:
    """The name a screen reader says for an emoji: "❤️" -> "red heart"."""
    return emoji_names.demojize(sequence, delimiters=("", "")).replace("_", " ")


def _emoji_groups(spans: tuple[Span, ...], text: str) -> list[list[Span]]:
    """Emoji next to each other (spaces allowed between them) as groups."""
    groups: list[list[Span]] = []
    for span in spans:
        if groups and text[groups[-1][-1].end : span.start].strip(" ") == "":
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _word_before(text: str, start: int) -> bool:
    position = start
    while position and text[position - 1] in " \t":
        position -= 1
    return bool(position) and text[position - 1].isalnum()


def _word_after(text: str, end: int) -> str | None:
    match = regex.match(r"[ \t]*([\p{L}\p{N}][\p{L}\p{N}'’]*)", text[end : end + 40])
    return match.group(1) if match else None


def check_emoji_meaning(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """An emoji in the middle of a sentence ("We ❤️ our parks") is read out by name and loses readers the word."""
    text = draft.text
    findings = []
    for group in _emoji_groups(analyse(text).emoji, text):
        start, end = group[0].start, group[-1].end
        following = _word_after(text, end)
        if not _word_before(text, start) or following is None:
            continue
        if following[:1].isupper() and following.lower() in SENTENCE_STARTERS:
            continue  # "Great news 🎉 The library reopens": the emoji ends a sentence
        names = listed([emoji_name(span.text) for span in group])
        base = SKIN_TONES_AND_SELECTORS.sub("", group[0].text)
        word = data.emoji_words().get(base)
        fix = (
            f"Write {quoted(word)} instead, and put any emoji at the end of the post."
            if word and len(group) == 1
            else "Write the words instead, and put any emoji at the end of the post."
        )
        findings.append(
            at(
                "emoji_meaning",
                WARNING,
                text,
                start,
                end,
                message=f"{quoted(text[start:end])} sits in the middle of a sentence; a screen reader says {names}.",
                why=EMOJI_MEANING_WHY,
                fix=fix,
            )
        )
    return findings


def check_link_count(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """More than one link splits the reader's attention; one clear next step works best."""
    links = analyse(draft.text).links
    if len(links) <= MAX_LINKS:
        return []
    start, end = _tail(links, MAX_LINKS)
    return [
        at(
            "link_count",
            ADVICE,
            draft.text,
            start,
            end,
            message=f"{count(len(links), 'link')}; one is clearer.",
            why=LINK_COUNT_WHY,
            fix=f"Keep the one link that matters most, such as {links[0].text}, or link to one page with the rest.",
        )
    ]


def check_alt_text(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """An image without alt text shuts out blind and partially sighted people; "image of" wastes their time."""
    if not draft.image_attached:
        return []
    alt_text = draft.alt_text.strip()
    if not alt_text:
        return [
            whole_post(
                "alt_text",
                ERROR,
                draft.text,
                excerpt="Image without alt text",
                message="The image has no alt text.",
                why=ALT_TEXT_WHY,
                fix="Add alt text saying what the image shows and why it matters, in a sentence or two.",
            )
        ]
    prefix = ALT_TEXT_PREFIX.match(alt_text)
    if prefix:
        return [
            whole_post(
                "alt_text",
                ADVICE,
                draft.text,
                excerpt=f"Alt text starting {quoted(prefix.group())}",
                message=f"The alt text starts with {quoted(prefix.group())}.",
                why=ALT_TEXT_PREFIX_WHY,
                fix=f"Start with what it shows: {quoted(_without_prefix(alt_text, prefix.end()))}.",
            )
        ]
    return []


def _without_prefix(alt_text: str, end: int) -> str:
    rest = alt_text[end:].strip()
    return rest[:1].upper() + rest[1:]
