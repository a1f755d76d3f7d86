"""Hashtags, emoji, links and image descriptions."""

from __future__ import annotations

import pytest

from tests.training.checker.helpers import assert_span, excerpts, found
from training.checker import data

# --- Hashtags in one case -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt", "camel"),
    [
        ("Our new site opens Monday. #recyclingcentre", "#recyclingcentre", "#RecyclingCentre"),
        ("No collections today. #BINDAY", "#BINDAY", "#BinDay"),
        ("Order your compost bin now #gardenwaste", "#gardenwaste", "#GardenWaste"),
        ("Thank you to every nurse #thankyounhs", "#thankyounhs", "#ThankYouNHS"),
        ("Results are in #localelections2027", "#localelections2027", "#LocalElections2027"),
    ],
)
def test_it_flags_several_words_in_one_case_with_a_camel_case_fix(text, excerpt, camel):
    [finding] = found(text, "hashtag_case")

    assert_span(text, finding, excerpt, "warning")
    assert finding.fix == f'Write "{camel}".'


@pytest.mark.parametrize(
    "text",
    [
        "Planned work on Sunday. #maintenance",
        "Our libraries this week #RecyclingCentre #Kirkmoor",
        "Clap for carers #NHS #SEND",
        "Sunday in the park #millbridge",
        "Bin day in #kirkmoor2027",
        "Fun day #family_fun",
        "Fête de la musique #fête",
        "See kirkmoor.gov.uk/parks#opening for times",
    ],
)
def test_it_leaves_single_words_camel_case_and_place_names_alone(text):
    assert found(text, "hashtag_case") == []


def test_a_hashtag_longer_than_any_real_one_is_not_split():
    body = "recyclingcentre" * 4 + "x"  # 61 letters

    assert data.segment(body) == (body,)
    assert found(f"Open now #{body}", "hashtag_case") == []
    assert excerpts(found(f"Open now #{body[:60]}", "hashtag_case")) == [f"#{body[:60]}"]


# --- How many hashtags --------------------------------------------------------------------------------------


def test_it_flags_hashtags_past_the_second():
    text = "Half-term fun at the pool. #HalfTerm #Kirkmoor #Swimming #FamilyFun"

    [finding] = found(text, "hashtag_count")

    assert_span(text, finding, "#Swimming #FamilyFun", "advice")
    assert finding.message == "4 hashtags; two at most read best."


def test_instagram_refuses_more_than_30_hashtags():
    tags = " ".join(f"#Park{n}" for n in range(1, 33))
    text = f"Spring in our parks.\n\n{tags}"

    [finding] = found(text, "hashtag_count", "instagram")

    assert_span(text, finding, "#Park31 #Park32", "error")
    assert finding.message == "32 hashtags: Instagram allows 30."
    # The fix and the highlight agree: the highlighted ones are the ones past 30.
    assert finding.fix == "Take out the highlighted ones: they are past Instagram's limit of 30. Two at most read best."


def test_thirty_hashtags_on_instagram_is_only_advice():
    text = " ".join(f"#Park{n}" for n in range(1, 31))

    [finding] = found(text, "hashtag_count", "instagram")

    assert finding.severity == "advice"


@pytest.mark.parametrize("text", ["No hashtags at all.", "One #Kirkmoor", "Two #Kirkmoor #Parks", "C# and F# classes"])
def test_it_leaves_two_hashtags_or_fewer_alone(text):
    assert found(text, "hashtag_count") == []


# --- How many emoji -----------------------------------------------------------------------------------------


def test_it_flags_emoji_past_the_second():
    text = "Happy Christmas from all of us 🎄🎁⭐✨"

    [finding] = found(text, "emoji_count", "threads")

    assert_span(text, finding, "⭐✨", "advice")
    assert finding.message == "4 emoji; two at most are easy to listen to."


def test_an_emoji_with_a_skin_tone_or_joiners_is_one_emoji():
    text = "Family swim sessions are back 👨‍👩‍👧‍👦 👍🏽 🏊🏽‍♀️"

    [finding] = found(text, "emoji_count", "bluesky")

    assert finding.excerpt == "🏊🏽‍♀️"


@pytest.mark.parametrize("text", ["Market opens on Friday 🎄", "Market opens on Friday 🎄✨", "© Kirkmoor Council ™"])
def test_it_leaves_two_emoji_or_fewer_alone(text):
    assert found(text, "emoji_count") == []


