"""Searching published documents, and the highlighted snippet shown with each result.

The suite runs on SQLite (the embedded default) and on PostgreSQL when
DATABASE_URL is set; search works differently on each (substring matching
on SQLite, full-text search with English stemming on PostgreSQL), so tests
here hold on both unless marked for one. A snippet goes into the page as
HTML, so the snippet tests parse it and allow only ``<mark>``.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from django.db import connection

from policies.models import Category, DocumentVersion
from policies.search import published_search, snippet
from policies.services import document_retire, draft_save, draft_start
from tests.policies.conftest import document_draft, publish_document, publish_new_version

pytestmark = pytest.mark.django_db

on_postgresql = connection.vendor == "postgresql"


class SnippetParser(HTMLParser):
    """The tags in a snippet, the marked words, and the text a reader sees."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.marked: list[str] = []
        self.text = ""
        self._in_mark = False
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_mark = tag == "mark"

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data):
        self.text += data
        if self._in_mark:
            self.marked.append(data)


def titles(query: str, **kwargs) -> list[str]:
    return [version.document.title for version in published_search(query, **kwargs)]


def body(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


# --- Finding ---------------------------------------------------------------------------


def test_a_document_is_found_by_its_title_its_summary_or_its_text(comms_lead):
    publish_document(comms_lead, title="Zebra crossings", summary="Where to cross.", body="Look both ways.")
    publish_document(comms_lead, title="Wildlife", summary="Kangaroos on the estate.", body="Stay calm.")
    publish_document(comms_lead, title="Office pets", summary="Which pets.", body=body("## Rules", "No platypus."))
    assert titles("zebra") == ["Zebra crossings"]
    assert titles("kangaroos") == ["Wildlife"]
    assert titles("platypus") == ["Office pets"]
    assert titles("giraffe") == []


def test_every_word_of_the_query_must_be_found(comms_lead):
    publish_document(comms_lead, title="Election guidance", body="Take care with posts during an election.")
    publish_document(comms_lead, title="Posting rules", body="Think before you post anything online.")
    assert titles("election posts") == ["Election guidance"]
    assert titles("election giraffe") == []


def test_a_match_in_the_title_ranks_above_matches_in_the_text(comms_lead):
    """Even when the other document mentions the word more often, and comes first alphabetically."""
    publish_document(comms_lead, title="Newsletter guide", summary="How we write.", body="Keep it short.")
    publish_document(comms_lead, title="Accessibility", summary="For everyone.",
                     body=body("Every newsletter must be accessible.", "Check each newsletter twice.",
                               "A newsletter has headings."))  # fmt: skip
    assert titles("newsletter") == ["Newsletter guide", "Accessibility"]


def test_drafts_are_never_searched(comms_lead):
    """Neither a document that was never published nor the unpublished draft of a published one."""
    document_draft(comms_lead, title="Purdah guidance", body="Purdah starts six weeks before polling day.")
    published = publish_document(comms_lead, title="Campaigns", body="How we run campaigns.")
    draft = draft_start(document=published, author=comms_lead)
    draft_save(version=draft, editor=comms_lead, body="How we run campaigns. Mind the purdah.", change="minor",
               what_changed="", revision=draft.revision)  # fmt: skip
    assert titles("purdah") == []
    assert titles("campaigns") == ["Campaigns"]


def test_retired_documents_and_superseded_text_are_not_searched(comms_lead):
    retired = publish_document(comms_lead, title="Fax machines", body="Send a fax to the press office.")
    document_retire(document=retired, actor=comms_lead, reason="Nobody has a fax.")
    assert titles("fax") == []

    document = publish_document(comms_lead, title="Contacting the press", body="Send a telegram.")
    publish_new_version(document, change="major", body="Send an email.", what_changed="Email, not telegrams.",
                        author=comms_lead)  # fmt: skip
    assert titles("telegram") == []
    [hit] = published_search("email")
    assert (hit.document.title, hit.number) == ("Contacting the press", "2.0")


def test_search_can_be_narrowed_to_a_category(comms_lead):
    publish_document(comms_lead, title="Spelling guidance", category=Category.GUIDANCE, body="Spelling matters.")
    publish_document(comms_lead, title="Spelling house style", category=Category.HOUSE_STYLE,
                     body="Spelling matters.")  # fmt: skip
    assert titles("spelling", category=Category.HOUSE_STYLE) == ["Spelling house style"]
    assert sorted(titles("spelling")) == ["Spelling guidance", "Spelling house style"]


@pytest.mark.parametrize("query", ["", "   ", "!!! ???"])
def test_a_query_without_words_finds_nothing(comms_lead, query):
    publish_document(comms_lead, title="Anything", body="Some text.")
    assert titles(query) == []


@pytest.mark.skipif(not on_postgresql, reason="English stemming is PostgreSQL full-text search")
def test_on_postgresql_a_word_finds_its_other_forms(comms_lead):
    """Stemming: "posting" finds "post" and "posts"; "policies" finds "policy"."""
    publish_document(comms_lead, title="Online conduct", body="Think before you post. Old posts stay online.")
    publish_document(comms_lead, title="Our rules", body="Read each policy carefully.")
    assert titles("posting") == ["Online conduct"]
    assert titles("policies") == ["Our rules"]
    [hit] = published_search("posting")
    assert SnippetParser(snippet(hit, "posting")).marked == ["post", "posts"]


# --- Snippets -----------------------------------------------------------------------------


def test_the_snippet_marks_the_words_searched_for(comms_lead):
    publish_document(comms_lead, title="Social media policy",
                     body=body("## Rules", "Think before you post. Ask the comms team if unsure."))  # fmt: skip
    [hit] = published_search("post")
    fragment = snippet(hit, "post")
    parsed = SnippetParser(fragment)
    assert parsed.tags == ["mark"]
    assert parsed.marked == ["post"]
    assert "Think before you <mark>post</mark>" in fragment


HOSTILE_BODY = body(
    "Never write <b>bold</b> claims in a post.",
    'Do not paste <script>alert("post")</script> or <img src=x onerror=alert(1)> into a post either.',
)


@pytest.mark.parametrize("query", ["post", "claims", "bold alert"])
def test_document_text_never_becomes_markup_in_the_snippet(comms_lead, query):
    """Whatever the document says, the only element in a snippet is our own mark."""
    publish_document(comms_lead, title="Pasting from elsewhere", body=HOSTILE_BODY)
    [hit] = published_search(query)
    fragment = snippet(hit, query)
    parsed = SnippetParser(fragment)
    assert set(parsed.tags) == {"mark"}
    assert "<script" not in fragment
    assert "<b>" not in fragment
    assert "<img" not in fragment


@pytest.mark.parametrize("typed", ["<b>post</b>", "post <script>", '"><img src=x onerror=alert(1)>'])
def test_markup_typed_into_the_search_box_never_becomes_markup_in_the_snippet(comms_lead, typed):
    publish_document(comms_lead, title="Pasting from elsewhere", body=HOSTILE_BODY)
    [hit] = published_search("post")
    fragment = snippet(hit, typed)
    assert set(SnippetParser(fragment).tags) <= {"mark"}
    assert "<b>" not in fragment
    assert "<img" not in fragment


def test_html_looking_text_in_a_document_is_shown_escaped_in_the_snippet(comms_lead):
    publish_document(comms_lead, title="Pasting from elsewhere", body=HOSTILE_BODY)
    [hit] = published_search("claims")
    fragment = snippet(hit, "claims")
    # Where the extract starts differs (ts_headline picks its own window), but tags are words, escaped.
    assert "<mark>claims</mark>" in fragment
    assert "&lt;script&gt;alert(&quot;post&quot;)&lt;/script&gt;" in fragment
    assert '<script>alert("post")</script>' in SnippetParser(fragment).text


def test_a_long_text_is_cut_around_the_first_match(comms_lead):
    """The snippet without full-text search (SQLite, or a version loaded without a headline)."""
    filler = " ".join(f"word{n}" for n in range(200))
    document = publish_document(
        comms_lead, title="Long", body=f"{filler} the needle is here. {filler.replace('word', 'after')}"
    )
    version = DocumentVersion.objects.get(pk=document.current_version_id)
    fragment = snippet(version, "needle")
    parsed = SnippetParser(fragment)
    assert parsed.marked == ["needle"]
    assert parsed.text.startswith("…")
    assert parsed.text.endswith("…")
    assert len(parsed.text) <= 222  # the extract and its two ellipses
    assert "word0 " not in parsed.text


@pytest.mark.parametrize(("text", "query"), [("Q&A sessions are recorded.", "Q&A"),
                                             ("Staff discounts at M&S are not a perk.", "M&S")])  # fmt: skip
def test_a_query_with_an_ampersand_marks_words_without_breaking_the_text(comms_lead, text, query):
    document = publish_document(comms_lead, title="Perks", body=text)
    version = DocumentVersion.objects.get(pk=document.current_version_id)
    fragment = snippet(version, query)
    assert SnippetParser(fragment).text == html.unescape(version.body_text)
    assert "&<mark>" not in fragment
