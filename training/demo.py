"""Demo training: three courses, and the demo people spread across every state a course or licence can be in.

The texts live in ``training/demo_content/``:

- ``courses.txt`` has a line per course,
  ``slug|title|summary|estimated_minutes|refresher_months|is_onboarding|support_levels``
  (``refresher_months`` blank for a course that never expires, ``is_onboarding``
  ``yes`` or ``no``, ``support_levels`` comma-separated and possibly blank).
  Lines starting with ``#`` are comments.
- ``<course slug>/NN-some-name.md`` is a lesson in Markdown, in the order of
  ``NN``. Its title is its first line when that line is ``Title: ...``
  (the line is then not part of the body); otherwise it comes from the file
  name, ``03-writing-for-the-public.md`` becoming "Writing for the public".

Who a course is for (everyone, departments, public-facing staff) is set here,
not in ``courses.txt``, because it names demo departments.

Everything goes through the training services, as the pages do: lessons are
saved with ``lesson_save``, read with ``lesson_mark_read`` (which completes
the course and reviews the licence), courses are assigned by
``assignments_sync``, ``refreshers_assign`` and ``assignment_create``, and
licences are granted and lapsed by ``licence_review``. Reading is recorded at
past times (``lesson_mark_read(at=...)``) so completions and their expiry
dates fall where the story needs them.

Demo only: a few dates the services set to "now" are then moved back with
queryset ``.update()`` (which skips the services' checks and the history
tables), so the demo tells a story instead of everything having happened this
second: when assignments were made and are due (an overdue one is impossible
to create through ``assignment_create``, which refuses a past due date), when
a licence was granted, and when the nightly review lapsed one. Never do this
outside the demo.

The story (employee numbers in brackets):

- Social media at work is for everyone: most staff finished it in the last
  few months and hold a posting licence, among them the comms leads Rhona
  Stewart (GC1019) and Catriona MacLeod (GC1007).
- The four directors at the top of the staff list (GC1001 to GC1004)
  finished it but have not acknowledged the social media policy (see
  ``policies.demo``), so they have no licence yet.
- Ailsa Munro (GC1025, the demo member of staff) is halfway through it: 3 of
  6 lessons read, due in 10 days, no licence yet. Her colleague Ross
  Cunningham (GC1026) has not started and is overdue, and their manager
  Callum Fraser (GC1024) gave them both Handling abuse online after a
  difficult thread on the housing page, which both are now late with: his
  team page has something to chase. Niamh Reid (GC1027) started last week
  and has not started yet.
- Jean Rennie (GC1055) and Colin Docherty (GC1039) finished the course over a
  year ago: their completions have expired, so the nightly review lapsed
  their licences and the refresher job assigned the course again (now
  overdue). Fiona Gray (GC1030) finished it 345 days ago: her refresher is
  assigned and due the day her completion expires, and her licence is still
  in force until then.
- The new policy version (the pre-election period) led Catriona to assign the
  short refresher course to her team by hand: Rhona has done it, Jamie Wallace
  (GC1020) is part way through, the others have not started.
- HR (Shona Paterson, GC1045) exempted Donald MacKenzie (GC1032), who leaves
  this month, from both courses he was assigned.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from socialgov.people.demo import COMMUNICATIONS, DemoContext
from socialgov.people.models import User
from socialgov.people.services import department_get_or_create_path
from training.licensing import licences_review
from training.models import (
    Assignment,
    Attempt,
    Completion,
    Course,
    ElectionPeriod,
    HouseRules,
    Lesson,
    LessonProgress,
    Licence,
    Option,
    Question,
    QuestionCategory,
    Quiz,
    QuizDraw,
)
from training.post_checks import spot_question_sync
from training.quizzes import attempt_start, attempt_submit
from training.services import (
    assignment_create,
    assignment_exempt,
    assignments_sync,
    lesson_mark_read,
    lesson_save,
    refreshers_assign,
)

CONTENT = Path(__file__).parent / "demo_content"

MAIN = "social-media-at-work"
REFRESHER = "social-media-refresher"
ABUSE = "handling-abuse-online"

# --- Who is where --------------------------------------------------------------------
# Social media at work. Anyone active and not listed below has finished it in the last few months.

# Finished over a year ago: the completion has expired and the licence has lapsed (days ago).
FINISHED_OVER_A_YEAR_AGO = {"GC1055": 400, "GC1039": 380}
# Finished nearly a year ago: the refresher is assigned and the licence is still in force (days ago).
FINISHED_NEARLY_A_YEAR_AGO = {"GC1030": 345}
# The comms team finished it first (days ago).
EARLY_FINISHERS = {"GC1007": 160, "GC1019": 150, "GC1020": 148, "GC1021": 146, "GC1022": 144}
# Part way through: lessons read so far.
PART_READ = {"GC1025": 3, "GC1031": 5, "GC1060": 2}
# Due date passed without finishing: Ross (Callum's team), two in Place, and Kieran part way through.
OVERDUE = {"GC1026", "GC1040", "GC1043", "GC1060"}
# HR exempts someone who is leaving this month.
EXEMPTED, EXEMPTED_BY = "GC1032", "GC1045"

# Handling abuse online: for public-facing staff and the Communications department.
ABUSE_FINISHED = {
    "GC1007": 100, "GC1019": 98, "GC1020": 97, "GC1021": 95, "GC1022": 95,
    "GC1029": 40, "GC1041": 33, "GC1051": 27, "GC1059": 21,
}  # fmt: skip
ABUSE_PART_READ = {"GC1031": 2}
# Callum assigned it by hand to Ailsa and Ross, seven weeks ago; both are now overdue.
ABUSE_ASSIGNED_BY, ABUSE_ASSIGNED_TO = "GC1024", ("GC1025", "GC1026")
ABUSE_REASON = "After the angry thread about repairs on the housing Facebook page: please do this first."

# The refresher: Catriona assigned it by hand to her team when version 2 of the policy came out.
REFRESHER_ASSIGNED_BY = "GC1007"
REFRESHER_ASSIGNED_TO = ("GC1019", "GC1020", "GC1021", "GC1022")
REFRESHER_REASON = "Version 2 of the social media policy adds the pre-election period: a 15-minute recap."
REFRESHER_READ = {"GC1019": 3, "GC1020": 1}


# --- The content ---------------------------------------------------------------------


@dataclass(frozen=True)
class CourseText:
    slug: str
    title: str
    summary: str
    estimated_minutes: int
    refresher_months: int | None
    is_onboarding: bool
    support_levels: list[str]


def course_texts() -> list[CourseText]:
    """The courses in ``courses.txt``, in its order."""
    courses = []
    for line in (CONTENT / "courses.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        slug, title, summary, minutes, months, onboarding, levels = (part.strip() for part in line.split("|"))
        courses.append(
            CourseText(
                slug=slug,
                title=title,
                summary=summary,
                estimated_minutes=int(minutes),
                refresher_months=int(months) if months else None,
                is_onboarding=onboarding.lower() == "yes",
                support_levels=[level.strip() for level in levels.split(",") if level.strip()],
            )
        )
    return courses


def lesson_texts(slug: str) -> list[tuple[str, str]]:
    """A course's lessons as (title, Markdown body), in file-name order."""
    lessons = []
    for path in sorted((CONTENT / slug).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        if first.startswith("Title:"):
            title, body = first.removeprefix("Title:").strip(), rest
        else:
            words = path.stem.split("-")
            if words[0].isdigit():
                words = words[1:]
            title, body = " ".join(words).capitalize(), text
        lessons.append((title, body.strip() + "\n"))
    return lessons


# --- Helpers -------------------------------------------------------------------------


def _move_assignment(assignment: Assignment, *, assigned_at: datetime.datetime, due_on: datetime.date) -> None:
    """Demo only: when an assignment was made and is due."""
    Assignment.objects.filter(pk=assignment.pk).update(assigned_at=assigned_at, due_on=due_on)


def _read(person: User, course: Course, count: int, *, last_at: datetime.datetime) -> None:
    """``person`` reads the first ``count`` lessons of ``course``, a lesson a day, the last at ``last_at``."""
    lessons = list(course.lessons.order_by("order")[:count])
    for number, lesson in enumerate(lessons):
        lesson_mark_read(person=person, lesson=lesson, at=last_at - datetime.timedelta(days=len(lessons) - 1 - number))


def _at(now: datetime.datetime, days_ago: int, hour: int = 10) -> datetime.datetime:
    """A working-hours moment ``days_ago`` days before ``now``."""
    moment = timezone.localtime(now - datetime.timedelta(days=days_ago))
    return moment.replace(hour=hour, minute=15, second=0, microsecond=0)


def _start(person: User) -> datetime.datetime | None:
    if person.start_date is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(person.start_date, datetime.time(9, 0)))


