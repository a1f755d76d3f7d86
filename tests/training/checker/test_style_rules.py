"""How a post reads: text-speak, capitals, exclamation marks, long sentences, readability."""

from __future__ import annotations

import pytest

from tests.training.checker.helpers import assert_span, excerpts, found
from training.checker.rules.style import reading_ease
from training.checker.text import analyse

# --- Text-speak ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt", "fix"),
    [
        ("The fair was gr8, thanks for coming.", "gr8", 'Write "great".'),
        ("Pls put your bin out by 7am.", "Pls", 'Write "Please".'),
        ("Thanks 4 your patience while we fix the lift.", "4", 'Write "for".'),
        ("Come 2 the library on Saturday.", "2", 'Write "to".'),
        ("We r open until 8pm.", "r", 'Write "are".'),
        ("Is ur bin missing?", "ur", 'Write "your" or "you\'re".'),
        ("Great turnout today lol", "lol", "Leave it out."),
        ("tbh the queue was long.", "tbh", 'Write "to be honest", or leave it out.'),
        ("The pool opens 2day at noon.", "2day", 'Write "today".'),
    ],
)
def test_it_flags_text_speak_with_the_plain_words(text, excerpt, fix):
    [finding] = found(text, "text_speak")

    assert_span(text, finding, excerpt, "warning")
    assert finding.message == f'"{excerpt}" is text-speak.'
    assert finding.fix == fix


def test_it_flags_every_text_speak_word_once():
    text = "Thx 2 everyone who came 2 the open day, u were gr8"

    findings = found(text, "text_speak")

    assert excerpts(findings) == ["Thx", "2", "2", "u", "gr8"]
    assert [f.start for f in findings] == [0, 4, 24, 40, 47]


@pytest.mark.parametrize(
    "text",
    [
        "The Ward 4 surgery is on 4 November.",
        "Tickets are £4 for adults and £2 for children.",
        "Swimming lessons for ages 2 to 4.",
        "Buy 2 get 1 free on swimming lessons this week.",
        "Take 2 a day with food.",
        "We need 2 volunteers for Saturday.",
        "Open 2 weeks from today, at 4:30pm.",
        "Under 4s go free. Platform 2 is closed.",
        "The R number is falling. Visit the RN museum.",
        "U3A meets in the library. The U-turn is banned. Made in the U.K. since 1950.",
        "Pour a cuppa, grab a book and relax.",
    ],
)
def test_it_leaves_numbers_and_ordinary_words_alone(text):
    assert found(text, "text_speak") == []


# --- Capitals -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt", "fix"),
    [
        ("The car park is CLOSED on Friday.", "CLOSED", 'Write "closed". If it is an abbreviation, spell it out'),
        ("IMPORTANT: bins are late today.", "IMPORTANT", 'Write "Important".'),
        ("PLS COME 2 THE FAIR today.", "PLS COME 2 THE FAIR", 'Write "Please come to the fair".'),
        ("Entry is FREE FOR EVERYONE this weekend.", "FREE FOR EVERYONE", 'Write "free for everyone".'),
        ("This weekend is GR8 for a walk.", "GR8", 'Write "great".'),
    ],
)
def test_it_flags_words_in_capitals_as_one_finding_per_run(text, excerpt, fix):
    [finding] = found(text, "all_caps")

    assert_span(text, finding, excerpt, "warning")
    assert finding.fix.startswith(fix)


def test_separate_shouted_words_are_separate_findings():
    findings = found("IMPORTANT: the car park is CLOSED on Friday.", "all_caps")

    assert excerpts(findings) == ["IMPORTANT", "CLOSED"]


@pytest.mark.parametrize(
    "text",
    [
        "The NHS walk-in centre and your GP are open. A&E is for emergencies.",
        "CCTV is now installed at the BBC studios in the UK.",
        "COVID-19 jabs for SEND pupils with an EHCP.",
        "Roadworks on the M62 near junction 26 and the A1. Postcode KM1 2AB.",
        "King Charles III visits. Part II of the plan is out.",
        "I think it is a good idea.",
        "Visit kirkmoor.gov.uk or KIRKMOOR.GOV.UK for details. #BINDAY",
        "Our BBQ at the PTA fair raised £300.",
    ],
)
def test_it_leaves_abbreviations_codes_and_links_alone(text):
    assert found(text, "all_caps") == []


