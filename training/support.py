"""The confidence self-assessment: three questions that set a person's support level.

The questions are data (``QUESTIONS``), so changing the wording or adding a
question is an edit here, not a migration. Each answer scores 0 to 3; the
total sets the level (``level_for``), and the level picks the courses on the
person's path (``Course.support_levels``) and the help they are offered
(``HELPERS``, with the comms leads who give it). Only the latest assessment
counts: taking it again is a new row, so the history stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery

from socialgov.people.models import Department, User
from socialgov.people.roles import Role
from training.models import SupportAssessment, SupportLevel


@dataclass(frozen=True)
class Answer:
    key: str
    text: str
    score: int


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    hint: str
    answers: tuple[Answer, ...]

    def answer(self, key: str) -> Answer | None:
        return next((answer for answer in self.answers if answer.key == key), None)


QUESTIONS: list[Question] = [
    Question(
        key="posting",
        text="How often have you posted on social media for work?",
        hint="Any account you posted on for the organisation, or about your job.",
        answers=(
            Answer("never", "Never", 0),
            Answer("once", "Once or twice", 1),
            Answer("sometimes", "Now and then, a few times a year", 2),
            Answer("regularly", "Regularly, it is part of my job", 3),
        ),
    ),
    Question(
        key="writing",
        text="How confident are you writing for the public?",
        hint="Plain words that anyone can understand, in the organisation's voice.",
        answers=(
            Answer("not", "Not confident", 0),
            Answer("little", "A little confident", 1),
            Answer("fairly", "Fairly confident", 2),
            Answer("very", "Very confident", 3),
        ),
    ),
    Question(
        key="rules",
        text="How well do you know what you can and cannot post at work?",
        hint="For example: personal information, complaints, and what to avoid before an election.",
        answers=(
            Answer("unsure", "I do not know the rules", 0),
            Answer("some", "I know some of them", 1),
            Answer("well", "I know them well", 2),
            Answer("explain", "I could explain them to a colleague", 3),
        ),
    ),
]

QUESTIONS_BY_KEY = {question.key: question for question in QUESTIONS}
MAX_SCORE = sum(max(answer.score for answer in question.answers) for question in QUESTIONS)

# Thresholds, on the total of three answers scored 0 to 3 (0 to 9 in all):
#
# - New to it, 0 to 3: an average of one ("once or twice", "a little") or less.
#   They have hardly started, so their path begins with the basics.
# - Developing, 4 to 6: includes the middle answer everywhere (2 + 2 + 2). They
#   have done it, but should still have someone to ask before posting.
# - Confident, 7 to 9: at least one top answer, and no lowest answer. Since
#   the best total with a lowest answer is 3 + 3 + 0 = 6, nobody who does not
#   know the rules at all (or has never posted) is called confident.
NEW_UP_TO = 3
CONFIDENT_FROM = 7

LEVEL_MEANINGS: dict[str, str] = {
    SupportLevel.NEW: (
        "You have not posted much for work yet, or you are not sure of the rules. That is where most people "
        "start. Your courses cover the basics: what you can post, writing for the public and who to ask."
    ),
    SupportLevel.DEVELOPING: (
        "You have posted for work and know many of the rules. Your courses build on that, with replies, "
        "complaints and sensitive subjects."
    ),
    SupportLevel.CONFIDENT: (
        "You post for work regularly and know the rules well. Your courses keep you up to date, and you could "
        "help colleagues who are newer to it."
    ),
}

# Who in comms to ask, and for what, at each level; the people are the current comms leads.
HELPERS: dict[str, str] = {
    SupportLevel.NEW: (
        "Before your first posts, ask someone in the communications team to look at them with you. "
        "They would much rather help early than put a post right later."
    ),
    SupportLevel.DEVELOPING: (
        "Ask the communications team when you are unsure: a reply to a complaint, a sensitive subject, "
        "or anything during an election period."
    ),
    SupportLevel.CONFIDENT: (
        "Talk to the communications team about anything sensitive or likely to be in the news, "
        "and tell them if you would like to help colleagues who are newer to it."
    ),
}


def level_for(score: int) -> str:
    """The support level for a total score (see the thresholds above)."""
    if not 0 <= score <= MAX_SCORE:
        raise ValueError(f"A score must be between 0 and {MAX_SCORE}, not {score}.")
    if score <= NEW_UP_TO:
        return SupportLevel.NEW
    if score < CONFIDENT_FROM:
        return SupportLevel.DEVELOPING
    return SupportLevel.CONFIDENT


def score_answers(answers: dict[str, str]) -> int:
    """The total score of a complete set of answers; ValueError naming the first question not answered properly."""
    unknown = sorted(set(answers) - set(QUESTIONS_BY_KEY))
    if unknown:
        raise ValueError(f"Unknown question: {', '.join(unknown)}.")
    total = 0
    for question in QUESTIONS:
        given = answers.get(question.key)
        if not given:
            raise ValueError(f"Answer: {question.text}")
        answer = question.answer(given)
        if answer is None:
            raise ValueError(f"Choose one of the answers given for: {question.text}")
        total += answer.score
    return total


@transaction.atomic
def assessment_record(*, person, answers: dict[str, str]) -> SupportAssessment:
    """Record a self-assessment and assign the courses on the new level's path at once.

    Every question must have one of its answers, or nothing is saved.
    """
    from training.services import assignments_sync

    score = score_answers(answers)
    assessment = SupportAssessment.objects.create(
        person=person,
        answers={question.key: answers[question.key] for question in QUESTIONS},
        score=score,
        level=level_for(score),
    )
    assignments_sync(person=person)
    return assessment


def latest_level(person) -> SupportAssessment | None:
    """A person's latest self-assessment, which sets their level; None if they have not taken it."""
    return SupportAssessment.objects.filter(person=person).order_by("-taken_at", "-pk").first()


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True)
class Help:
    advice: str
    contacts: list[Contact]


