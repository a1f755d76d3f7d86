"""Moodle XML question files: reading them into plain records, and writing the bank out as one.

Uploaded XML is parsed only through defusedxml's expat reader with document
types forbidden, so entity expansion ("billion laughs") and external
references are refused. The SAX reader's locator gives each element its line,
so every problem and every skipped question can be placed in the file.

Mapping: ``multichoice`` with ``<single>true</single>`` is single choice,
otherwise multiple choice (an option is correct when its fraction is above
0; for single choice, when it is 100). ``truefalse`` becomes a true-or-false
question with the options True and False. A ``category`` pseudo-question
sets the category of the questions after it to the last part of its path.
``generalfeedback`` is the explanation; ``hidden`` means not in use. Other
Moodle types have no equivalent here and are skipped, each reported.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import InputSource

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from training.interchange.records import (
    ParsedOption,
    ParsedQuestion,
    ParseResult,
    Problem,
    Skipped,
    category_from_path,
    category_path,
    check_question,
    question_label,
    question_name,
    true_is_right,
)
from training.interchange.richtext import question_html, read_text, text_to_html, xml_safe
from training.models import Question

# Moodle's other question types, named as its question bank names them.
UNSUPPORTED_TYPES = {
    "essay": "an essay question",
    "shortanswer": "a short-answer question",
    "numerical": "a numerical question",
    "matching": "a matching question",
    "match": "a matching question",
    "multianswer": "an embedded answers (cloze) question",
    "cloze": "an embedded answers (cloze) question",
    "description": "a description, not a question",
    "ddwtos": "a drag-and-drop into text question",
    "ddimageortext": "a drag-and-drop onto image question",
    "ddmarker": "a drag-and-drop markers question",
    "gapselect": "a select missing words question",
    "calculated": "a calculated question",
    "calculatedsimple": "a simple calculated question",
    "calculatedmulti": "a calculated multichoice question",
    "randomsamatch": "a random short-answer matching question",
    "random": "a random question",
    "ordering": "an ordering question",
}
# What Moodle assumes when a text has no format: HTML in which a new line is a line break.
DEFAULT_FORMAT = "moodle_auto_format"


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)

    @property
    def content(self) -> str:
        return "".join(self.pieces)

    def child(self, tag: str) -> _Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[_Element]:
        return [c for c in self.children if c.tag == tag]

    def text_of(self, tag: str) -> tuple[str, str] | None:
        """The ``<text>`` inside child ``tag``, with the child's format; None when there is no such child."""
        holder = self.child(tag)
        if holder is None:
            return None
        text = holder.child("text")
        return (text.content if text is not None else ""), holder.attrs.get("format", DEFAULT_FORMAT)


class _TreeBuilder(ContentHandler):
    """A small tree of the document, each element with its line; remembers which question was being read."""

    def __init__(self) -> None:
        super().__init__()
        self.locator = None
        self.root: _Element | None = None
        self.stack: list[_Element] = []
        self.questions = 0
        self.current_question: _Element | None = None

    def setDocumentLocator(self, locator):
        self.locator = locator

    @property
    def line(self) -> int:
        return self.locator.getLineNumber() if self.locator else 0

    def startElement(self, name, attrs):
        element = _Element(name, dict(attrs.items()), self.line)
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        if len(self.stack) == 1 and name == "question" and element.attrs.get("type") != "category":
            self.questions += 1
            self.current_question = element
        self.stack.append(element)

    def endElement(self, name):
        element = self.stack.pop()
        if element is self.current_question:
            self.current_question = None

    def characters(self, content):
        if self.stack:
            self.stack[-1].pieces.append(content)

    def where(self) -> str:
        """The question being read when the document broke, for the error message."""
        if self.current_question is None:
            return ""
        return question_label(_name_of(self.current_question), self.questions)


def _name_of(question: _Element) -> str:
    found = question.text_of("name")
    return " ".join(found[0].split()) if found else ""


