"""What a question file holds once read, before anything is saved, and the checks every format shares.

Both readers produce the same plain records, so the rules a question must
meet to enter the bank (a correct option, options with text, names that fit)
are written once here, and the service that saves them never sees XML or GIFT.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from training.models import Option, Question, QuestionCategory

CATEGORY_NAME_LENGTH = QuestionCategory._meta.get_field("name").max_length
OPTION_TEXT_LENGTH = Option._meta.get_field("text").max_length
PLATFORM_LENGTH = Question._meta.get_field("platform").max_length

# The contexts a Moodle category path may start with ("$course$/top/Tone").
MOODLE_CONTEXTS = frozenset({"$course$", "$module$", "$system$", "$coursecategory$", "$cat1$"})
# Moodle's own top level: a path that stops there names no category of ours.
MOODLE_TOP = "top"


def question_label(name: str, number: int) -> str:
    """How a report names a question: by its name in the file, or by its place when it has none."""
    return f"Question “{name}”" if name else f"Question {number}"


@dataclass(frozen=True)
class Problem:
    """Something that stops the whole file being imported, placed where the author can find it."""

    message: str
    line: int | None = None
    question: str = ""  # from question_label; blank for the file as a whole

    def __str__(self) -> str:
        if self.question:
            where = f"{self.question} (line {self.line})" if self.line else self.question
            return f"{where}: {self.message}"
        return f"Line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class Skipped:
    """A question left out while the rest imports: a kind the bank cannot hold, or one it has already."""

    question: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.question} (line {self.line})" if self.line else self.question
        return f"{where}: {self.reason}"


@dataclass
class ParsedOption:
    text: str
    is_correct: bool
    line: int | None = None


@dataclass
class ParsedQuestion:
    """One question as the file describes it, its texts already plain."""

    number: int
    line: int | None
    name: str
    kind: str
    text: str
    options: list[ParsedOption] = field(default_factory=list)
    explanation: str = ""
    # The category named by the file, or None for the importer's default.
    category: str | None = None
    sample_post: str = ""
    platform: str = ""
    during_pre_election: bool = False
    is_active: bool = True

    @property
    def label(self) -> str:
        return question_label(self.name, self.number)


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def category_from_path(path: str) -> tuple[str | None, str]:
    """The category a Moodle path names (its last part), None for the top, or an error message.

    Moodle writes a "/" inside a category name as "//", so the path is split on single slashes only.
    """
    path = path.strip()
    if not path:
        return None, "The category has no name: write it as $course$/top/Name, or just Name."
    parts = [part.replace("\x00", "/").strip() for part in path.replace("//", "\x00").split("/")]
    if parts[0].startswith("$") and parts[0].endswith("$") and len(parts[0]) > 1:
        if parts[0] not in MOODLE_CONTEXTS:
            known = ", ".join(sorted(MOODLE_CONTEXTS - {"$cat1$"}))
            return None, f"The category path “{path}” starts with {parts[0]}, which is not a Moodle context ({known})."
        parts = parts[1:]
    if any(not part for part in parts):
        return None, f"The category path “{path}” has an empty part between its slashes."
    if not parts or parts == [MOODLE_TOP]:
        return None, ""
    name = parts[-1]
    if len(name) > CATEGORY_NAME_LENGTH:
        return None, f"The category name “{name[:40]}…” is longer than {CATEGORY_NAME_LENGTH} characters."
    return name, ""


def check_question(question: ParsedQuestion) -> list[Problem]:
    """Every reason the question cannot enter the bank as it stands."""
    label = question.label
    problems: list[Problem] = []

    def problem(message: str, line: int | None = None) -> None:
        problems.append(Problem(message, line or question.line, label))

    if not question.text.strip():
        problem("It has no question text.")
    if question.kind == Question.Kind.SPOT and not question.sample_post.strip():
        problem("Its sample post is empty.")
    elif question.kind != Question.Kind.SPOT and question.sample_post:
        problem("Only a multiple-choice question can carry a sample post (socialgov-sample-post).")
    if len(question.platform) > PLATFORM_LENGTH:
        problem(f"Its platform “{question.platform[:30]}” is longer than {PLATFORM_LENGTH} characters.")
    elif question.kind == Question.Kind.SPOT and question.sample_post.strip():
        from training.post_checks import spot_post_problem

        unfit = spot_post_problem(question.sample_post, question.platform)
        if unfit:
            problem(unfit)
    if len(question.options) < 2:
        problem("It needs at least two options.")
    for number, option in enumerate(question.options, start=1):
        if not option.text.strip():
            problem(f"Option {number} has no text.", option.line)
        elif len(option.text) > OPTION_TEXT_LENGTH:
            problem(f"Option {number} is longer than {OPTION_TEXT_LENGTH} characters.", option.line)
    correct = sum(option.is_correct for option in question.options)
    if question.options and not correct:
        problem("No option is marked as correct.")
    elif correct > 1 and question.kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        problem(
            f"{correct} options are marked fully correct, but a single-choice question has one right answer: "
            "make it a multiple-choice question or mark one option."
        )
    return problems


def category_path(name: str) -> str:
    """A category as Moodle writes it: under the course's top, with "/" in the name doubled."""
    return f"$course$/top/{name.replace('/', '//')}"


def question_name(text: str) -> str:
    """The name Moodle lists a question by: the start of its text, as the bank keeps no names."""
    words = " ".join(text.split())
    return words if len(words) <= 60 else words[:59].rstrip() + "…"


def true_is_right(options) -> bool:
    """Whether "True" is the right answer of a true-or-false question: by the option's text, or its place."""
    for index, option in enumerate(options):
        if option.is_correct:
            text = option.text.strip().lower()
            return text == "true" if text in {"true", "false"} else index == 0
    return True
