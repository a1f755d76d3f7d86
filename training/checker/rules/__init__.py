"""Every rule the checker runs, in the order the page explains their findings."""

from __future__ import annotations

from training.checker.model import ADVICE, ERROR, WARNING, Rule
from training.checker.rules.house import check_banned_word, check_cautioned_word, check_pre_election, check_sign_off
from training.checker.rules.length import check_length
from training.checker.rules.personal import check_email, check_ni_number, check_phone, check_postcode_name
from training.checker.rules.social import (
    check_alt_text,
    check_emoji_count,
    check_emoji_meaning,
    check_hashtag_case,
    check_hashtag_count,
    check_link_count,
)
from training.checker.rules.style import (
    check_all_caps,
    check_exclamations,
    check_long_sentence,
    check_readability,
    check_text_speak,
)

RULES: tuple[Rule, ...] = (
    Rule("length", "Too long for the platform", "Too long", check_length, ERROR),
    Rule("text_speak", "Text-speak and slang", "Text-speak", check_text_speak, WARNING),
    Rule("all_caps", "Words in capitals", "Shouting in capitals", check_all_caps, WARNING),
    Rule("exclamations", "Exclamation marks", "Too many exclamation marks", check_exclamations, WARNING),
    Rule("long_sentence", "Long sentences", "A sentence that is too long", check_long_sentence, ADVICE),
    Rule("readability", "Hard to read", "Hard to read", check_readability, ADVICE),
    Rule("hashtag_case", "Hashtags without capitals", "Hashtag without capitals", check_hashtag_case, WARNING),
    Rule("hashtag_count", "Too many hashtags", "Too many hashtags", check_hashtag_count, ADVICE),
    Rule("emoji_count", "Too many emoji", "Too many emoji", check_emoji_count, ADVICE),
    Rule("emoji_meaning", "Emoji in place of words", "Emoji instead of a word", check_emoji_meaning, WARNING),
    Rule("link_count", "Too many links", "Too many links", check_link_count, ADVICE),
    Rule("alt_text", "Image description (alt text)", "Missing alt text", check_alt_text, ERROR),
    Rule("email", "Email address", "An email address", check_email, ERROR),
    Rule("phone", "Phone number", "A phone number", check_phone, ERROR),
    Rule("ni_number", "National Insurance number", "A National Insurance number", check_ni_number, ERROR),
    Rule("postcode_name", "Name and address", "Someone's home address", check_postcode_name, ERROR),
    Rule("pre_election", "Pre-election period", "Political content before an election", check_pre_election, WARNING),
    Rule("banned_word", "Banned word", "A banned word", check_banned_word, ERROR),
    Rule("cautioned_word", "Word to use with care", "A word to use with care", check_cautioned_word, WARNING),
    Rule("sign_off", "Missing sign-off", "Missing sign-off", check_sign_off, WARNING),
)
