"""Length: each platform's limit, counted the platform's own way, down to emoji, scripts and links."""

from __future__ import annotations

import datetime

import pytest
from twitter_text import parse_tweet

from tests.training.checker.helpers import found
from training.checker import MAX_DRAFT_CHARS, PLATFORMS, Draft, HouseRules, check
from training.checker.platforms import Measure
from training.checker.rules.length import check_length

FAMILY = "👨‍👩‍👧‍👦"  # four people joined by zero-width joiners: 7 code points
WAVE = "👋🏽"  # an emoji with a skin tone: 2 code points
LINK = "https://www.kirkmoor.gov.uk/services/bins-and-recycling/garden-waste/renew-your-subscription"


def length(platform: str, text: str, house: HouseRules | None = None) -> int:
    return check(Draft(text=text, platform=platform), house or HouseRules()).length


def test_platform_limits_are_data_with_a_checked_date_and_a_source():
    limits = {code: (p.limit, p.counting) for code, p in PLATFORMS.items()}

    assert limits == {
        "x": (280, "weighted"),
        "bluesky": (300, "graphemes"),
        "mastodon": (500, "mastodon"),
        "threads": (500, "threads"),
        "linkedin": (3000, "characters"),
        "instagram": (2200, "characters"),
        "facebook": (63206, "characters"),
    }
    assert PLATFORMS["instagram"].max_hashtags == 30
    for platform in PLATFORMS.values():
        assert platform.checked_on == datetime.date(2026, 11, 24)
        assert platform.source.startswith("https://")
        assert platform.name
        assert platform.unit


# --- Unicode: what counts as one ----------------------------------------------------------------------------


@pytest.mark.parametrize(("emoji", "code_points"), [(FAMILY, 7), (WAVE, 2), ("🏳️‍🌈", 4), ("🇬🇧", 2), ("1️⃣", 3)])
def test_bluesky_counts_an_emoji_sequence_as_one_grapheme(emoji, code_points):
    assert len(emoji) == code_points
    assert length("bluesky", f"Hi {emoji}") == 4


def test_bluesky_counts_combining_accents_with_their_letter():
    assert length("bluesky", "Cafe\u0301 open") == 9


def test_bluesky_at_300_graphemes_with_emoji_fits_and_at_301_does_not():
    assert found("a" * 299 + FAMILY, "length", "bluesky") == []

    text = "a" * 300 + FAMILY
    [finding] = found(text, "length", "bluesky")
    assert (finding.start, finding.end, finding.excerpt) == (300, len(text), FAMILY)
    assert finding.message.startswith("301 of 300 characters on Bluesky: 1 over the limit.")


@pytest.mark.parametrize(
    ("text", "weighted"),
    [
        ("你好", 4),  # Chinese: 2 each
        ("こんにちは", 10),  # Japanese: 2 each
        ("안녕", 4),  # Korean: 2 each
        ("Café", 4),  # Latin with an accent: 1 each
        (FAMILY, 2),  # any emoji, however many code points: 2
        (WAVE + WAVE, 4),
        ("e\u0301", 1),  # normalised to é first
    ],
)
def test_x_weighs_cjk_and_emoji_as_two(text, weighted):
    assert length("x", text) == weighted
    assert length("x", text) == parse_tweet(text).weightedLength


def test_x_cuts_at_the_first_character_past_280_weighted():
    text = "a" * 279 + "你好"

    [finding] = found(text, "length", "x")

    assert (finding.start, finding.excerpt, finding.severity) == (279, "你好", "error")
    assert finding.message.startswith("283 of 280 characters on X (Twitter): 3 over the limit.")


@pytest.mark.parametrize("link", ["https://t.co/a", LINK, "kirkmoor.gov.uk/bins"])
def test_x_counts_every_link_as_23(link):
    assert length("x", f"See {link}") == 4 + 23


def test_x_highlights_a_link_that_crosses_the_limit_whole():
    text = "a" * 260 + " " + LINK

    [finding] = found(text, "length", "x")

    assert finding.excerpt == LINK
    assert finding.message.startswith("284 of 280")


