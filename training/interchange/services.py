"""Importing a question file into the bank, whole or not at all, and exporting the bank.

Every check runs before anything is written: a file with any problem is
refused with all of its problems (up to ``MAX_PROBLEMS``), and nothing is
saved. What is saved is saved in one transaction. A question already in the
bank (same category, same text and, for a spot question, the same sample
post; case and spacing aside) is skipped and reported, so importing the same
file twice adds nothing.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet

from training.interchange.gift import export_gift, parse_gift
from training.interchange.moodle_xml import export_moodle_xml, parse_moodle_xml
from training.interchange.records import (
    CATEGORY_NAME_LENGTH,
    ParsedQuestion,
    ParseResult,
    Problem,
    Skipped,
)
from training.models import Option, Question, QuestionCategory

FORMATS = {"xml": "Moodle XML", "gift": "GIFT"}
EXTENSIONS = {".xml": "xml", ".gift": "gift", ".txt": "gift"}
FILE_EXTENSIONS = {"xml": "xml", "gift": "gift"}
CONTENT_TYPES = {"xml": "application/xml; charset=utf-8", "gift": "text/plain; charset=utf-8"}
# A bank of a few thousand questions is well under 1 MB; the cap keeps a stray upload from tying up a worker.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_LABEL = "2 MB"
MAX_PROBLEMS = 50
DEFAULT_CATEGORY = "Imported"


class BankImportError(Exception):
    """A file refused as a whole; ``problems`` lists what to fix (the first ``MAX_PROBLEMS``), ``total`` counts all."""

    def __init__(self, problems: list[Problem]):
        self.total = len(problems)
        self.problems = problems[:MAX_PROBLEMS]
        count = f"{self.total} problem{'s' if self.total != 1 else ''}"
        super().__init__(f"Nothing was imported: the file has {count}.")

    @property
    def more(self) -> int:
        return self.total - len(self.problems)


@dataclass
class ImportReport:
    """What an import did: questions added per category (in file order), new categories, and what it skipped."""

    format: str
    created: dict[str, int] = field(default_factory=dict)
    new_categories: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def describe(self) -> str:
        """One sentence for the success message."""
        if not self.total:
            return "No questions were added: every question in the file was skipped."
        parts = [f"{count} into {name}" for name, count in self.created.items()]
        shown = f"Imported {self.total} question{'s' if self.total != 1 else ''}: " + ", ".join(parts) + "."
        if self.skipped:
            shown += f" {len(self.skipped)} skipped."
        return shown


def format_for(filename: str, fmt: str | None) -> str:
    """The format asked for, or the one the file name's extension says."""
    if fmt:
        if fmt not in FORMATS:
            raise BankImportError([Problem(f"“{fmt}” is not a format the bank reads: choose Moodle XML or GIFT.")])
        return fmt
    name = filename.lower()
    for extension, guessed in EXTENSIONS.items():
        if name.endswith(extension):
            return guessed
    raise BankImportError(
        [Problem("The file name does not end in .xml, .gift or .txt, so choose its format: Moodle XML or GIFT.")]
    )


