"""How a post reads: text-speak, capitals, exclamation marks, long sentences and overall readability."""

from __future__ import annotations

import functools

import regex

from training.checker import data
from training.checker.model import ADVICE, WARNING, Draft, Finding, HouseRules
from training.checker.platforms import Platform
from training.checker.rules.base import at, count, either, quoted, same_case, whole_post
from training.checker.text import Analysis, Span, analyse

TEXT_SPEAK_WHY = (
    "Text-speak reads as careless from a public body, and people who use translation tools, screen readers "
    "or English as a second language may not understand it."
)
ALL_CAPS_WHY = (
    "Capitals read as shouting, and they are harder to read: people recognise words partly by their shape, "
    "and screen readers may spell capitals out letter by letter."
)
EXCLAMATIONS_WHY = (
    "Runs of exclamation marks look unprofessional and can read as sarcastic or alarmed. "
    "A public body's voice is calm and clear."
)
LONG_SENTENCE_WHY = (
    "Long sentences are harder to follow, especially on a phone, for people with dyslexia or for readers of "
    "English as a second language. Short sentences are clearer."
)
READABILITY_WHY = (
    "Posts from a public body are for everyone. The harder a post is to read, the fewer people understand it: "
    "aim for plain English most adults can read at a glance."
)

LONG_SENTENCE_WORDS = 25
# Flesch reading ease means little over a sentence or two, so only posts this long are scored.
READABILITY_MIN_WORDS = 30
# Below 50 is "fairly difficult" to "very difficult" on the Flesch scale; plain English for the public is 60+.
READABILITY_THRESHOLD = 50

ROMAN_NUMERAL = regex.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
# Read from the start of a run of marks only, so a long run of question marks is read once.
EXCLAMATION_RUN = regex.compile(r"(?<![!?])[!?]*![!?]*")
LOWER_CASE = regex.compile(r"\p{Ll}")


def _joined_by_space(text: str, first: Span, second: Span) -> bool:
    gap = text[first.end : second.start]
    return bool(gap) and gap.isspace() and "\n" not in gap


def _number_as_word(text: str, words: tuple[Span, ...], index: int) -> str | None:
    """The word a bare "2" or "4" stands for, when it is written as a word: "come 2 the", "thanks 4 coming"."""
    speak = data.text_speak()
    word = words[index]
    plain = speak.numbers.get(word.text)
    if plain is None:
        return None
    before = text[word.start - 1] if word.start else " "
    after = text[word.end] if word.end < len(text) else " "
    if not (before.isspace() and after.isspace()):
        return None  # "£4", "4%", "4:30", "Ward 4."
    following = words[index + 1] if index + 1 < len(words) else None
    previous = words[index - 1] if index else None
    if following and _joined_by_space(text, word, following) and following.text.lower() in speak.numbers_next:
        return plain
    if previous and _joined_by_space(text, previous, word) and previous.text.lower() in speak.numbers_after:
        return plain
    return None


def _plain_words(text: str, words: tuple[Span, ...], index: int) -> tuple[str, ...] | None:
    word = words[index].text
    plain = data.text_speak().replacement(word)
    if plain is not None:
        return plain
    number = _number_as_word(text, words, index)
    return (number,) if number else None


def _in_dotted_abbreviation(text: str, word: Span) -> bool:
    """Part of "U.K." or "r.s.v.p.": a letter joined to others by full stops."""
    after = text[word.end : word.end + 2]
    before = text[max(0, word.start - 2) : word.start]
    return (len(after) == 2 and after[0] == "." and after[1].isalpha()) or (
        len(before) == 2 and before[1] == "." and before[0].isalpha()
    )