# --- Emoji in place of words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt", "fix"),
    [
        ("We ❤️ our parks", "❤️", 'Write "love" instead'),
        ("Garden waste bins 🗑️ collected Tuesday", "🗑️", 'Write "bins" instead'),
        ("Thank you 🙏 to all our volunteers.", "🙏", "Write the words instead"),
        ("We ❤️ ❤️ Kirkmoor", "❤️ ❤️", "Write the words instead"),
        ("We 👍🏽 the plans", "👍🏽", 'Write "good" instead'),
        ("We ❤️ Kirkmoor Library", "❤️", 'Write "love" instead'),
    ],
)
def test_it_flags_an_emoji_in_the_middle_of_a_sentence(text, excerpt, fix):
    [finding] = found(text, "emoji_meaning")

    assert_span(text, finding, excerpt, "warning")
    assert finding.fix.startswith(fix)


def test_the_message_says_what_a_screen_reader_reads_out():
    [finding] = found("We ❤️ our parks", "emoji_meaning")

    assert finding.message == '"❤️" sits in the middle of a sentence; a screen reader says "red heart".'


@pytest.mark.parametrize(
    "text",
    [
        "The Christmas market opens on Friday 🎄",
        "🎉 The library has reopened.",
        "Great news 🎉 The library has reopened.",
        "Busy roads this morning 🙄 Off to the match later.",
        "Bins are late today 😔, sorry.",
        "🗓️ Saturday 12 July\n📍 Market Square",
        "Tickets on sale now 🎟️\nBook at kirkmoor.gov.uk",
    ],
)
def test_it_leaves_emoji_at_the_edges_of_sentences_alone(text):
    assert found(text, "emoji_meaning") == []


# --- Links --------------------------------------------------------------------------------------------------


def test_it_flags_links_past_the_first():
    text = "Read the summary at kirkmoor.gov.uk/report, the accounts at https://kirkmoor.gov.uk/accounts and more."

    [finding] = found(text, "link_count", "linkedin")

    assert_span(text, finding, "https://kirkmoor.gov.uk/accounts", "advice")


def test_three_links_are_one_finding_over_the_extra_ones():
    text = "a.gov.uk then b.gov.uk then c.gov.uk"

    [finding] = found(text, "link_count", "linkedin")

    assert finding.excerpt == "b.gov.uk then c.gov.uk"
    assert finding.message == "3 links; one is clearer."


@pytest.mark.parametrize(
    "text",
    [
        "Check your bin day at kirkmoor.gov.uk/bins",
        "Email bins@kirkmoor.gov.uk or see kirkmoor.gov.uk/bins",
        "No links here, e.g. none. See you at 10.30am.",
    ],
)
def test_it_leaves_one_link_alone(text):
    assert found(text, "link_count") == []


# --- Alt text -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("alt_text", ["", "   \n"])
def test_an_image_without_alt_text_is_an_error_about_the_whole_post(alt_text):
    text = "Our new play area is open."

    [finding] = found(text, "alt_text", "instagram", image_attached=True, alt_text=alt_text)

    assert (finding.start, finding.end, finding.severity) == (0, len(text), "error")
    assert finding.excerpt == "Image without alt text"


@pytest.mark.parametrize(
    ("alt_text", "prefix", "suggestion"),
    [
        ("Image of children on a climbing frame.", "Image of", "Children on a climbing frame."),
        ("A picture of the new bin lorries", "A picture of", "The new bin lorries"),
        ("photo showing the flooded road", "photo showing", "The flooded road"),
    ],
)
def test_alt_text_that_starts_image_of_gets_advice(alt_text, prefix, suggestion):
    [finding] = found("Look!", "alt_text", image_attached=True, alt_text=alt_text)

    assert finding.severity == "advice"
    assert finding.excerpt == f'Alt text starting "{prefix}"'
    assert finding.fix == f'Start with what it shows: "{suggestion}".'


@pytest.mark.parametrize(
    ("image_attached", "alt_text"),
    [
        (True, "Children on the new climbing frame in Kirkmoor Park."),
        (True, "Imagery from the 1950s: the old market hall."),
        (False, ""),
        (False, "Image of nothing, because no image is attached."),
    ],
)
def test_it_leaves_good_alt_text_and_posts_without_images_alone(image_attached, alt_text):
    assert found("Our new play area is open.", "alt_text", image_attached=image_attached, alt_text=alt_text) == []


def test_every_finding_names_its_rule():
    text = "We ❤️ it #recyclingcentre #a #b 🎉🎉🎉 a.gov.uk b.gov.uk"

    rules = {r: excerpts(found(text, r)) for r in ("hashtag_case", "hashtag_count", "emoji_count", "link_count")}

    assert rules == {
        "hashtag_case": ["#recyclingcentre"],
        "hashtag_count": ["#b"],
        "emoji_count": ["🎉🎉"],
        "link_count": ["b.gov.uk"],
    }