def _read_tree(text: str, result: ParseResult) -> _Element | None:
    builder = _TreeBuilder()
    parser = make_parser()
    parser.forbid_dtd = True  # a question file needs no document type; refusing one refuses entity tricks too
    parser.setContentHandler(builder)
    source = InputSource()
    source.setCharacterStream(io.StringIO(text))  # already decoded as UTF-8: a declared encoding is ignored
    try:
        parser.parse(source)
    except DefusedXmlException:
        result.problems.append(
            Problem(
                "The file declares a document type or entities, which question files do not use: remove the "
                "<!DOCTYPE …> part.",
                builder.line or None,
                builder.where(),
            )
        )
        return None
    except SAXException as exc:
        line = exc.getLineNumber() if isinstance(exc, SAXParseException) else builder.line
        reason = exc.getMessage()
        if reason == "no element found" and builder.root is None:
            result.problems.append(Problem("The file has no XML in it: it should start with <quiz>.", line or None))
        else:
            result.problems.append(
                Problem(
                    f"The file is not well-formed XML: {reason}. Check the tags are closed and any HTML is "
                    "inside <![CDATA[ … ]]>.",
                    line or None,
                    builder.where(),
                )
            )
        return None
    return builder.root


def parse_moodle_xml(text: str) -> ParseResult:
    """Read a Moodle XML question file: the questions the bank can hold, those it skips, and every problem."""
    result = ParseResult()
    root = _read_tree(text, result)
    if root is None:
        return result
    if root.tag != "quiz":
        result.problems.append(
            Problem(f"This is not a Moodle XML question file: it starts with <{root.tag}>, not <quiz>.", root.line)
        )
        return result
    category: str | None = None
    number = 0
    for element in root.all("question"):
        kind = element.attrs.get("type", "").strip()
        if kind == "category":
            path = element.text_of("category")
            name, error = category_from_path(path[0] if path else "")
            if error:
                result.problems.append(Problem(error, element.line))
            category = name
            continue
        number += 1
        name = _name_of(element)
        label = question_label(name, number)
        if kind == "multichoice":
            question = _multichoice(element, number, name, result)
        elif kind == "truefalse":
            question = _truefalse(element, number, name, result)
        elif not kind:
            result.problems.append(
                Problem('It has no type: give it one, such as type="multichoice".', element.line, label)
            )
            continue
        else:
            what = UNSUPPORTED_TYPES.get(kind, f"a “{kind}” question")
            result.skipped.append(Skipped(label, element.line, f"It is {what}, which the question bank cannot hold."))
            continue
        if question is not None:
            question.category = category
            result.problems.extend(check_question(question))
            result.questions.append(question)
    return result


def _common(element: _Element, number: int, name: str) -> ParsedQuestion:
    text, text_format = element.text_of("questiontext") or ("", DEFAULT_FORMAT)
    read = read_text(text, text_format)
    feedback = element.text_of("generalfeedback")
    hidden = element.child("hidden")
    return ParsedQuestion(
        number=number,
        line=element.line,
        name=name,
        kind=Question.Kind.SINGLE,
        text=read.text,
        explanation=read_text(*feedback).text if feedback else "",
        sample_post=read.sample_post or "",
        platform=read.platform,
        during_pre_election=read.during_pre_election,
        is_active=hidden is None or hidden.content.strip().lower() not in {"1", "true"},
    )


def _fraction(answer: _Element, label: str, result: ParseResult) -> float | None:
    raw = answer.attrs.get("fraction", "0").strip() or "0"
    try:
        return float(raw)
    except ValueError:
        result.problems.append(Problem(f"An answer's fraction “{raw[:20]}” is not a number.", answer.line, label))
        return None


def _multichoice(element: _Element, number: int, name: str, result: ParseResult) -> ParsedQuestion | None:
    question = _common(element, number, name)
    single_tag = element.child("single")
    single = single_tag is None or single_tag.content.strip().lower() not in {"false", "0"}
    if question.sample_post:
        question.kind = Question.Kind.SPOT
    else:
        question.kind = Question.Kind.SINGLE if single else Question.Kind.MULTIPLE
    answers = []
    for answer in element.all("answer"):
        fraction = _fraction(answer, question.label, result)
        if fraction is None:
            return None
        text = answer.child("text")
        option_text = read_text(
            text.content if text is not None else "", answer.attrs.get("format", DEFAULT_FORMAT)
        ).text
        answers.append((option_text, fraction, answer.line))
    # Single choice: the answer worth full marks is right; Moodle's partial credit has no equivalent here.
    correct = (lambda f: f >= 99.99) if single and question.kind != Question.Kind.SPOT else (lambda f: f > 0)
    question.options = [ParsedOption(text, correct(fraction), line) for text, fraction, line in answers]
    return question


