"""Question text between the bank's plain text and the HTML that Moodle files carry.

The bank stores plain text and pages escape it, so HTML from a file is never
kept: tags are dropped, entities decoded, paragraphs and line breaks kept as
blank lines and new lines. A "spot the problem" question's sample post travels
inside the question text as ``<blockquote class="socialgov-sample-post">``
(with the platform and the pre-election flag as data attributes): Moodle shows
it as a quoted post, and reading the file back finds it and makes the question
a spot question again.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

SAMPLE_POST_CLASS = "socialgov-sample-post"

# Elements that start a new paragraph when HTML is read as text.
_BLOCKS = frozenset(
    {"p", "div", "blockquote", "ul", "ol", "table", "tr", "pre", "section", "article", "header", "footer"}
    | {"h1", "h2", "h3", "h4", "h5", "h6"}
)
# Elements whose content is never text for a reader.
_HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})
# XML 1.0 cannot carry these control characters at all.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class RichText:
    """Plain text read from HTML, and the sample post found in it, if any."""

    text: str
    sample_post: str | None = None
    platform: str = ""
    during_pre_election: bool = False


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.main: list[str] = []
        self.sample: list[str] | None = None
        self.attrs: dict[str, str] = {}
        self._sample_depth = 0  # blockquotes open inside the sample post
        self._hidden = 0
        self._pre = 0

    @property
    def _out(self) -> list[str]:
        return self.sample if self._sample_depth else self.main

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self._hidden += 1
            return
        if tag == "blockquote":
            classes = (dict(attrs).get("class") or "").split()
            if self._sample_depth:
                self._sample_depth += 1
            elif SAMPLE_POST_CLASS in classes and self.sample is None:
                self.main.append("\n\n")
                self.sample = []
                self.attrs = {name: value or "" for name, value in attrs}
                self._sample_depth = 1
                return
        if tag == "pre":
            self._pre += 1
        if tag in {"br", "li"}:
            self._out.append("\n")
        elif tag in _BLOCKS:
            self._out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
            return
        if tag == "pre":
            self._pre = max(self._pre - 1, 0)
        if tag == "blockquote" and self._sample_depth:
            self._sample_depth -= 1
            if not self._sample_depth:
                self.main.append("\n\n")
                return
        if tag in _BLOCKS:
            self._out.append("\n\n")

    def handle_data(self, data):
        if self._hidden:
            return
        self._out.append(data if self._pre else re.sub(r"\s+", " ", data))


def _tidy(pieces: list[str]) -> str:
    """Trimmed lines, at most one blank line between paragraphs, nothing around the whole."""
    lines = [line.strip() for line in "".join(pieces).replace("\xa0", " ").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(source: str) -> RichText:
    """The text a reader sees in ``source``, with a marked sample post taken out of it."""
    reader = _Reader()
    reader.feed(source)
    reader.close()
    if reader.sample is None:
        return RichText(text=_tidy(reader.main))
    flag = reader.attrs.get("data-pre-election", "").strip().lower()
    return RichText(
        text=_tidy(reader.main),
        sample_post=_tidy(reader.sample),
        platform=reader.attrs.get("data-platform", "").strip(),
        during_pre_election=flag in {"true", "1", "yes"},
    )


def plain_to_text(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


def read_text(source: str, text_format: str) -> RichText:
    """Plain text from a Moodle text field in any of its formats (html, moodle_auto_format, plain_text, markdown).

    Plain text and Markdown are kept as written; Moodle's own format is HTML in which a new line is a line break.
    """
    if text_format in {"plain_text", "markdown", "plain"}:
        return RichText(text=plain_to_text(source))
    if text_format in {"moodle_auto_format", "moodle"}:
        source = source.replace("\r\n", "\n").replace("\n", "<br>")
    return html_to_text(source)


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def text_to_html(text: str, *, paragraphs: bool = True) -> str:
    """Escaped HTML that ``html_to_text`` reads back as ``text``: paragraphs for blank lines, <br> for new lines."""
    text = xml_safe(text.replace("\r\n", "\n").strip())
    if not paragraphs:
        return html.escape(text).replace("\n", "<br>")
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "".join(f"<p>{html.escape(block).replace(chr(10), '<br>')}</p>" for block in blocks)


def question_html(text: str, sample_post: str = "", *, platform: str = "", during_pre_election: bool = False) -> str:
    """A question's text as HTML, with its sample post (if any) marked so it can be read back."""
    body = text_to_html(text)
    if not sample_post:
        return body
    attributes = f' data-platform="{html.escape(platform)}"' if platform else ""
    attributes += f' data-pre-election="{"true" if during_pre_election else "false"}"'
    return f'{body}<blockquote class="{SAMPLE_POST_CLASS}"{attributes}>{text_to_html(sample_post)}</blockquote>'
