"""Length: each platform's limit, counted the platform's own way."""

from __future__ import annotations

from training.checker.model import ERROR, Draft, Finding, HouseRules
from training.checker.platforms import Platform
from training.checker.rules.base import at, count, whole_post

# How each counting method differs from what people expect, for the message.
COUNTING_NOTES = {
    "weighted": " X counts every link as 23 and most emoji and Chinese, Japanese or Korean characters as 2.",
    "graphemes": " Bluesky counts each emoji as one character.",
    "mastodon": " Mastodon counts every link as 23.",
    "threads": " Threads counts each emoji as 4 or more.",
    "characters": "",
}


def check_length(draft: Draft, house: HouseRules, platform: Platform) -> list[Finding]:
    """A post over the platform's limit is refused or cut off, and the end (the date, the link) is what gets lost."""
    limit = platform.limit_for(house)
    measure = platform.measure(draft.text, limit)
    if measure.length <= limit:
        return []
    over = measure.length - limit
    message = f"{measure.length:,} of {limit:,} {platform.unit} on {platform.name}: {over:,} over the limit."
    why = (
        f"{platform.name} will not take a post over {limit:,} {platform.unit}, or cuts it off. The end of a post, "
        "often the date, the link or the sign-off, is what gets lost."
    )
    cut_at_least = f"Cut at least {count(over, platform.unit.removesuffix('s'))}."
    if measure.cut is None or measure.cut >= len(draft.text):
        # Over the limit with no part of the draft to point at (the count and the walk disagree): the whole post.
        return [
            whole_post(
                "length",
                ERROR,
                draft.text,
                excerpt=f"{over:,} over the limit",
                message=message + COUNTING_NOTES[platform.counting],
                why=why,
                fix=f"{cut_at_least} Move detail to a web page and link to it.",
            )
        ]
    return [
        at(
            "length",
            ERROR,
            draft.text,
            measure.cut,
            len(draft.text),
            message=message + COUNTING_NOTES[platform.counting],
            why=why,
            fix=f"{cut_at_least} The highlighted part is past the limit; move detail to a web page and link to it.",
        )
    ]
