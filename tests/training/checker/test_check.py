"""``check()`` as the page and the quiz use it: what it refuses, what a report holds, how findings are ordered."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from training.checker import (
    MAX_DRAFT_CHARS,
    PLATFORMS,
    RULES,
    SEVERITIES,
    Draft,
    DraftError,
    Finding,
    HouseRules,
    Platform,
    Report,
    check,
)

RULE_CODES = [
    "length", "text_speak", "all_caps", "exclamations", "long_sentence", "readability", "hashtag_case",
    "hashtag_count", "emoji_count", "emoji_meaning", "link_count", "alt_text", "email", "phone", "ni_number",
    "postcode_name", "pre_election", "banned_word", "cautioned_word", "sign_off",
]  # fmt: skip


# --- Drafts it cannot check ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "platform", "message"),
    [
        ("", "x", "The draft is empty. Paste or type the post you want to check."),
        ("   \n\t ", "x", "The draft is only spaces. Paste or type the post you want to check."),
        ("\u200b\u200b", "x", "The draft is only spaces."),
        # Zero-width and other invisible characters, mixed with line breaks as a browser sends them.
        ("\u200b\n\u200b\n\u200b", "x", "The draft is only spaces."),
        ("\ufeff\r\n\u2060\r\n\u200d\u200c", "x", "The draft is only spaces."),
        ("\u00ad\u200e\u202a\ufe0f \u3164\u2800\t", "x", "The draft is only spaces."),
        ("\r\n\r\n", "x", "The draft is only spaces."),
        ("Hello", "myspace", "'myspace' is not a platform the checker knows. Choose one of: X (Twitter) ('x'),"),
        ("Hello", "", "'' is not a platform the checker knows."),
    ],
)
def test_it_refuses_drafts_it_cannot_check_and_says_what_to_do(text, platform, message):
    with pytest.raises(DraftError) as refused:
        check(Draft(text=text, platform=platform))

    assert str(refused.value).startswith(message)


def test_it_refuses_an_enormous_draft_with_its_size_and_the_cap():
    text = "word " * (MAX_DRAFT_CHARS // 5 + 1)

    with pytest.raises(DraftError, match=r"The draft is 20,005 characters; the checker takes up to 20,000\."):
        check(Draft(text=text, platform="facebook"))


def test_a_draft_at_the_cap_is_checked():
    report = check(Draft(text="a" * MAX_DRAFT_CHARS, platform="facebook"))

    assert report.length == MAX_DRAFT_CHARS


def test_the_cap_counts_line_breaks_as_one_character():
    # A browser sends \r\n for each line break; the writer sees one character.
    text = "ab\r\n" * 5_000  # 20,000 characters as sent, 15,000 as written

    assert check(Draft(text=text, platform="facebook")).length == 15_000


def test_a_draft_error_is_a_value_error():
    assert issubclass(DraftError, ValueError)


def test_platform_codes_are_forgiving_about_case_and_spaces():
    assert check(Draft(text="Hello", platform=" X ")).platform is PLATFORMS["x"]


# --- Line breaks --------------------------------------------------------------------------------------------


def test_windows_line_breaks_count_as_one_character():
    assert check(Draft(text="line\r\n" * 100, platform="instagram")).length == 500
    assert check(Draft(text="line\r" * 100, platform="instagram")).length == 500
    assert check(Draft(text="line\n" * 100, platform="instagram")).length == 500


def test_offsets_are_into_the_draft_with_its_line_breaks_made_newlines():
    text = "Bins are late.\r\nPls bear with us!!\r\r\nCall 07700 900461."

    report = check(Draft(text=text, platform="x"))

    assert report.text == "Bins are late.\nPls bear with us!!\n\nCall 07700 900461."
    assert [f.excerpt for f in report.findings] == ["Pls", "!!", "07700 900461"]
    for finding in report.findings:
        assert finding.excerpt == report.text[finding.start : finding.end]


def test_the_report_keeps_the_text_as_checked():
    assert check(Draft(text="Bins are late.", platform="x")).text == "Bins are late."


# --- The report ---------------------------------------------------------------------------------------------


def test_a_clean_post_gets_an_empty_report_with_its_length():
    report = check(Draft(text="The library is open until 8pm on Thursday.", platform="x"))

    assert report.findings == ()
    assert report.is_clear
    assert report.rules_flagged == set()
    assert (report.length, report.limit, report.platform) == (42, 280, PLATFORMS["x"])
    assert not report.over_limit


def test_the_report_sorts_findings_by_position_then_severity_and_offers_helpers():
    text = "PLS email jane.smith@gmail.com!! gr8"
    house = HouseRules(sign_off="^CS")

    report = check(Draft(text=text, platform="x"), house)

    # Same start, same severity: in the order the rules are explained.
    assert [(f.rule, f.excerpt) for f in report.findings] == [
        ("text_speak", "PLS"),
        ("all_caps", "PLS"),
        ("sign_off", "No sign-off"),
        ("email", "jane.smith@gmail.com"),
        ("exclamations", "!!"),
        ("text_speak", "gr8"),
    ]
    assert [f.rule for f in report.errors] == ["email"]
    assert len(report.warnings) == 5
    assert report.advice == []
    assert [f.excerpt for f in report.by_rule("text_speak")] == ["PLS", "gr8"]
    assert report.rules_flagged == {"sign_off", "text_speak", "all_caps", "email", "exclamations"}


def test_findings_at_the_same_place_put_errors_first():
    text = "Image attached"
    report = check(Draft(text=text, platform="x", image_attached=True), HouseRules(sign_off="^CS"))

    assert [(f.rule, f.severity) for f in report.findings] == [("alt_text", "error"), ("sign_off", "warning")]


def test_findings_about_the_whole_post_are_marked_whole():
    text = " ".join(["The authority's strategic commissioning framework facilitates collaborative arrangements."] * 4)

    report = check(Draft(text=text, platform="linkedin", image_attached=True), HouseRules(sign_off="^CS"))

    assert {f.rule for f in report.findings if f.whole} == {"readability", "alt_text", "sign_off"}
    for finding in report.findings:
        if finding.whole:
            assert (finding.start, finding.end) == (0, len(text))
        else:
            assert finding.end > finding.start


@pytest.mark.parametrize(("text", "rules"), [("GR8", {"text_speak", "all_caps"}), ("jane@gmail.com", {"email"})])
def test_a_finding_that_happens_to_cover_the_whole_draft_is_not_whole(text, rules):
    report = check(Draft(text=text, platform="x"))

    assert report.rules_flagged == rules
    for finding in report.findings:
        assert (finding.start, finding.end, finding.excerpt, finding.whole) == (0, len(text), text, False)


def test_every_span_is_exact_python_offsets():
    text = "Hi 👨‍👩‍👧‍👦 We ❤️ our parks!! Call 07700 900461 or email jo.bloggs@gmail.com #recyclingcentre"

    report = check(Draft(text=text, platform="bluesky"))

    assert report.findings
    for finding in report.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.excerpt == text[finding.start : finding.end]


def test_findings_never_repeat():
    text = "PLS PLS come 2 the fair!! We ❤️ it. #binday #binday #binday"

    report = check(Draft(text=text, platform="x"))

    keys = [(f.rule, f.start, f.end) for f in report.findings]
    assert len(keys) == len(set(keys))


def test_every_finding_explains_itself():
    text = "OMG!! Mrs Jones, 4 Elm Road, KM1 2AB, call 07700 900461. Vote! #recyclingcentre #a #b We ❤️ it. " * 2
    house = HouseRules(pre_election=True, banned=("vote",), sign_off="^CS")

    report = check(Draft(text=text, platform="x", image_attached=True), house)

    assert len(report.rules_flagged) >= 12
    for finding in report.findings:
        assert finding.severity in SEVERITIES
        assert finding.message
        assert finding.why
        assert finding.fix
        assert finding.message.rstrip().endswith((".", ")"))


# --- The interface other code builds on ---------------------------------------------------------------------


def test_rules_are_listed_in_the_order_findings_are_explained():
    assert [rule.code for rule in RULES] == RULE_CODES
    for rule in RULES:
        assert rule.title
        assert rule.quiz_label
        assert rule.severity in SEVERITIES
        assert inspect.getdoc(rule.check), f"{rule.code} needs a docstring saying why it matters"


def test_every_rule_takes_a_draft_house_rules_and_platform_and_returns_findings():
    draft = Draft(text="Nothing wrong here.", platform="x")

    for rule in RULES:
        assert rule.check(draft, HouseRules(), PLATFORMS["x"]) == []


def test_the_data_types_are_frozen_and_keep_their_fields():
    assert [f.name for f in dataclasses.fields(Draft)][:4] == ["text", "platform", "image_attached", "alt_text"]
    assert [f.name for f in dataclasses.fields(HouseRules)][:6] == [
        "banned", "cautioned", "sign_off", "allowed_contacts", "pre_election", "mastodon_limit",
    ]  # fmt: skip
    assert [f.name for f in dataclasses.fields(Finding)][:9] == [
        "rule", "severity", "start", "end", "excerpt", "message", "why", "fix", "whole",
    ]  # fmt: skip
    assert Finding("email", "error", 0, 1, "a", "m", "w", "f").whole is False
    assert [f.name for f in dataclasses.fields(Report)][:5] == ["findings", "length", "limit", "platform", "text"]
    assert HouseRules() == HouseRules(mastodon_limit=500)
    for kind in (Draft, HouseRules, Finding, Report, Platform):
        assert kind.__dataclass_params__.frozen
