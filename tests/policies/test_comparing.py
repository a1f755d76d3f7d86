"""Comparing two versions paragraph by paragraph, the way people read a policy."""

from __future__ import annotations

from policies.comparing import Block, Words, paragraphs, texts_compare

OLD = (
    "## Purpose\n\n"
    "We trust you to use social media at work.\n\n"
    "Ask the comms team if you are unsure.\n\n"
    "Report anything abusive to your manager."
)


def kinds(comparison) -> list[str]:
    return [block.kind for block in comparison.blocks]


def test_the_same_text_is_the_same():
    comparison = texts_compare(OLD, OLD)
    assert comparison.is_same
    assert (comparison.added, comparison.removed, comparison.changed) == (0, 0, 0)
    assert [block.text for block in comparison.blocks] == paragraphs(OLD)


def test_line_endings_and_extra_blank_lines_are_not_changes():
    """A text saved from Windows, or with an extra blank line, reads the same."""
    reformatted = OLD.replace("\n\n", "\r\n\r\n\r\n") + "\n\n"
    assert texts_compare(OLD, reformatted).is_same


def test_an_added_paragraph_is_marked_added():
    new = OLD + "\n\nDo not post during elections."
    comparison = texts_compare(OLD, new)
    assert not comparison.is_same
    assert kinds(comparison) == ["same", "same", "same", "same", "added"]
    assert comparison.blocks[-1] == Block("added", "Do not post during elections.")
    assert (comparison.added, comparison.removed, comparison.changed) == (1, 0, 0)


def test_a_removed_paragraph_is_marked_removed():
    new = OLD.replace("Ask the comms team if you are unsure.\n\n", "")
    comparison = texts_compare(OLD, new)
    assert kinds(comparison) == ["same", "same", "removed", "same"]
    assert comparison.blocks[2] == Block("removed", "Ask the comms team if you are unsure.")
    assert (comparison.added, comparison.removed, comparison.changed) == (0, 1, 0)


def test_an_edited_paragraph_shows_the_words_that_changed():
    new = OLD.replace("We trust you to use social media at work.", "We trust staff to use social media wisely at work.")
    comparison = texts_compare(OLD, new)
    assert kinds(comparison) == ["same", "changed", "same", "same"]
    assert comparison.changed == 1
    assert comparison.blocks[1].words == [
        Words("same", "We trust"),
        Words("removed", "you"),
        Words("added", "staff"),
        Words("same", "to use social media"),
        Words("added", "wisely"),
        Words("same", "at work."),
    ]


def test_a_rewritten_paragraph_is_a_removal_and_an_addition_not_an_edit():
    """When hardly a word survives, showing a word-by-word edit would be noise."""
    new = OLD.replace("Report anything abusive to your manager.", "Xylophones are banned in every office.")
    comparison = texts_compare(OLD, new)
    assert kinds(comparison) == ["same", "same", "same", "removed", "added"]
    assert comparison.blocks[3].text == "Report anything abusive to your manager."
    assert comparison.blocks[4].text == "Xylophones are banned in every office."


def test_an_edit_next_to_a_new_paragraph_is_still_shown_as_an_edit():
    new = OLD.replace(
        "Ask the comms team if you are unsure.",
        "Read the election guidance first.\n\nAsk the comms team if you are not sure.",
    )
    comparison = texts_compare(OLD, new)
    assert kinds(comparison) == ["same", "same", "added", "changed", "same"]
    assert comparison.blocks[2].text == "Read the election guidance first."
    changed = comparison.blocks[3].words
    assert Words("removed", "unsure.") in changed
    assert Words("added", "not sure.") in changed


def test_from_nothing_everything_is_added_and_to_nothing_everything_removed():
    assert kinds(texts_compare("", OLD)) == ["added"] * 4
    assert kinds(texts_compare(OLD, "")) == ["removed"] * 4
    assert texts_compare("", "").is_same