# --- The loader ----------------------------------------------------------------------


def _courses_create(context: DemoContext) -> dict[str, Course]:
    communications = department_get_or_create_path(names=COMMUNICATIONS)
    courses: dict[str, Course] = {}
    lessons = 0
    for text in course_texts():
        course = Course.objects.create(
            slug=text.slug,
            title=text.title,
            summary=text.summary,
            estimated_minutes=text.estimated_minutes,
            refresher_months=text.refresher_months,
            is_onboarding=text.is_onboarding,
            support_levels=text.support_levels,
            # The demo's organisation brought the course in for everyone when it opened social media to
            # all staff, so it is a rule for everyone rather than onboarding: every demo person has it,
            # old hands and new starters alike. The refresher has no rule: the comms lead assigns it.
            is_for_everyone=text.slug == MAIN,
            is_for_public_facing=text.slug == ABUSE,
            due_within_days=14 if text.slug == REFRESHER else 28,
        )
        if text.slug == ABUSE:
            course.audience_departments.set([communications])
        for order, (title, body) in enumerate(lesson_texts(text.slug), start=1):
            lesson_save(lesson=Lesson(course=course, order=order), title=title, body=body)
            lessons += 1
        courses[text.slug] = course
    # Finishing the short refresher renews the main course (and so the licence).
    courses[REFRESHER].refreshes = courses[MAIN]
    courses[REFRESHER].save(update_fields=["refreshes"])
    context.result.record("Courses", created=len(courses))
    context.result.record("Lessons", created=lessons)
    return courses