def decode(data: bytes) -> str:
    """The file as text: UTF-8 only (with or without a byte order mark), as both formats require."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise BankImportError([Problem(f"The file is larger than {MAX_UPLOAD_LABEL}: split it into smaller files.")])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BankImportError([Problem("The file is saved as UTF-16. Save it as UTF-8 and upload it again.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BankImportError(
            [
                Problem(
                    f"The file is not saved as UTF-8: this line has a character that cannot be read "
                    f"(byte 0x{data[exc.start]:02X}). Save it as UTF-8 and upload it again.",
                    line,
                )
            ]
        ) from exc
    if "\x00" in text:
        raise BankImportError([Problem("The file contains null characters, so it is not a question file.")])
    if not text.strip():
        raise BankImportError([Problem("The file is empty.")])
    return text


def bank_parse(*, data: bytes, filename: str, fmt: str | None) -> tuple[str, ParseResult]:
    """Read a file without touching the database; the format used and what was found."""
    fmt = format_for(filename, fmt)
    text = decode(data)
    return fmt, (parse_moodle_xml(text) if fmt == "xml" else parse_gift(text))


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def bank_import(*, data: bytes, filename: str, fmt: str | None, default_category: str) -> ImportReport:
    """Add a Moodle XML or GIFT file's questions to the bank: every one it can hold, or none if any is faulty.

    ``fmt`` is "xml" or "gift", or None to go by the file name. Questions without a category go into
    ``default_category`` (created if missing). Raises BankImportError, with every problem, when refused.
    """
    fmt, parsed = bank_parse(data=data, filename=filename, fmt=fmt)
    problems = list(parsed.problems)
    default_category = " ".join(default_category.split())
    if not default_category:
        problems.append(Problem("Enter a category for questions without one."))
    elif len(default_category) > CATEGORY_NAME_LENGTH:
        limit = CATEGORY_NAME_LENGTH
        problems.append(Problem(f"The category for questions without one must be {limit} characters or fewer."))
    if not parsed.questions and not parsed.skipped and not problems:
        problems.append(Problem(f"The file has no questions in it: is it a {FORMATS[fmt]} file?"))
    if problems:
        problems.sort(key=lambda problem: problem.line or 0)
        raise BankImportError(problems)
    report = ImportReport(format=FORMATS[fmt], skipped=list(parsed.skipped))
    with transaction.atomic():
        _save(parsed.questions, default_category, report)
    report.skipped.sort(key=lambda skipped: skipped.line or 0)
    return report


def _save(questions: list[ParsedQuestion], default_category: str, report: ImportReport) -> None:
    """Create what is new, skipping what the bank (or the file, earlier) already has. Reads in a fixed few queries."""
    wanted = {_key(q.category or default_category): (q.category or default_category) for q in questions}
    existing = {_key(c.name): c for c in QuestionCategory.objects.all()}
    categories: dict[str, QuestionCategory] = {}
    for key, name in wanted.items():
        if key in existing:
            categories[key] = existing[key]
        else:
            # Another import may create it at the same moment: get_or_create then uses theirs.
            categories[key], created = QuestionCategory.objects.get_or_create(name=name)
            if created:
                report.new_categories.append(name)
    rows = Question.objects.filter(category__in=list(categories.values())).values_list(
        "category_id", "text", "sample_post"
    )
    in_bank = {(category_id, _key(text), _key(sample_post)) for category_id, text, sample_post in rows}
    earlier: dict[tuple[int, str, str], int | None] = {}
    new: list[tuple[Question, ParsedQuestion]] = []
    for parsed in questions:
        category = categories[_key(parsed.category or default_category)]
        key = (category.pk, _key(parsed.text), _key(parsed.sample_post))
        if key in in_bank:
            report.skipped.append(Skipped(parsed.label, parsed.line, f"It is already in the bank, in {category.name}."))
            continue
        if key in earlier:
            where = f" on line {earlier[key]}" if earlier[key] else ""
            report.skipped.append(
                Skipped(parsed.label, parsed.line, f"It is the same as the question{where}, earlier in this file.")
            )
            continue
        earlier[key] = parsed.line
        question = Question(
            category=category,
            kind=parsed.kind,
            text=parsed.text,
            sample_post=parsed.sample_post,
            platform=parsed.platform,
            during_pre_election=parsed.during_pre_election,
            explanation=parsed.explanation,
            is_active=parsed.is_active,
        )
        new.append((question, parsed))
        report.created[category.name] = report.created.get(category.name, 0) + 1
    if connection.features.can_return_rows_from_bulk_insert:
        Question.objects.bulk_create([question for question, _ in new])
    else:
        for question, _ in new:
            question.save()
    Option.objects.bulk_create(
        Option(question=question, text=option.text, is_correct=option.is_correct, order=order)
        for question, parsed in new
        for order, option in enumerate(parsed.options)
    )


def bank_questions(category: QuestionCategory | None = None) -> QuerySet[Question]:
    """The questions an export writes: one category or the whole bank, grouped by category, options loaded."""
    questions = Question.objects.select_related("category").prefetch_related("options")
    if category is not None:
        questions = questions.filter(category=category)
    return questions.order_by("category__name", "category_id", "pk")


def bank_export(questions: Iterable[Question], fmt: str) -> str:
    """The questions as a Moodle XML or GIFT file, with categories, options, right answers and explanations."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown question file format: {fmt!r}")
    if isinstance(questions, QuerySet):
        questions = questions.select_related("category").prefetch_related("options")
        questions = questions.order_by("category__name", "category_id", "pk")
    return export_moodle_xml(questions) if fmt == "xml" else export_gift(questions)