def test_x_maps_the_cut_back_through_normalisation_and_line_endings():
    decomposed = "e\u0301" * 281  # 562 code points, 281 weighted
    [finding] = found(decomposed, "length", "x")
    assert (finding.start, finding.excerpt) == (560, "e\u0301")

    windows = "ab\r\n" * 100  # each \r\n counts as one newline: 300 weighted
    assert PLATFORMS["x"].measure(windows).cut == 93 * 4 + 1  # after 93 lines (279) and one more "a" (280)

    # check() makes every line break \n first: its offsets are into that text, which the report keeps.
    report = check(Draft(text=windows, platform="x"))
    [finding] = report.by_rule("length")
    assert report.text == "ab\n" * 100
    assert (finding.start, finding.end) == (93 * 3 + 1, 300)


@pytest.mark.parametrize("link", ["https://t.co/a", LINK, "http://example.com/" + "x" * 300])
def test_mastodon_counts_every_http_link_as_23(link):
    assert length("mastodon", f"See {link}") == 4 + 23


def test_mastodon_counts_a_link_without_http_in_full_and_remote_mentions_by_name():
    assert length("mastodon", "kirkmoor.gov.uk/bins") == 20
    assert length("mastodon", "@sam@mastodon.social hello") == len("@sam hello")


def test_a_long_link_fits_on_mastodon_when_the_characters_would_not():
    text = "a" * 470 + " " + LINK

    assert len(text) > 500
    assert found(text, "length", "mastodon") == []
    assert length("mastodon", text) == 494


def test_mastodon_uses_the_limit_in_the_house_rules():
    text = "a" * 600
    house = HouseRules(mastodon_limit=1000)

    assert found(text, "length", "mastodon", house) == []
    report = check(Draft(text, "mastodon"), house)
    assert (report.length, report.limit) == (600, 1000)

    [finding] = found(text, "length", "mastodon", HouseRules(mastodon_limit=550))
    assert (finding.start, finding.end) == (550, 600)


def test_threads_counts_an_emoji_as_its_utf8_bytes():
    assert length("threads", "Hi 👋") == 3 + 4
    assert length("threads", FAMILY) == len(FAMILY.encode())

    text = "a" * 498 + "👋"
    [finding] = found(text, "length", "threads")
    assert finding.excerpt == "👋"


@pytest.mark.parametrize(("platform", "limit"), [("linkedin", 3000), ("instagram", 2200)])
def test_character_platforms_count_characters(platform, limit):
    assert found("a" * limit, "length", platform) == []

    text = "a" * (limit + 5)
    [finding] = found(text, "length", platform)
    assert (finding.start, finding.end) == (limit, limit + 5)
    assert finding.message.startswith(f"{limit + 5:,} of {limit:,} characters")


def test_facebook_counts_characters_beyond_what_the_checker_takes():
    # Facebook allows more than MAX_DRAFT_CHARS, so a draft is refused long before Facebook would refuse it.
    facebook = PLATFORMS["facebook"]

    assert facebook.limit > MAX_DRAFT_CHARS
    assert facebook.measure("a" * 63206).cut is None
    assert facebook.measure("a" * 63210).cut == 63206
    assert length("facebook", "Hi " + FAMILY) == 3 + len(FAMILY)


def test_a_post_over_the_limit_with_no_part_to_point_at_is_a_finding_about_the_whole_post():
    class Uncuttable:
        """A platform whose count is over the limit but cannot say where the excess starts."""

        name, unit, counting = "Somewhere", "characters", "characters"

        def limit_for(self, house):
            return 10

        def measure(self, text, limit=None):
            return Measure(12, None)

    text = "Twelve chars"
    [finding] = check_length(Draft(text=text, platform="x"), HouseRules(), Uncuttable())

    assert (finding.start, finding.end, finding.whole, finding.excerpt) == (0, len(text), True, "2 over the limit")
    assert finding.message.startswith("12 of 10 characters on Somewhere: 2 over the limit.")


def test_the_fix_says_how_much_to_cut():
    [finding] = found("a" * 290, "length", "x")

    assert finding.fix.startswith("Cut at least 10 characters.")


def test_a_post_within_every_limit_has_no_length_finding():
    text = "Bin collections change over Christmas. Check kirkmoor.gov.uk/bins 🎄"

    for code in PLATFORMS:
        assert found(text, "length", code) == []