def check_text_speak(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """Text-speak and slang ("gr8", "pls", "come 2 the") look careless and shut out some readers."""
    text = draft.text
    words = analyse(text).words
    findings = []
    for index, word in enumerate(words):
        plain = _plain_words(text, words, index)
        if plain is None or _in_dotted_abbreviation(text, word):
            continue
        options = [same_case(p, word.text) for p in plain if p]
        if not options:
            fix = "Leave it out."
        elif "" in plain:
            fix = f"Write {either(options)}, or leave it out."
        else:
            fix = f"Write {either(options)}."
        findings.append(
            at(
                "text_speak",
                WARNING,
                text,
                word.start,
                word.end,
                message=f"{quoted(word.text)} is text-speak.",
                why=TEXT_SPEAK_WHY,
                fix=fix,
            )
        )
    return findings


def _caps_kind(word: str) -> str | None:
    """How a word in capitals counts towards shouting: "strong", "weak" (short), "neutral" or None (not capitals)."""
    if not any(c.isalpha() for c in word):
        return "neutral"  # numbers: "PLS COME 2 THE FAIR"
    if LOWER_CASE.search(word) or not word.isupper():
        return None
    speak = data.text_speak().replacement(word)
    if word in data.acronyms() or (len(word) > 1 and ROMAN_NUMERAL.fullmatch(word)):
        return "neutral"
    if any(c.isdigit() for c in word) and speak is None:
        return "neutral"  # codes: LS6, M62, A1
    if speak is not None or sum(c.isalpha() for c in word) >= 3:
        return "strong"
    return "weak"


def _caps_runs(analysis: Analysis) -> list[list[int]]:
    """Runs of words in capitals, as word indexes; a run ends at a lower-case word, a line break or a link."""
    text = analysis.text
    kinds = [_caps_kind(w.text) for w in analysis.words]
    runs: list[list[int]] = []
    current: list[int] = []
    previous_end = None
    for index, word in enumerate(analysis.words):
        broken = previous_end is not None and (
            "\n" in text[previous_end : word.start] or analysis.is_masked(previous_end, word.start)
        )
        if kinds[index] is None or broken:
            runs.append(current)
            current = []
        if kinds[index] is not None:
            current.append(index)
        previous_end = word.end
    runs.append(current)
    trimmed = []
    for run in runs:
        first, last = 0, len(run)
        while first < last and kinds[run[first]] == "neutral":
            first += 1
        while last > first and kinds[run[last - 1]] == "neutral":
            last -= 1
        if any(kinds[i] == "strong" for i in run[first:last]):
            trimmed.append(run[first:last])
    return trimmed


def _sentence_case(analysis: Analysis, run: list[int]) -> str:
    """The run rewritten in lower case, keeping abbreviations and spelling out text-speak."""
    text, words = analysis.text, analysis.words
    first = words[run[0]]
    pieces = []
    position = first.start
    for index in range(run[0], run[-1] + 1):
        word = words[index]
        pieces.append(text[position : word.start])
        plain = _plain_words(text, words, index)
        if plain and plain[0]:
            pieces.append(plain[0])
        elif _caps_kind(word.text) == "neutral" or word.text == "I":
            pieces.append(word.text)
        else:
            pieces.append(word.text.lower())
        position = word.end
    rewritten = "".join(pieces)
    sentence = analysis.sentence_at(first.start)
    if sentence is None or sentence.start == first.start:
        rewritten = rewritten[:1].upper() + rewritten[1:]
    return rewritten


def check_all_caps(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """Words in capitals read as shouting and are harder to read; known abbreviations (NHS, CCTV) are fine."""
    analysis = analyse(draft.text)
    findings = []
    for run in _caps_runs(analysis):
        start, end = analysis.words[run[0]].start, analysis.words[run[-1]].end
        excerpt = draft.text[start:end]
        fix = f"Write {quoted(_sentence_case(analysis, run))}."
        if len(run) == 1:
            fix += " If it is an abbreviation, spell it out the first time."
        findings.append(
            at(
                "all_caps",
                WARNING,
                draft.text,
                start,
                end,
                message=f"{quoted(excerpt)} is in capitals.",
                why=ALL_CAPS_WHY,
                fix=fix,
            )
        )
    return findings


def check_exclamations(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """Runs of exclamation marks ("!!", "?!") look alarmed or unprofessional from a public body."""
    analysis = analyse(draft.text)
    findings = []
    for match in EXCLAMATION_RUN.finditer(draft.text):
        run = match.group()
        if len(run) < 2 or analysis.is_masked(match.start(), match.end()):
            continue
        message = (
            f"{quoted(run)} mixes a question mark and an exclamation mark."
            if "?" in run
            else (f"{quoted(run)} is {count(len(run), 'exclamation mark')} in a row.")
        )
        fix = "Use a question mark on its own." if "?" in run else "Use one exclamation mark at most, or a full stop."
        findings.append(
            at(
                "exclamations",
                WARNING,
                draft.text,
                match.start(),
                match.end(),
                message=message,
                why=EXCLAMATIONS_WHY,
                fix=fix,
            )
        )
    return findings


def check_long_sentence(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """Sentences over 25 words are hard to follow on a phone and for many readers."""
    analysis = analyse(draft.text)
    findings = []
    for sentence in analysis.sentences:
        words = len(analysis.words_in(sentence))
        if words > LONG_SENTENCE_WORDS:
            findings.append(
                at(
                    "long_sentence",
                    ADVICE,
                    draft.text,
                    sentence.start,
                    sentence.end,
                    message=f"This sentence has {words} words.",
                    why=LONG_SENTENCE_WHY,
                    fix=f"Split it into sentences of {LONG_SENTENCE_WORDS} words or fewer.",
                )
            )
    return findings


@functools.lru_cache(maxsize=8192)
def _syllables(word: str) -> int:
    parts = [part for part in regex.split(r"[-&/]", word.replace("'", "").replace("’", "")) if part.isalpha()]
    return sum(data.syllables(part) for part in parts) or 1


def reading_ease(analysis: Analysis) -> tuple[float, int] | None:
    """Flesch reading ease of the draft, and the number of words it was computed over.

    206.835 - 1.015 x (words / sentences) - 84.6 x (syllables / words), where words are the words with a letter
    in them (links, emails, mentions and hashtags left out), sentences are those with at least one such word,
    and syllables come from pyphen. 100 is very easy; 60 to 70 is plain English; below 30 is very hard.
    """
    words = [w for w in analysis.words if any(c.isalpha() for c in w.text)]
    sentences = [s for s in analysis.sentences if any(any(c.isalpha() for c in w.text) for w in analysis.words_in(s))]
    if not words or not sentences:
        return None
    syllables = sum(_syllables(w.text) for w in words)
    score = 206.835 - 1.015 * (len(words) / len(sentences)) - 84.6 * (syllables / len(words))
    return score, len(words)


def check_readability(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """A post with a low Flesch reading ease score is hard for many people to read; scored only when long enough."""
    measured = reading_ease(analyse(draft.text))
    if measured is None:
        return []
    score, words = measured
    if words < READABILITY_MIN_WORDS or score >= READABILITY_THRESHOLD:
        return []
    shown = max(0, round(score))
    return [
        whole_post(
            "readability",
            ADVICE,
            draft.text,
            excerpt=f"Reading ease {shown} out of 100",
            message=f"The post scores {shown} out of 100 for reading ease: it is hard to read.",
            why=READABILITY_WHY,
            fix='Use shorter sentences and everyday words ("help", not "facilitate"); aim for 60 or more.',
        )
    ]