def _main_course_load(context: DemoContext, course: Course, staff: list[User], now: datetime.datetime) -> None:
    """Social media at work: finished (long ago, nearly a year ago, recently), part read, not started, exempt."""
    today = context.today
    special = {*FINISHED_OVER_A_YEAR_AGO, *FINISHED_NEARLY_A_YEAR_AGO, *PART_READ, *OVERDUE, EXEMPTED}
    lesson_count = course.lessons.count()
    for number, person in enumerate(staff):
        employee = person.employee_number
        days = {**FINISHED_OVER_A_YEAR_AGO, **FINISHED_NEARLY_A_YEAR_AGO, **EARLY_FINISHERS}.get(employee)
        if days is None and employee not in special and not _is_new_starter(person, today):
            days = 20 + (number * 7) % 100
        if days is not None:
            _read(person, course, lesson_count, last_at=_at(now, days, hour=11 + number % 5))
        elif employee in PART_READ:
            _read(person, course, PART_READ[employee], last_at=_at(now, 1, hour=14))

    # When each assignment was made and is due: finished ones a fortnight before they finished.
    for assignment in Assignment.objects.filter(course=course).select_related("person", "completion"):
        employee = assignment.person.employee_number
        if assignment.completion is not None:
            assigned_at = assignment.completion.completed_at - datetime.timedelta(days=12)
            due_on = timezone.localdate(assigned_at) + datetime.timedelta(days=course.due_within_days)
        elif employee in OVERDUE:
            assigned_at, due_on = _at(now, 50), today - datetime.timedelta(days=22)
        elif employee in PART_READ:
            assigned_at, due_on = _at(now, 18), today + datetime.timedelta(days=10)
        elif _is_new_starter(assignment.person, today):
            assigned_at = _start(assignment.person) or now
            due_on = timezone.localdate(assigned_at) + datetime.timedelta(days=course.due_within_days)
        else:
            assigned_at, due_on = _at(now, 10), today + datetime.timedelta(days=18)
        _move_assignment(assignment, assigned_at=assigned_at, due_on=due_on)


def _is_new_starter(person: User, today: datetime.date) -> bool:
    return person.start_date is not None and (today - person.start_date).days < 30


def _abuse_course_load(context: DemoContext, course: Course, now: datetime.datetime) -> None:
    """Handling abuse online: the comms team and a few others finished it; the rest were given it a fortnight ago."""
    today = context.today
    lesson_count = course.lessons.count()
    for employee, days in ABUSE_FINISHED.items():
        _read(context.person(employee), course, lesson_count, last_at=_at(now, days, hour=15))
    for employee, count in ABUSE_PART_READ.items():
        _read(context.person(employee), course, count, last_at=_at(now, 2, hour=12))

    for assignment in Assignment.objects.filter(course=course).select_related("person", "completion"):
        if assignment.completion is not None:
            assigned_at = assignment.completion.completed_at - datetime.timedelta(days=10)
            due_on = timezone.localdate(assigned_at) + datetime.timedelta(days=course.due_within_days)
        elif assignment.source == Assignment.Source.MANUAL:
            assigned_at, due_on = _at(now, 49), today - datetime.timedelta(days=21)
        else:
            start = _start(assignment.person)
            assigned_at = max(_at(now, 14), start) if start else _at(now, 14)
            due_on = timezone.localdate(assigned_at) + datetime.timedelta(days=course.due_within_days)
        _move_assignment(assignment, assigned_at=assigned_at, due_on=due_on)


