"""The organisation's own rules: the pre-election period, banned and cautioned words, the sign-off."""

from __future__ import annotations

import pytest

from tests.training.checker.helpers import assert_span, excerpts, found
from training.checker import Draft, HouseRules, check, data

ELECTION = HouseRules(pre_election=True)

# --- Pre-election period ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentence", "words"),
    [
        ("Remember to vote in the council election on Thursday.", None, '"vote" and "election"'),
        (
            "The pool opens on Saturday. Thanks to Councillor Patel and the Labour group for making it happen.",
            "Thanks to Councillor Patel and the Labour group for making it happen.",
            '"Thanks to Councillor" and "Labour"',
        ),
        ("Polling stations open at 7am.", None, '"Polling stations"'),
        ("Read the Green Party manifesto.", None, '"Green Party" and "manifesto"'),
        ("Re-elect the team that fixed the roads!", None, '"Re-elect"'),
        ("Count down to polling day #LocalElections2027", None, '"polling day" and "#LocalElections2027"'),
    ],
)
def test_in_a_pre_election_period_it_flags_political_sentences(text, sentence, words):
    sentence = sentence or text

    [finding] = found(text, "pre_election", house=ELECTION)

    assert_span(text, finding, sentence, "warning")
    assert finding.message == f"During the pre-election period: this mentions {words}."
    assert "publicity" in finding.why.lower()


def test_each_political_sentence_is_its_own_finding():
    text = "Vote on Thursday.\nThe Conservative candidate spoke."

    assert excerpts(found(text, "pre_election", house=ELECTION)) == [
        "Vote on Thursday.",
        "The Conservative candidate spoke.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Planning a street party? Apply for a road closure.",
        # The party's name is matched with its capital: "labour" is a word ("Labour" opening a sentence is flagged).
        "The labour costs for the new pool rose by 5%.",
        "The bowling greens open on Saturday.",
        "A vote of thanks to our volunteers.",
        "Read more at kirkmoor.gov.uk/elections",
        "The library reopens on Saturday.",
    ],
)
def test_in_a_pre_election_period_it_leaves_other_posts_alone(text):
    assert found(text, "pre_election", house=ELECTION) == []


def test_a_hashtag_is_split_once_for_both_the_pre_election_and_hashtag_rules():
    data.segment.cache_clear()
    text = "Results are in #localelections2031"

    report = check(Draft(text=text, platform="x"), ELECTION)

    assert report.rules_flagged == {"pre_election", "hashtag_case"}
    assert (data.segment.cache_info().misses, data.segment.cache_info().hits) == (1, 1)


def test_outside_a_pre_election_period_nothing_is_political():
    assert found("Vote Labour in Thursday's election!", "pre_election") == []


# --- Banned and cautioned words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "banned", "excerpt"),
    [
        ("Rubbish collections are back to normal.", ("rubbish",), "Rubbish"),
        ("Please put RUBBISH in the black bin.", ("rubbish",), "RUBBISH"),
        ("Recycling is a no-brainer.", ("no-brainer",), "no-brainer"),
        ("Join the   service   users forum.", ("service users",), "service   users"),
        ("It's the council’s decision.", ("council's decision",), "council’s decision"),
        ("Tidy #rubbish up", ("rubbish",), "rubbish"),
    ],
)
def test_banned_words_are_errors_whole_word_any_case(text, banned, excerpt):
    [finding] = found(text, "banned_word", house=HouseRules(banned=banned))

    assert_span(text, finding, excerpt, "error")


@pytest.mark.parametrize(
    ("text", "banned"),
    [
        ("Our rubbishy weather continues.", ("rubbish",)),
        ("See kirkmoor.gov.uk/rubbish for bin days.", ("rubbish",)),
        ("Nothing banned here.", ("",)),
        ("Nothing banned here.", ()),
    ],
)
def test_banned_words_match_whole_words_outside_links(text, banned):
    assert found(text, "banned_word", house=HouseRules(banned=banned)) == []


