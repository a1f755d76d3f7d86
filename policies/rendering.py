"""Markdown to safe HTML, once, when an author saves.

Authors write CommonMark (with tables and strikethrough). Raw HTML in the
source is shown as text, and the rendered HTML then goes through nh3 (the
Ammonia sanitiser) with a short allow-list, so neither a careless paste nor a
hostile author can put script, event handlers, ``javascript:`` links or
frames in front of staff. Headings get ids so sections can be linked to and
listed as a table of contents.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol",
    "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# A document's own "#" links and site-relative links are allowed; nh3 keeps
# relative URLs by default.

# Headings listed in the table of contents.
CONTENTS_LEVELS = (2, 3)
# A table of contents is shown once a document has this many sections.
CONTENTS_FROM = 3


def _slug(text: str) -> str:
    # Prefixed, so a section called "Navigation" or "Main content" never takes an id the page layout uses.
    return f"section-{slugify(text) or 'untitled'}"


_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    .use(anchors_plugin, min_level=CONTENTS_LEVELS[0], max_level=CONTENTS_LEVELS[-1], slug_func=_slug)
)


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str
    contents: list[Heading]

    @property
    def contents_json(self) -> list[dict]:
        return [{"level": h.level, "id": h.id, "text": h.text} for h in self.contents]


def markdown_render(source: str) -> Rendered:
    """Render an author's Markdown to sanitised HTML, plain text for search, and its headings."""
    env: dict = {}
    tokens = _markdown.parse(source, env)
    contents = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and int(token.tag[1]) in CONTENTS_LEVELS:
            inline = tokens[index + 1]
            text = "".join(child.content for child in inline.children or [] if child.type in {"text", "code_inline"})
            contents.append(Heading(level=int(token.tag[1]), id=str(token.attrGet("id")), text=text))
    raw = _markdown.renderer.render(tokens, _markdown.options, env)
    safe = sanitise(raw)
    return Rendered(html=safe, text=plain_text(safe), contents=contents)


def sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(fragment: str) -> str:
    """The words of a rendered fragment, for search and snippets."""
    return " ".join(html.unescape(nh3.clean(fragment, tags=set())).split())