# --- Exclamation marks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("The reading challenge is back!!", "!!"),
        ("Free swimming this half term!!!", "!!!"),
        ("Who's ready for summer?!", "?!"),
        ("Really!? The bins again?", "!?"),
    ],
)
def test_it_flags_runs_of_exclamation_marks(text, excerpt):
    [finding] = found(text, "exclamations")

    assert_span(text, finding, excerpt, "warning")


@pytest.mark.parametrize(
    "text",
    [
        "The reading challenge is back! Sign up today.",
        "Are you ready? Sign up today.",
        "Is the tip open?? Yes, from 8am.",
    ],
)
def test_it_leaves_single_marks_alone(text):
    assert found(text, "exclamations") == []


# --- Long sentences -----------------------------------------------------------------------------------------

LONG = (
    "If you have a green bin and have not renewed your garden waste subscription for next year you will need "
    "to do it before the end of February or your collections will stop."
)


def test_it_flags_a_sentence_over_25_words():
    text = "Garden waste is changing. " + LONG + " Thank you."

    [finding] = found(text, "long_sentence", "facebook")

    assert_span(text, finding, LONG, "advice")
    assert finding.message == "This sentence has 33 words."


def test_a_line_break_ends_a_sentence():
    lines = "\n".join(f"Item {n}: chairs, tables and lamps" for n in range(8))

    assert found(lines, "long_sentence", "facebook") == []


@pytest.mark.parametrize(
    "text",
    [
        "Bins go out on Tuesday. Recycling goes out on Friday. Garden waste stops in December.",
        # 25 words exactly.
        "one two three four five six seven eight nine ten one two three four five six seven eight nine ten "
        "one two three four five.",
        # Links and abbreviations do not add words or end sentences early.
        "See Mrs. Jones at St. Mary's on Sat. 4 May, e.g. for cakes https://kirkmoor.gov.uk/a/very/long/link/here",
    ],
)
def test_it_leaves_short_sentences_alone(text):
    assert found(text, "long_sentence", "facebook") == []


# --- Readability --------------------------------------------------------------------------------------------

JARGON = (
    "The authority's strategic commissioning framework facilitates collaborative partnership arrangements "
    "across organisational boundaries. Implementation necessitates comprehensive stakeholder engagement, "
    "alongside continuous performance monitoring, ensuring operational effectiveness. Additional documentation "
    "regarding procurement opportunities is available electronically."
)
PLAIN = (
    "Our new library opens on Saturday. It has more books, more computers and a bigger space for children. "
    "Come and see it between 10am and 4pm. Bring the family. There will be stories, games and cake for everyone."
)


def test_it_flags_a_hard_to_read_post_as_a_whole():
    [finding] = found(JARGON, "readability", "linkedin")

    assert (finding.start, finding.end, finding.severity) == (0, len(JARGON), "advice")
    assert finding.excerpt.startswith("Reading ease ")
    assert "hard to read" in finding.message


def test_reading_ease_follows_the_flesch_formula():
    score, words = reading_ease(analyse("The cat sat on the mat. The dog ran."))

    # 9 words, 2 sentences, 9 syllables: 206.835 - 1.015 * 4.5 - 84.6 * 1.
    assert words == 9
    assert score == pytest.approx(206.835 - 1.015 * 4.5 - 84.6)


@pytest.mark.parametrize(
    "text",
    [
        PLAIN,
        # Hard words, but too short for the score to mean anything.
        "Implementation necessitates comprehensive stakeholder engagement.",
    ],
)
def test_it_leaves_plain_or_short_posts_alone(text):
    assert found(text, "readability", "linkedin") == []