@pytest.mark.parametrize("term", ["-", "'", "—", " - ", "!!", "...", "–", "&", "  "])
def test_house_terms_with_no_letter_or_digit_are_ignored(term):
    text = "Re-elect the team - it's great!! Don't miss it... A&E — open."
    house = HouseRules(banned=(term,), cautioned=(term,), sign_off=term)

    report = check(Draft(text=text, platform="x"), house)

    assert not report.rules_flagged & {"banned_word", "cautioned_word", "sign_off"}
    assert all(f.end > f.start for f in report.findings)


def test_house_terms_with_no_letter_or_digit_do_not_hide_the_others():
    house = HouseRules(banned=("-", "rubbish"), cautioned=("'", "utilise"))

    report = check(Draft(text="Rubbish - please utilise the bins.", platform="x"), house)

    assert [(f.rule, f.excerpt) for f in report.findings] == [("banned_word", "Rubbish"), ("cautioned_word", "utilise")]


@pytest.mark.parametrize("text", ["Stockton-on-Tees", "Stockton on Tees", "Stockton - on - Tees", "Stockton -on- Tees"])
def test_spaces_around_a_hyphen_in_a_phrase_match_any_spaces_or_hyphen(text):
    [finding] = found(f"Visit {text} today.", "banned_word", house=HouseRules(banned=("Stockton - on - Tees",)))

    assert finding.excerpt == text


def test_cautioned_words_are_warnings_and_phrases_work():
    text = "Going forward, residents can utilise the new booking system."
    house = HouseRules(cautioned=("utilise", "going forward"))

    findings = found(text, "cautioned_word", house=house)

    assert excerpts(findings) == ["Going forward", "utilise"]
    assert {f.severity for f in findings} == {"warning"}


def test_a_word_both_banned_and_cautioned_is_reported_once_as_banned():
    text = "Please utilise the bins."
    house = HouseRules(banned=("utilise",), cautioned=("utilise",))

    assert excerpts(found(text, "banned_word", house=house)) == ["utilise"]
    assert found(text, "cautioned_word", house=house) == []


def test_a_banned_word_that_is_also_text_speak_is_reported_once():
    text = "The fair was gr8."
    house = HouseRules(banned=("gr8",))

    assert excerpts(found(text, "banned_word", house=house)) == ["gr8"]
    assert found(text, "text_speak", house=house) == []


# --- Sign-off -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sign_off"),
    [
        ("Gritters are out tonight.", "^CS"),
        ("Gritters are out tonight. ^CS\n\nMore at kirkmoor.gov.uk", "^CS"),
        ("Gritters are out tonight. ^CSV", "^CS"),
        ("Parks are open. — Highways team", "— Parks team"),
    ],
)
def test_a_missing_sign_off_is_a_warning_about_the_whole_post(text, sign_off):
    [finding] = found(text, "sign_off", house=HouseRules(sign_off=sign_off))

    assert (finding.start, finding.end, finding.severity, finding.excerpt) == (0, len(text), "warning", "No sign-off")
    assert finding.whole
    assert finding.fix == f'End the post with "{sign_off}".'


@pytest.mark.parametrize(
    ("text", "sign_off"),
    [
        ("Gritters are out tonight. ^CS", "^CS"),
        ("Gritters are out tonight. ^cs  \n", "^CS"),
        ("Gritters are out tonight.\n\n— Parks   team", "— Parks team"),
        ("Gritters are out tonight.\n^CS 🌨️", "^CS"),
        ("Gritters are out tonight.", ""),
        ("Gritters are out tonight.", "   "),
        ("Gritters are out tonight.", "-"),  # no letter or digit: every post would seem to end with it
        ("Gritters are out tonight.", "— ~"),
    ],
)
def test_a_sign_off_on_the_last_line_is_enough(text, sign_off):
    assert found(text, "sign_off", house=HouseRules(sign_off=sign_off)) == []