def _refresher_course_load(context: DemoContext, course: Course, now: datetime.datetime) -> None:
    """The refresher, given by hand by the head of communications to her team after the policy changed."""
    for employee, count in REFRESHER_READ.items():
        _read(context.person(employee), course, count, last_at=_at(now, 1, hour=16))
    Assignment.objects.filter(course=course, source=Assignment.Source.MANUAL).update(assigned_at=_at(now, 4))


def _expiries_load(context: DemoContext, course: Course, now: datetime.datetime) -> None:
    """The nightly jobs as they would have run: refreshers assigned 30 days ahead, expired licences lapsed."""
    refreshers_assign(today=context.today)
    licences_review(today=context.today)
    renewals = Assignment.objects.filter(
        course__in=[course, *course.refreshers.all()], source=Assignment.Source.REFRESHER
    )
    for assignment in renewals.select_related("person"):
        latest = Completion.objects.filter(person=assignment.person, course=course).order_by("-completed_at").first()
        if latest is not None and latest.expires_on is not None:
            _move_assignment(
                assignment,
                assigned_at=_at(now, (context.today - latest.expires_on).days + 30, hour=2),
                due_on=latest.expires_on,
            )
    # Each licence was granted when its holder finished the course, and lapsed the night the course expired.
    for licence in Licence.objects.select_related("person"):
        finished = (
            Completion.objects.filter(person=licence.person, course=course, completed_at__lte=now)
            .order_by("completed_at")
            .first()
        )
        changes: dict[str, datetime.datetime] = {}
        if finished is not None:
            changes["granted_at"] = finished.completed_at
            if licence.lapsed_at is not None and finished.expires_on is not None:
                lapsed_on = min(finished.expires_on, context.today)
                changes["lapsed_at"] = timezone.make_aware(datetime.datetime.combine(lapsed_on, datetime.time(2, 0)))
        if changes:
            Licence.objects.filter(pk=licence.pk).update(**changes)


def _counts() -> dict[str, int]:
    return {
        "Courses": Course.objects.count(),
        "Lessons": Lesson.objects.count(),
        "Assignments": Assignment.objects.count(),
        "Lessons read": LessonProgress.objects.count(),
        "Completions": Completion.objects.count(),
        "Licences": Licence.objects.count(),
    }


QUIZ = "twitiquette"
# Everyone who finishes the main course passed its quiz first; these people have not taken it yet.
QUIZ_NOT_TAKEN = set(PART_READ) | OVERDUE


# Plain-English words the house style asks writers to think twice about; the checker warns on them.
DEMO_CAUTIONED = ["utilise", "unforeseen circumstances", "going forward", "stakeholders", "facilitate", "in due course"]
DEMO_BANNED = ["no comment", "stupid", "pathetic"]
DEMO_CONTACTS = ["0131 496 0000", "contact@glenmorven.gov.uk"]


def _checker_settings_load(context: DemoContext) -> None:
    """House rules for the post checker, and the next local elections' pre-election period."""
    rules = HouseRules.current()
    rules.cautioned = "\n".join(DEMO_CAUTIONED)
    rules.banned = "\n".join(DEMO_BANNED)
    rules.allowed_contacts = "\n".join(DEMO_CONTACTS)
    rules.save()
    year = context.today.year + 1 if context.today.month > 5 else context.today.year
    ElectionPeriod.objects.get_or_create(
        name=f"Local elections, May {year}",
        defaults={"starts_on": datetime.date(year, 3, 15), "ends_on": datetime.date(year, 5, 6)},
    )
    context.result.record("Election periods", created=ElectionPeriod.objects.count())


def _demo_answers(attempt: Attempt, rng: random.Random, ability: float) -> dict[int, list[int]]:
    """Right answers with a chance that falls with the question's difficulty, so item analysis has a story.

    ``ability`` 1 knows every answer: the second try always passes, whatever ids the questions got.
    """
    answers = {}
    for aq in attempt.questions.all():
        options = list(Option.objects.filter(pk__in=aq.option_order).order_by("pk"))
        right = [o.pk for o in options if o.is_correct]
        wrong = [o.pk for o in options if not o.is_correct]
        difficulty = (aq.question_id * 37 % 10) / 25  # 0 to 0.36, fixed per question
        knows = not wrong or ability >= 1 or rng.random() < ability - difficulty + 0.2
        answers[aq.pk] = right if knows else [rng.choice(wrong)]
    return answers