def _truefalse(element: _Element, number: int, name: str, result: ParseResult) -> ParsedQuestion | None:
    question = _common(element, number, name)
    question.kind = Question.Kind.TRUE_FALSE
    right: dict[str, tuple[bool, int]] = {}
    for answer in element.all("answer"):
        fraction = _fraction(answer, question.label, result)
        if fraction is None:
            return None
        text = answer.child("text")
        value = read_text(
            text.content if text is not None else "", answer.attrs.get("format", DEFAULT_FORMAT)
        ).text.lower()
        if value not in {"true", "false"}:
            result.problems.append(
                Problem(
                    f"A true-or-false answer must be true or false, not “{value[:30]}”.", answer.line, question.label
                )
            )
            return None
        right[value] = (fraction > 0, answer.line)
    if set(right) != {"true", "false"}:
        result.problems.append(Problem("It needs an answer for true and one for false.", element.line, question.label))
        return None
    question.options = [
        ParsedOption("True", right["true"][0], right["true"][1]),
        ParsedOption("False", right["false"][0], right["false"][1]),
    ]
    return question


# Writing.


def _text(value: str, *, indent: str) -> str:
    """A ``<text>`` element; HTML goes in CDATA, as Moodle writes it, so the file stays readable."""
    value = xml_safe(value)
    if ("<" in value or "&" in value) and "]]>" not in value:
        return f"{indent}<text><![CDATA[{value}]]></text>"
    return f"{indent}<text>{escape(value, quote=False)}</text>"


def _field(tag: str, value: str, *, indent: str) -> list[str]:
    return [f'{indent}<{tag} format="html">', _text(value, indent=indent + "  "), f"{indent}</{tag}>"]


def _answer(value: str, fraction: str, text_format: str) -> list[str]:
    return [
        f'    <answer fraction="{fraction}" format="{text_format}">',
        _text(value, indent="      "),
        '      <feedback format="html"><text></text></feedback>',
        "    </answer>",
    ]


def _multichoice_lines(question: Question, options: list) -> list[str]:
    several = question.allows_several
    correct = [o for o in options if o.is_correct]
    share = 100 / len(correct) if correct else 100
    lines = [
        f"    <single>{'false' if several else 'true'}</single>",
        "    <shuffleanswers>true</shuffleanswers>",
        "    <answernumbering>abc</answernumbering>",
    ]
    for option in options:
        # Several right answers share the marks and any wrong one loses them all, as the bank marks it.
        fraction = (_number(share) if several else "100") if option.is_correct else ("-100" if several else "0")
        lines += _answer(text_to_html(option.text, paragraphs=False), fraction, "html")
    return lines


def _number(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def _truefalse_lines(options: list) -> list[str]:
    right = "true" if true_is_right(options) else "false"
    lines = []
    for value in ("true", "false"):
        lines += _answer(value, "100" if value == right else "0", "moodle_auto_format")
    return lines


def export_moodle_xml(questions: Iterable[Question]) -> str:
    """The questions as a Moodle XML file, each category announced before its questions.

    Questions must come with their category and options loaded, ordered by category.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category_id = None
    for question in questions:
        if question.category_id != category_id:
            category_id = question.category_id
            lines += [
                '  <question type="category">',
                "    <category>",
                _text(category_path(question.category.name), indent="      "),
                "    </category>",
                '    <info format="html"><text></text></info>',
                "  </question>",
            ]
        options = list(question.options.all())
        kind = "truefalse" if question.kind == Question.Kind.TRUE_FALSE else "multichoice"
        body = question_html(
            question.text,
            question.sample_post if question.kind == Question.Kind.SPOT else "",
            platform=question.platform,
            during_pre_election=question.during_pre_election,
        )
        lines += [
            f'  <question type="{kind}">',
            "    <name>",
            _text(question_name(question.text), indent="      "),
            "    </name>",
            *_field("questiontext", body, indent="    "),
            *_field("generalfeedback", text_to_html(question.explanation), indent="    "),
            "    <defaultgrade>1</defaultgrade>",
            f"    <penalty>{'1' if kind == 'truefalse' else '0.3333333'}</penalty>",
            f"    <hidden>{'0' if question.is_active else '1'}</hidden>",
        ]
        lines += _truefalse_lines(options) if kind == "truefalse" else _multichoice_lines(question, options)
        lines.append("  </question>")
    lines.append("</quiz>")
    return "\n".join(lines) + "\n"