def comms_contacts(*, exclude=None) -> list[Contact]:
    """The current comms leads, by name: the people to ask for help. One query."""
    people = User.objects.current().filter(groups__name=Role.COMMS_LEAD).distinct().order_by("first_name", "last_name")
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return [Contact(name=person.get_full_name() or person.email, email=person.email) for person in people]


def help_for(level: str, *, person=None) -> Help:
    """What to ask the comms team for at ``level``, and who they are (not ``person`` themselves)."""
    return Help(advice=HELPERS[level], contacts=comms_contacts(exclude=person))


# --- The spread of levels, by department ----------------------------------------------------


@dataclass(frozen=True)
class LevelCounts:
    new: int = 0
    developing: int = 0
    confident: int = 0
    not_assessed: int = 0

    @property
    def total(self) -> int:
        return self.new + self.developing + self.confident + self.not_assessed

    @property
    def assessed(self) -> int:
        return self.total - self.not_assessed

    @property
    def assessed_percent(self) -> int:
        return round(100 * self.assessed / self.total) if self.total else 0

    def percent(self, count: int) -> int:
        return round(100 * count / self.total) if self.total else 0

    @property
    def levels(self) -> list[tuple[str, str, int, int]]:
        """(level, label, count, per cent of everyone) for each level, then "not assessed"."""
        counts = [(level, label, getattr(self, level)) for level, label in SupportLevel.choices]
        counts.append(("not_assessed", "Not assessed", self.not_assessed))
        return [(level, label, count, self.percent(count)) for level, label, count in counts]


@dataclass(frozen=True)
class DepartmentLevels:
    department: str
    depth: int
    counts: LevelCounts


def _latest_level_subquery() -> Subquery:
    latest = SupportAssessment.objects.filter(person=OuterRef("pk")).order_by("-taken_at", "-pk").values("level")[:1]
    return Subquery(latest)


def levels_by_department() -> list[DepartmentLevels]:
    """Current staff at each level (from their latest assessment) and not assessed, by department.

    Departments come in tree order (by path) with their depth; each row counts
    the people placed in that department itself, and a department is listed
    when it or any department below it has people, so nested teams keep their
    place in the tree. People without a department come last. Two queries
    whatever the number of people or departments: the departments, and one
    grouped count of (department, latest level) worked out in the database.
    """
    grouped = (
        User.objects.current()
        .annotate(latest_level=_latest_level_subquery())
        .values("department_id", "latest_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int | None, dict[str, int]] = {}
    for row in grouped:
        level = row["latest_level"] if row["latest_level"] in SupportLevel.values else "not_assessed"
        by_level = counts.setdefault(row["department_id"], {})
        by_level[level] = by_level.get(level, 0) + row["n"]

    departments = list(Department.objects.order_by("path").values_list("pk", "name", "depth", "path"))
    occupied: set[int] = set()
    for pk, _name, _depth, path in departments:
        if pk in counts:
            occupied.update(int(part) for part in path.strip("/").split("/") if part)
    lines = [
        DepartmentLevels(department=name, depth=depth, counts=LevelCounts(**counts.get(pk, {})))
        for pk, name, depth, _path in departments
        if pk in occupied
    ]
    if None in counts:
        lines.append(DepartmentLevels(department="No department", depth=0, counts=LevelCounts(**counts[None])))
    return lines


def levels_total(lines: list[DepartmentLevels]) -> LevelCounts:
    """Everyone in ``lines`` together."""
    return LevelCounts(
        new=sum(line.counts.new for line in lines),
        developing=sum(line.counts.developing for line in lines),
        confident=sum(line.counts.confident for line in lines),
        not_assessed=sum(line.counts.not_assessed for line in lines),
    )