def _quiz_load(context: DemoContext, course: Course, staff: list[User], now: datetime.datetime) -> None:
    """The twitiquette question bank and quiz (part of the main course), and the attempts of those who passed."""
    quiz = Quiz.objects.create(title="Twitiquette quiz", slug=QUIZ, course=course, pass_mark_percent=80, max_attempts=3)
    for item in json.loads((CONTENT / "twitiquette.json").read_text(encoding="utf-8")):
        category, _ = QuestionCategory.objects.get_or_create(name=item["category"])
        question = Question.objects.create(
            category=category, kind=item["kind"], text=item["text"], sample_post=item.get("sample_post", ""),
            explanation=item.get("explanation", ""), platform=item.get("platform", ""),
            during_pre_election=item.get("during_pre_election", False),
        )  # fmt: skip
        Option.objects.bulk_create(
            Option(question=question, text=option["text"], is_correct=option["correct"], order=order,
                   rule=option.get("rule", ""))
            for order, option in enumerate(item["options"])
        )  # fmt: skip
        spot_question_sync(question)  # options naming a rule are the checker's to decide
    for category in QuestionCategory.objects.filter(questions__isnull=False).distinct():
        QuizDraw.objects.create(quiz=quiz, category=category, count=2)
    rng = random.Random(2026)  # noqa: S311 - the same demo every time, not a secret
    for person in staff:
        if (
            person.employee_number in QUIZ_NOT_TAKEN
            or not Assignment.objects.filter(person=person, course=course).exists()
        ):
            continue
        # A first try answered as a person of some ability would; those who fall short pass at the next try.
        ability = rng.uniform(0.55, 1.0)
        attempt = attempt_start(person=person, quiz=quiz, rng=rng)
        attempt = attempt_submit(attempt=attempt, answers=_demo_answers(attempt, rng, ability))
        if not attempt.is_passed:
            attempt = attempt_start(person=person, quiz=quiz, rng=rng)
            attempt_submit(attempt=attempt, answers=_demo_answers(attempt, rng, 1.0))
    Attempt.objects.filter(quiz=quiz).update(started_at=now - datetime.timedelta(days=200),
                                             submitted_at=now - datetime.timedelta(days=200))  # fmt: skip
    context.result.record("Quiz questions", created=Question.objects.count())


def demo_training_load(context: DemoContext) -> None:
    """The demo courses and lessons, and the demo people in every state of training and licence."""
    if Course.objects.filter(slug=MAIN).exists():
        for kind, count in _counts().items():
            context.result.record(kind, unchanged=count)
        return
    now = timezone.now()
    today = context.today
    courses = _courses_create(context)
    staff = sorted((person for person in context.people.values() if person.is_active), key=lambda p: p.employee_number)

    # Assigned by hand before the nightly sync, so these are the assignments the people have.
    for employee in ABUSE_ASSIGNED_TO:
        assignment_create(
            person=context.person(employee),
            course=courses[ABUSE],
            due_on=today + datetime.timedelta(days=14),
            assigned_by=context.person(ABUSE_ASSIGNED_BY),
            reason=ABUSE_REASON,
            today=today,
        )
    for employee in REFRESHER_ASSIGNED_TO:
        assignment_create(
            person=context.person(employee),
            course=courses[REFRESHER],
            due_on=today + datetime.timedelta(days=10),
            assigned_by=context.person(REFRESHER_ASSIGNED_BY),
            reason=REFRESHER_REASON,
            today=today,
        )
    assignments_sync(today=today)

    hr = context.person(EXEMPTED_BY)
    leaving = context.person(EXEMPTED)
    for assignment in Assignment.objects.open().filter(person=leaving):
        assignment_exempt(
            assignment=assignment,
            by=hr,
            reason=f"Leaving on {leaving.leaving_date:%d %B %Y}: no need to take the course before then.",
        )

    _checker_settings_load(context)
    _quiz_load(context, courses[MAIN], staff, now)
    _main_course_load(context, courses[MAIN], staff, now)
    _abuse_course_load(context, courses[ABUSE], now)
    _refresher_course_load(context, courses[REFRESHER], now)
    _expiries_load(context, courses[MAIN], now)

    counts = _counts()
    for kind in ("Assignments", "Lessons read", "Completions", "Licences"):
        context.result.record(kind, created=counts[kind])
