"""GIFT question files (Moodle's plain-text format): reading them into plain records, and writing the bank out.

A file is a series of items separated by blank lines; lines starting with
``//`` are comments. An item is ``$CATEGORY: path`` or a question:
``::name::[format]text{answers}``. Inside the answers ``=`` marks a right
answer and ``~`` a wrong one, ``~%50%`` gives a weight, ``#`` starts an
answer's feedback and ``####`` the general feedback; ``{T}``, ``{TRUE}``,
``{F}`` and ``{FALSE}`` are true-or-false. ``\\~ \\= \\# \\{ \\} \\: \\\\``
are the characters themselves and ``\\n`` a new line.

As Moodle reads it, a question whose answers contain ``=`` is single choice
(right: the answers worth 100%); one with only ``~`` answers and weights is
multiple choice (right: the answers with a positive weight). Short answer
(``{=a =b}``), numerical (``{#…}``), matching (``{=a -> b}``), essay
(``{}``) and items with no answers are skipped, each reported. Text after the
answers (Moodle's "missing word" form) is kept, with the gap shown as _____.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

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
from training.interchange.richtext import question_html, read_text, text_to_html
from training.models import Question

# An escaped character is held as a private-use character while the item is read, as Moodle holds it as
# "&&058;" and the like, so markup can be found with plain string searches and never matches an escaped one.
_HELD = {char: chr(0xE000 + index) for index, char in enumerate("\\~=#{}:n")}
_RELEASE = str.maketrans({held: ("\n" if char == "n" else char) for char, held in _HELD.items()})
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_SPACE = re.compile(r"\s+")
_MARKER = re.compile(r"[~=]")
_FORMATS = {"html": "html", "moodle": "moodle", "plain": "plain", "markdown": "markdown"}
_WEIGHT = re.compile(r"\s*%\s*(-?\d+(?:\.\d+)?)\s*%")
_TRUE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
GAP = "_____"


class _Item:
    """One item's text with its escapes held aside, and the line of the file each part comes from.

    Markup is only ever looked for among unescaped characters, so ``\\{`` never opens an answer section.
    """

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        parts: list[str] = []
        self.starts: list[int] = []
        self.numbers: list[int] = []
        offset = 0
        for number, line in lines:
            held = _ESCAPE.sub(lambda match: _HELD[match.group(1)], line) + "\n"
            self.starts.append(offset)
            self.numbers.append(number)
            parts.append(held)
            offset += len(held)
        self.source = "".join(parts)
        self.first_line = lines[0][0]

    def __len__(self) -> int:
        return len(self.source)

    def line(self, position: int) -> int:
        return self.numbers[max(bisect.bisect_right(self.starts, position) - 1, 0)]

    def at(self, position: int, markup: str) -> bool:
        """Whether unescaped ``markup`` starts at ``position``."""
        return self.source.startswith(markup, position)

    def find(self, markup: str, start: int, end: int | None = None) -> int:
        return self.source.find(markup, start, len(self.source) if end is None else end)

    def skip_space(self, position: int, end: int | None = None) -> int:
        end = len(self.source) if end is None else end
        while position < end and self.source[position].isspace():
            position += 1
        return position

    def text(self, start: int, end: int) -> str:
        """The characters as text: runs of unescaped white space (new lines included) become one space."""
        return _SPACE.sub(" ", self.source[start:end]).strip(" ").translate(_RELEASE)

    def markers(self, start: int, end: int) -> list[int]:
        return [match.start() for match in _MARKER.finditer(self.source, start, end)]


def _items(text: str) -> list[list[tuple[int, str]]]:
    """Items as lists of (line number, line): blank lines separate them; comment lines are dropped."""
    items: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if current:
                items.append(current)
                current = []
        elif not stripped.startswith("//"):
            current.append((number, line))
    if current:
        items.append(current)
    return items


class _Reader:
    def __init__(self) -> None:
        self.result = ParseResult()
        self.category: str | None = None
        self.number = 0

    def problem(self, message: str, line: int | None, label: str = "") -> None:
        self.result.problems.append(Problem(message, line, label))

    def item(self, lines: list[tuple[int, str]]) -> None:
        head = lines[0][1].lstrip()
        if head.startswith("$CATEGORY:"):
            name, error = category_from_path(head[len("$CATEGORY:") :])
            if error:
                self.problem(error, lines[0][0])
            self.category = name
            # Moodle wants a blank line after the category; a question straight after it is read all the same.
            lines = lines[1:]
            if not lines:
                return
        self.question(_Item(lines))

    def question(self, item: _Item) -> None:
        self.number += 1
        line = item.first_line
        position = item.skip_space(0)
        name = ""
        if item.at(position, "::"):
            close = item.find("::", position + 2)
            if close == -1:
                self.problem(
                    "Its name starts with :: but is not closed with ::.", line, question_label("", self.number)
                )
                return
            name = " ".join(item.text(position + 2, close).split())
            position = item.skip_space(close + 2)
        label = question_label(name, self.number)
        text_format = "moodle"
        if item.at(position, "["):
            close = item.find("]", position + 1)
            word = item.text(position + 1, close).lower() if close != -1 else ""
            if word in _FORMATS:
                text_format = _FORMATS[word]
                position = close + 1

        braces = self.answer_braces(item, position, label)
        if braces is None:
            return
        opening, closing = braces
        before, after = item.text(position, opening), item.text(closing + 1, len(item))
        text = f"{before} {GAP} {after}".strip() if after else before
        read = read_text(text, text_format)
        start, end = opening + 1, closing
        explanation = ""
        general = item.find("####", start, end)
        if general != -1:
            explanation = read_text(item.text(general + 4, end), text_format).text
            end = general
        start = item.skip_space(start, end)
        answers = item.text(start, end)

        has_wrong = item.find("~", start, end) != -1
        unsupported = ""
        if not answers:
            unsupported = "an essay question"
        elif item.at(start, "#"):
            unsupported = "a numerical question"
        elif not has_wrong and item.find("=", start, end) != -1 and item.find("->", start, end) != -1:
            unsupported = "a matching question"
        elif not has_wrong and _true_false(item, start, end) is None:
            unsupported = "a short-answer question"
        if unsupported:
            self.result.skipped.append(
                Skipped(label, line, f"It is {unsupported}, which the question bank cannot hold.")
            )
            return
        question = ParsedQuestion(
            number=self.number,
            line=line,
            name=name,
            kind=Question.Kind.SINGLE,
            text=read.text,
            explanation=explanation,
            category=self.category,
            sample_post=read.sample_post or "",
            platform=read.platform,
            during_pre_election=read.during_pre_election,
        )
        if has_wrong:
            if not self.choices(item, start, end, question, text_format):
                return
        else:
            true = bool(_true_false(item, start, end))
            question.kind = Question.Kind.TRUE_FALSE
            question.options = [ParsedOption("True", true, line), ParsedOption("False", not true, line)]
        self.result.problems.extend(check_question(question))
        self.result.questions.append(question)

    def answer_braces(self, item: _Item, position: int, label: str) -> tuple[int, int] | None:
        """Where the one pair of { } holding the answers is; None when there is none (noted as why)."""
        opening = item.find("{", position)
        closing = item.find("}", position)
        if opening == -1:
            if closing != -1:
                self.problem("There is a } with no { before it.", item.line(closing), label)
            else:
                self.result.skipped.append(
                    Skipped(label, item.first_line, "It has no answers in { }: it is a description, not a question.")
                )
            return None
        if closing != -1 and closing < opening:
            self.problem("There is a } before the { that opens the answers.", item.line(closing), label)
            return None
        closing = item.find("}", opening + 1)
        nested = item.find("{", opening + 1, closing if closing != -1 else None)
        if nested != -1:
            self.problem(
                f"A second {{ opens on line {item.line(nested)} before the {{ on line {item.line(opening)} is "
                "closed with }. Write \\{ for a brace that is part of the text.",
                item.line(nested),
                label,
            )
            return None
        if closing == -1:
            self.problem("The { that opens the answers is never closed with }.", item.line(opening), label)
            return None
        extra = min((p for p in (item.find("{", closing + 1), item.find("}", closing + 1)) if p != -1), default=-1)
        if extra != -1:
            self.problem(
                "There is more than one set of { } in it: a question has one set of answers. Write \\{ and \\} "
                "for braces that are part of the text.",
                item.line(extra),
                label,
            )
            return None
        return opening, closing

    def choices(self, item: _Item, start: int, end: int, question: ParsedQuestion, text_format: str) -> bool:
        """Read ``~`` and ``=`` answers into the question's options; False (with the problem noted) if unreadable."""
        markers = item.markers(start, end)
        if markers[0] != start:
            self.problem(
                f"There is text before its first answer: “{item.text(start, markers[0])[:30]}”. Start each answer "
                "with ~ or =.",
                item.line(start),
                question.label,
            )
            return False
        single = any(item.source[p] == "=" for p in markers)
        if question.sample_post:
            question.kind, single = Question.Kind.SPOT, False
        else:
            question.kind = Question.Kind.SINGLE if single else Question.Kind.MULTIPLE
        for index, marker in enumerate(markers):
            stop = markers[index + 1] if index + 1 < len(markers) else end
            feedback = item.find("#", marker + 1, stop)
            answer = item.text(marker + 1, feedback if feedback != -1 else stop)
            fraction = 100.0 if item.source[marker] == "=" else 0.0
            if answer.lstrip().startswith("%"):
                weight = _WEIGHT.match(answer)
                if weight is None:
                    self.problem(
                        f"The weight at the start of “{answer[:30]}” is not a percentage such as %50% or %-100%.",
                        item.line(marker),
                        question.label,
                    )
                    return False
                fraction = float(weight.group(1))
                answer = answer[weight.end() :]
            right = fraction >= 99.99 if single else fraction > 0
            question.options.append(ParsedOption(read_text(answer, text_format).text, right, item.line(marker)))
        return True


def _true_false(item: _Item, start: int, end: int) -> bool | None:
    """True or False for ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}`` (feedback after # aside); None for anything else."""
    feedback = item.find("#", start, end)
    return _TRUE.get(item.text(start, feedback if feedback != -1 else end).upper())


def parse_gift(text: str) -> ParseResult:
    """Read a GIFT file: the questions the bank can hold, those it skips, and every problem."""
    reader = _Reader()
    for lines in _items(text.replace("\r\n", "\n").replace("\r", "\n")):
        reader.item(lines)
    return reader.result


# Writing.


def escape(text: str) -> str:
    """Text made safe inside GIFT: its markup characters escaped, new lines written as \\n."""
    text = text.replace("\r\n", "\n").replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _question_lines(question: Question, name: str) -> list[str]:
    options = list(question.options.all())
    spot = question.kind == Question.Kind.SPOT
    if spot:
        # The sample post needs HTML to be recognised, so a spot question (and its options) is written as HTML.
        head = f"::{escape(name)}::[html]" + escape(
            question_html(
                question.text,
                question.sample_post,
                platform=question.platform,
                during_pre_election=question.during_pre_election,
            )
        )
    else:
        head = f"::{escape(name)}::[plain]{escape(question.text)}"

    def option_text(option) -> str:
        return escape(text_to_html(option.text, paragraphs=False) if spot else option.text)

    explanation = ""
    if question.explanation.strip():
        explanation = escape(text_to_html(question.explanation) if spot else question.explanation.strip())
    if question.kind == Question.Kind.TRUE_FALSE:
        answer = "TRUE" if true_is_right(options) else "FALSE"
        return [f"{head}{{{answer}{'####' + explanation if explanation else ''}}}"]
    lines = [head + "{"]
    if question.allows_several:
        # Several right answers share the marks and any wrong one loses them all, as the bank marks it.
        right = sum(option.is_correct for option in options) or 1
        for option in options:
            weight = _weight(100 / right) if option.is_correct else "-100"
            lines.append(f"\t~%{weight}%{option_text(option)}")
    else:
        for option in options:
            marker = "=" if option.is_correct else "~"
            if option.text.lstrip().startswith("%"):
                marker += "%100%" if option.is_correct else "%0%"  # so the text's own % is not read as a weight
            lines.append(f"\t{marker}{option_text(option)}")
    if explanation:
        lines.append(f"\t####{explanation}")
    lines.append("}")
    return lines


def export_gift(questions: Iterable[Question]) -> str:
    """The questions as a GIFT file, each category announced before its questions.

    Questions must come with their category and options loaded, ordered by category.
    """
    lines = [
        "// Question bank exported from SocialGov in GIFT format.",
        '// Spot-the-problem questions carry their sample post in <blockquote class="socialgov-sample-post">.',
        "",
    ]
    category_id = None
    for question in questions:
        if question.category_id != category_id:
            category_id = question.category_id
            lines += [f"$CATEGORY: {category_path(question.category.name)}", ""]
        lines += [*_question_lines(question, question_name(question.text)), ""]
    return "\n".join(lines)
