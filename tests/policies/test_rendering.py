"""Markdown to safe HTML: headings with ids and a table of contents, tables, and no way to inject script.

The rendered HTML is shown to every member of staff with ``|safe``, so the
XSS tests parse it (``html.parser``) and check every element and attribute
against a short allow-list, rather than only looking for substrings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.template.loader import get_template

from policies.rendering import markdown_render, sanitise
from tests.policies.xss_payloads import XSS_PAYLOADS

# What a reader may be sent, written out here rather than imported, so widening the allow-list fails a test.
SAFE_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol",
    "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {"a": {"href", "title", "rel"}, "abbr": {"title"}, "h2": {"id"}, "h3": {"id"}, "ol": {"start"}}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
DANGEROUS_TAGS = ("<script", "<iframe", "<object", "<embed", "<style", "<svg", "<img", "<math", "<form",
                  "<meta", "<base", "<input", "<body", "<details", "<xss", "<!--")  # fmt: skip
# WHATWG URL parsing removes tabs and newlines anywhere and C0 controls and spaces at either end.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_EDGES = "".join(chr(c) for c in range(0x21))
_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


@dataclass(frozen=True)
class Element:
    tag: str
    attributes: list[tuple[str, str | None]]
    source: str


class Inspector(HTMLParser):
    """Every element, comment and declaration in a fragment, with attribute values unescaped."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.others: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append(Element(tag, attrs, self.get_starttag_text() or ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.others.append(f"comment: {data}")

    def handle_decl(self, decl):
        self.others.append(f"declaration: {decl}")

    def handle_pi(self, data):
        self.others.append(f"processing instruction: {data}")

    def unknown_decl(self, data):
        self.others.append(f"declaration: {data}")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url``, lower case, or None for a relative URL."""
    cleaned = _URL_IGNORED.sub("", url).strip(_URL_EDGES)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def problems_in(fragment: str) -> list[str]:
    """Everything in ``fragment`` that could run script or load something; empty when it is safe."""
    found = [f"contains {needle}" for needle in DANGEROUS_TAGS if needle in fragment.lower()]
    inspector = Inspector(fragment)
    found += inspector.others
    for element in inspector.elements:
        if element.tag not in SAFE_TAGS:
            found.append(f"element {element.source}")
        # Quoted values are data (a title may say "onclick="); a handler is an attribute name outside them.
        unquoted = _QUOTED.sub('""', element.source)
        if re.search(r"\son\w+\s*=", unquoted, re.IGNORECASE):
            found.append(f"event handler in {element.source}")
        for name, value in element.attributes:
            if name not in SAFE_ATTRIBUTES.get(element.tag, set()):
                found.append(f"attribute {name} in {element.source}")
            if name == "href" and value is not None:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"{scheme}: link in {element.source}")
                if "javascript:" in value.lower() or "vbscript:" in value.lower():
                    found.append(f"script URL in {element.source}")
            if name == "rel" and value != "noopener noreferrer":
                found.append(f"rel={value!r} in {element.source}")
    return found


# --- The checker itself ----------------------------------------------------------------


@pytest.mark.parametrize(
    "fragment",
    [
        "<p><script>alert(1)</script></p>",
        '<p><img src="x" onerror="alert(1)"></p>',
        '<p><a href="java&#x09;script:alert(1)">x</a></p>',
        '<p><a href=" JaVaScRiPt:alert(1)">x</a></p>',
        '<p><a href="data:text/html,hi">x</a></p>',
        '<p data-x="1" onclick="alert(1)">x</p>',
        '<p style="color:red">x</p>',
        "<iframe></iframe>",
    ],
)
def test_the_checker_catches_what_it_looks_for(fragment):
    """A checker that finds nothing proves nothing: it must flag each of these."""
    assert problems_in(fragment)


def test_the_checker_passes_ordinary_output():
    fragment = markdown_render("## Why\n\nRead [the guide](https://example.org/guide) or [mail us](mailto:a@b.c).").html
    assert problems_in(fragment) == []


# --- Hostile text -----------------------------------------------------------------------


def test_the_corpus_is_big_enough():
    assert len(XSS_PAYLOADS) >= 25
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_markdown_renders_safe(payload):
    rendered = markdown_render(payload)
    assert problems_in(rendered.html) == []
    assert "<script" not in rendered.html.lower()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_sanitiser_alone_makes_hostile_html_safe(payload):
    """Defence in depth: even if Markdown ever passed raw HTML through, the sanitiser would clean it."""
    assert problems_in(sanitise(payload)) == []


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_text_in_a_longer_document_renders_safe(payload):
    """The same text in the middle of an ordinary document, where lists and tables can change how it parses."""
    source = f"## Rules\n\n- First rule\n- {payload}\n\n| A | B |\n|---|---|\n| {payload} | x |\n\n{payload}\n"
    assert problems_in(markdown_render(source).html) == []


def test_raw_html_is_shown_as_text_not_dropped():
    """An author who pastes HTML sees it, escaped, so they can fix it; nothing silently disappears."""
    rendered = markdown_render('Use <a href="javascript:alert(1)">this</a> and <script>alert(1)</script>.')
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "&lt;a href=" in rendered.html
    assert rendered.text == 'Use <a href="javascript:alert(1)">this</a> and <script>alert(1)</script>.'


def test_a_javascript_markdown_link_is_left_as_text():
    html = markdown_render("[click](javascript:alert(1))").html
    assert [e.tag for e in Inspector(html).elements] == ["p"]
    assert "[click](javascript:alert(1))" in html


def test_safe_links_are_kept_and_open_nothing_behind_the_reader():
    html = markdown_render(
        '[Guide](https://example.org/guide "The guide"), [mail](mailto:comms@glenmorven.gov.uk), '
        "[call](tel:+441234567890), [rules](#rules) and [home](/policies/)."
    ).html
    links = [dict(e.attributes) for e in Inspector(html).elements if e.tag == "a"]
    assert [link["href"] for link in links] == [
        "https://example.org/guide",
        "mailto:comms@glenmorven.gov.uk",
        "tel:+441234567890",
        "#rules",
        "/policies/",
    ]
    assert links[0]["title"] == "The guide"
    assert {link["rel"] for link in links} == {"noopener noreferrer"}


def test_images_are_not_shown():
    """``img`` is not on the allow-list: a Markdown image is dropped rather than loaded from anywhere."""
    html = markdown_render("Before ![a chart](https://example.org/chart.png) after").html
    assert "<img" not in html
    assert "Before" in html
    assert "after" in html


# --- Headings and contents ---------------------------------------------------------------


def test_level_two_and_three_headings_get_ids_and_make_the_contents():
    rendered = markdown_render(
        "## Why we have a policy\n\nText.\n\n### Who it is *for*\n\nText.\n\n#### Small print\n\nText.\n\n"
        "## `Code` & more\n\nText."
    )
    assert [(h.level, h.id, h.text) for h in rendered.contents] == [
        (2, "section-why-we-have-a-policy", "Why we have a policy"),
        (3, "section-who-it-is-for", "Who it is for"),
        (2, "section-code-more", "Code & more"),
    ]
    assert rendered.contents_json[0] == {
        "level": 2,
        "id": "section-why-we-have-a-policy",
        "text": "Why we have a policy",
    }
    headings = [e for e in Inspector(rendered.html).elements if e.tag in {"h2", "h3", "h4"}]
    assert [(e.tag, dict(e.attributes).get("id")) for e in headings] == [
        ("h2", "section-why-we-have-a-policy"),
        ("h3", "section-who-it-is-for"),
        ("h4", None),
        ("h2", "section-code-more"),
    ]
    assert '<h3 id="section-who-it-is-for">Who it is <em>for</em></h3>' in rendered.html


def test_repeated_headings_get_different_ids():
    """Each contents link must go to its own section."""
    rendered = markdown_render("## Contacts\n\nA.\n\n## Contacts\n\nB.\n\n## ???\n\nC.")
    ids = [h.id for h in rendered.contents]
    assert ids == ["section-contacts", "section-contacts-1", "section-untitled"]
    for heading_id in ids:
        assert f'id="{heading_id}"' in rendered.html


def test_a_level_one_heading_does_not_become_a_second_page_title():
    """The page has its own h1 (the document's title); a '#' heading in the text stays as words."""
    rendered = markdown_render("# Big title\n\nText.")
    assert "<h1" not in rendered.html
    assert "Big title" in rendered.text
    assert rendered.contents == []


def test_heading_ids_never_clash_with_the_ids_of_the_document_page():
    page_ids = set()
    for name in ("base.html", "policies/document_detail.html"):
        source = get_template(name).template.source
        page_ids |= set(re.findall(r'(?<![\w-])id="([a-z][a-z0-9-]*)"', source))
    assert {"main-content", "navigation"} <= page_ids
    source = "\n\n".join(f"## {page_id.replace('-', ' ').capitalize()}\n\nText." for page_id in sorted(page_ids))
    heading_ids = {heading.id for heading in markdown_render(source).contents}
    assert heading_ids.isdisjoint(page_ids), sorted(heading_ids & page_ids)


# --- Tables, lists and plain text ---------------------------------------------------------


def test_tables_render_with_a_header_and_body():
    html = markdown_render("| Role | Who |\n|------|:---:|\n| Approver | A comms lead |\n| Owner | Anyone named |").html
    elements = Inspector(html).elements
    assert [e.tag for e in elements] == [
        "table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td", "tr", "td", "td",
    ]  # fmt: skip
    assert "<th>Role</th>" in html
    assert "<td>A comms lead</td>" in html
    # Column alignment arrives as a style attribute, which is never allowed through.
    assert all(not e.attributes for e in elements)
    assert problems_in(html) == []


def test_lists_emphasis_strikethrough_and_code_survive():
    html = markdown_render("3. Third\n4. Fourth\n\n**Must**, *should*, ~~could~~ and `code`.\n\n> Quoted.").html
    assert '<ol start="3">' in html
    for fragment in ("<strong>Must</strong>", "<em>should</em>", "<s>could</s>", "<code>code</code>",
                     "<blockquote>"):  # fmt: skip
        assert fragment in html


def test_plain_text_for_search_has_the_words_without_markup():
    rendered = markdown_render(
        "## Rules\n\nUse **plain** English & [short](https://example.org) words.\n\n- One\n- Two"
    )
    assert rendered.text == "Rules Use plain English & short words. One Two"
