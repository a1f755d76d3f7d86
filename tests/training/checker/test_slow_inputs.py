"""Drafts built to make the checker slow, at the 20,000-character cap: each gets the right answer, and quickly.

Each of these used to take from seconds to many minutes (a regular expression or a library trying every way
to read a long run of one character, or a rule comparing everything with everything). No timings here: if a
slow reading came back, these tests would hang rather than fail.
"""

from __future__ import annotations

import pytest
from twitter_text.extract_urls import extract_urls_with_indices

from tests.training.checker.helpers import excerpts, found
from training.checker import MAX_DRAFT_CHARS, Draft, HouseRules, check
from training.checker.links import extract_links
from training.checker.text import analyse


def fill(unit: str, size: int = MAX_DRAFT_CHARS) -> str:
    """``unit`` repeated to fill ``size`` characters, whole units only."""
    return unit * (size // len(unit))


# --- Links: runs of dotted words -----------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["a.", "1.", "ab.", "a-.", "é.", "中.", "a_b."])
@pytest.mark.parametrize("platform", ["x", "bluesky", "mastodon"])
def test_a_long_run_of_dotted_words_is_not_a_link_and_is_counted_quickly(unit, platform):
    text = fill(unit)

    report = check(Draft(text=text, platform=platform))

    assert analyse(report.text).links == ()
    assert report.by_rule("link_count") == []
    assert report.length == len(text) + (text.count("中") if platform == "x" else 0)  # X counts 中 as 2


@pytest.mark.parametrize(
    "text",
    [
        "a." * 800,  # took 11 seconds on X
        "1." * 500,  # took 6 seconds
    ],
)
def test_short_drafts_of_dotted_words_are_counted_on_x(text):
    assert check(Draft(text=text, platform="x")).length == len(text)


def test_junk_after_a_link_is_not_read_as_links():
    # A link, then a quotation mark, then dotted words: every "." once was a place a link might start.
    unit = 'x.co"' + "a." * 20 + " "
    text = fill(unit)

    links = analyse(text).links

    assert [(link.start, link.text) for link in links] == [(n * len(unit), "x.co") for n in range(len(links))]
    assert len(links) == len(text) // len(unit)


@pytest.mark.parametrize(
    "text",
    [
        "x.com" + fill("/a.co", MAX_DRAFT_CHARS - 5),  # one long path full of domains
        "x.com/?" + fill("a.co&", MAX_DRAFT_CHARS - 7),  # one long query full of domains
        fill("@a.co/"),  # never a link: "@" before each
        fill("a.com."),  # a domain, then more labels, over and over
        fill("a.gov a.a.a.a.a."),
        fill("http://x.com/?a=b&"),
    ],
)
def test_links_in_long_runs_are_the_ones_twitter_text_finds(text):
    # For these twitter-text's own extractor is quick, so it can be asked directly.
    expected = tuple((u["indices"][0], u["indices"][1], u["url"]) for u in extract_urls_with_indices(text))

    assert extract_links(text) == expected


@pytest.mark.parametrize(
    ("text", "links"),
    [
        # twitter-text's own extractor takes about half a minute over each of these.
        ("é" * (MAX_DRAFT_CHARS - 1) + ".", ()),
        ("x.com/" + "–" * (MAX_DRAFT_CHARS - 6), ((0, 6, "x.com/"),)),
        (fill("a." * 7 + "a中.com "), ()),
    ],
)
def test_links_in_runs_twitter_text_reads_slowly(text, links):
    assert extract_links(text) == links


def test_thousands_of_links_are_each_counted_23_on_x():
    text = fill("a.co ")

    report = check(Draft(text=text, platform="x"))

    assert report.length == len(text) // 5 * (23 + 1)


# --- Runs of punctuation, symbols and spaces -----------------------------------------------------------------


@pytest.mark.parametrize("mark", [".", "!", "?", "…"])
def test_a_long_run_of_sentence_marks_without_a_space_ends_no_sentence(mark):
    text = mark * (MAX_DRAFT_CHARS - 1) + "x"

    report = check(Draft(text=text, platform="facebook"))

    assert [(s.start, s.end) for s in analyse(report.text).sentences] == [(0, len(text))]
    assert excerpts(report.by_rule("exclamations")) == ([mark * (MAX_DRAFT_CHARS - 1)] if mark == "!" else [])


def test_a_long_run_of_question_marks_is_not_exclamations():
    assert found("?" * MAX_DRAFT_CHARS, "exclamations", "facebook") == []


def test_a_long_run_of_quotation_marks_after_a_full_stop_is_read_once():
    text = "Done." + "'" * (MAX_DRAFT_CHARS - 6) + "x"

    assert len(analyse(text).sentences) == 1


@pytest.mark.parametrize(
    "text",
    [
        "#" * MAX_DRAFT_CHARS,
        "@" * MAX_DRAFT_CHARS,
        "-" * MAX_DRAFT_CHARS,
        "'" * (MAX_DRAFT_CHARS - 1) + "x",
        "(" * MAX_DRAFT_CHARS,
        " " * (MAX_DRAFT_CHARS - 1) + "x",
        "\t" * (MAX_DRAFT_CHARS - 1) + "x",
        "\u00a0" * (MAX_DRAFT_CHARS - 1) + "x",
        "\n" * (MAX_DRAFT_CHARS - 1) + "x",
        "\u200b" * (MAX_DRAFT_CHARS - 1) + "x",
        fill("a'"),
        fill("#a#"),
    ],
)
def test_long_runs_of_one_character_make_no_email_mention_or_hashtag(text):
    analysis = analyse(text)

    assert (analysis.emails, analysis.mentions, analysis.links) == ((), (), ())
    check(Draft(text=text, platform="x"))


def test_a_mention_of_many_dotted_parts_is_one_mention():
    text = "@" + "a." * ((MAX_DRAFT_CHARS - 1) // 2)

    assert [m.text for m in analyse(text).mentions] == [text[:-1]]


def test_an_email_address_after_a_long_word_with_hyphens_is_found():
    text = fill("a-", MAX_DRAFT_CHARS - 20) + " jo@kirkmoor.gov.uk"

    assert [e.text for e in analyse(text).emails] == ["jo@kirkmoor.gov.uk"]


# --- Long words, digits, emoji and other scripts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "platform", "length"),
    [
        ("a" * MAX_DRAFT_CHARS, "x", MAX_DRAFT_CHARS),
        ("1" * MAX_DRAFT_CHARS, "x", MAX_DRAFT_CHARS),
        ("你" * MAX_DRAFT_CHARS, "x", 2 * MAX_DRAFT_CHARS),
        ("a" + "\u0301" * (MAX_DRAFT_CHARS - 1), "x", MAX_DRAFT_CHARS - 1),  # "a" and the first accent make "á"
        ("😀" * (MAX_DRAFT_CHARS // 2), "x", MAX_DRAFT_CHARS),
        (fill("👋🏽"), "x", MAX_DRAFT_CHARS),
        (fill("🇬🇧"), "bluesky", MAX_DRAFT_CHARS // 2),
    ],
)
def test_long_words_digits_emoji_and_other_scripts_are_counted(text, platform, length):
    assert check(Draft(text=text, platform=platform)).length == length


def test_thousands_of_joined_emoji_are_read_quickly():
    # The emoji library searched a list of every joiner it had passed, at every character.
    for text in (fill("👨\u200d"), fill("😀\u200d😀 ")):
        report = check(Draft(text=text, platform="x"))

        [finding] = report.by_rule("emoji_count")
        assert finding.start > 0


def test_a_hashtag_of_thousands_of_letters_is_one_word():
    text = "#" + "a" * (MAX_DRAFT_CHARS - 1)

    assert [tag.text for tag in analyse(text).hashtags] == [text]
    assert found(text, "hashtag_case", "facebook") == []
    assert found("#" + "1" * (MAX_DRAFT_CHARS - 1), "hashtag_case", "facebook") == []


def test_thousands_of_hashtags_are_split_once_each():
    text = fill("#binday ")

    findings = found(text, "hashtag_case", "facebook", HouseRules(pre_election=True))

    assert len(findings) == len(text) // 8
    assert {f.fix for f in findings} == {'Write "#BinDay".'}


def test_a_long_run_of_numbers_is_not_shouting():
    assert found(fill("1 "), "all_caps", "facebook") == []
    assert len(found(fill("PLS 2 "), "all_caps", "facebook")) == 1


# --- House rules and personal data ---------------------------------------------------------------------------


def test_thousands_of_banned_words_among_mentions_are_each_found():
    text = fill("a @b ")

    findings = found(text, "banned_word", "facebook", HouseRules(banned=("a",)))

    assert len(findings) == len(text) // 5


def test_thousands_of_banned_and_cautioned_words_are_each_found_once():
    text = fill("a b ")
    house = HouseRules(banned=("a",), cautioned=("b", "a"))

    report = check(Draft(text=text, platform="facebook"), house)

    assert len(report.by_rule("banned_word")) == len(report.by_rule("cautioned_word")) == len(text) // 4


def test_a_phrase_with_spaces_and_a_hyphen_reads_a_long_run_of_spaces_once():
    text = "a" + " " * (MAX_DRAFT_CHARS - 2) + "x"

    assert found(text, "banned_word", "facebook", HouseRules(banned=("a - b", "a b"))) == []


def test_thousands_of_political_words_inside_exempt_phrases_are_read_quickly():
    text = fill("street party vote ")

    [finding] = found(text, "pre_election", "facebook", HouseRules(pre_election=True))

    assert finding.message == 'During the pre-election period: this mentions "vote".'


def test_thousands_of_phone_numbers_side_by_side_are_each_found():
    text = fill("07700 900123 ")

    assert len(found(text, "phone", "facebook")) == len(text) // 13


@pytest.mark.parametrize("unit", ["01 ", "0 ", "1 ", "0113 49 ", "01134 ", "+44 ", "1-", "1.", "(0) "])
def test_runs_of_digits_that_are_not_phone_numbers_are_read_quickly(unit):
    assert found(fill(unit), "phone", "facebook") == []


def test_thousands_of_addresses_and_national_insurance_numbers_are_each_found():
    addresses = fill("Mrs Jones 4 Elm Road KM1 2AB ")
    numbers = fill("AB123456C ")

    assert len(found(addresses, "postcode_name", "facebook")) == len(addresses) // 29
    assert len(found(numbers, "ni_number", "facebook")) == len(numbers) // 10
