"""Taking a quiz: start or resume an attempt, save answers, submit once, score on the server.

Scoring never trusts the browser: the page only ever carries option ids, and
the submitted ids must belong to the question they are posted for. A
submission claims the attempt with a conditional update, so a replayed or
double-clicked submit changes nothing. Passing a course's quiz (with its
lessons read) completes the course; passing any quiz asks the licence to
look again.
"""

from __future__ import annotations

import datetime
import random

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from training.models import Attempt, AttemptQuestion, Option, Question, Quiz


class QuizError(Exception):
    """A request the rules refuse; the message says why and what to do."""


def attempts_of(person, quiz: Quiz):
    return Attempt.objects.filter(person=person, quiz=quiz)


def has_passed(person, quiz: Quiz) -> bool:
    return attempts_of(person, quiz).filter(is_passed=True).exists()


def next_attempt_at(person, quiz: Quiz) -> datetime.datetime | None:
    """When the person may start another attempt, if they must wait."""
    if not quiz.wait_minutes:
        return None
    last = attempts_of(person, quiz).filter(submitted_at__isnull=False).order_by("-submitted_at").first()
    if last is None:
        return None
    ready = last.submitted_at + datetime.timedelta(minutes=quiz.wait_minutes)
    return ready if ready > timezone.now() else None


def deadline(attempt: Attempt) -> datetime.datetime | None:
    limit = attempt.quiz.time_limit_minutes
    return attempt.started_at + datetime.timedelta(minutes=limit) if limit else None


def _draw(quiz: Quiz, rng: random.Random) -> list[Question]:
    questions: list[Question] = []
    for draw in quiz.draws.select_related("category"):
        pool = list(Question.objects.filter(category=draw.category, is_active=True).order_by("pk"))
        if len(pool) < draw.count:
            raise QuizError(
                f"The quiz needs {draw.count} questions from {draw.category}, but the bank has {len(pool)}. "
                "Tell the comms team."
            )
        questions.extend(rng.sample(pool, draw.count))
    rng.shuffle(questions)
    return questions


def attempt_start(*, person, quiz: Quiz, rng: random.Random | None = None) -> Attempt:
    """The person's unfinished attempt, or a new one if the limits allow; questions drawn once, here.

    An attempt past its time limit is marked first, in its own transaction, so a refusal that follows
    (already passed, no attempts left) does not undo the marking.
    """
    if not quiz.is_published:
        raise QuizError(f"{quiz} is not open yet.")
    open_attempt = attempts_of(person, quiz).filter(submitted_at__isnull=True).first()
    if open_attempt is not None:
        ends = deadline(open_attempt)
        if ends is None or timezone.now() <= ends:
            return open_attempt
        attempt_submit(attempt=open_attempt, answers={})  # time ran out: what was saved is marked
    if has_passed(person, quiz):
        raise QuizError(f"You have already passed {quiz}.")
    used = attempts_of(person, quiz).count()
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        raise QuizError(f"You have used all {quiz.max_attempts} attempts at {quiz}. Ask the comms team for help.")
    ready = next_attempt_at(person, quiz)
    if ready is not None:
        ready = timezone.localtime(ready)
        raise QuizError(f"You can try again from {ready:%H:%M} on {date_format(ready, 'j F Y')}.")
    rng = rng or random.SystemRandom()
    questions = _draw(quiz, rng)
    options = {}
    for question_id, option_id in Option.objects.filter(question__in=questions).values_list("question_id", "pk"):
        options.setdefault(question_id, []).append(option_id)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(quiz=quiz, person=person, number=used + 1, max_score=len(questions))
            rows = []
            for order, question in enumerate(questions, start=1):
                ids = options.get(question.pk, [])
                if question.kind != Question.Kind.TRUE_FALSE:
                    rng.shuffle(ids)
                rows.append(AttemptQuestion(attempt=attempt, question=question, order=order, option_order=ids))
            AttemptQuestion.objects.bulk_create(rows)
    except IntegrityError:
        # Started in another tab at the same moment: carry on with that one.
        return attempts_of(person, quiz).get(submitted_at__isnull=True)
    return attempt


def _clean(attempt: Attempt, answers: dict[int, list[int]]) -> dict[int, list[int]]:
    """Answers keyed by attempt-question id; refuse any id that is not an option of that question."""
    given = {aq.pk: aq for aq in attempt.questions.select_related("question")}
    cleaned = {}
    for aq_id, selected in answers.items():
        aq = given.get(aq_id)
        if aq is None:
            raise QuizError("That answer is not for a question in this attempt.")
        chosen = sorted(set(selected))
        if not set(chosen) <= set(aq.option_order):
            raise QuizError(f"Question {aq.order}: that answer is not one of its options.")
        if len(chosen) > 1 and not aq.question.allows_several:
            raise QuizError(f"Question {aq.order}: choose one answer.")
        cleaned[aq_id] = chosen
    return cleaned


def answers_save(*, attempt: Attempt, answers: dict[int, list[int]]) -> None:
    """Keep answers so far, so an unfinished attempt can be resumed."""
    if attempt.submitted_at is not None:
        raise QuizError("This attempt has been submitted: it cannot be changed.")
    for aq_id, selected in _clean(attempt, answers).items():
        AttemptQuestion.objects.filter(pk=aq_id, attempt=attempt).update(selected=selected)


@transaction.atomic
def attempt_submit(*, attempt: Attempt, answers: dict[int, list[int]]) -> Attempt:
    """Mark the attempt, once. A second submission (a replay, a double click) is refused."""
    cleaned = _clean(attempt, answers)
    now = timezone.now()
    claimed = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(submitted_at=now)
    if claimed != 1:
        raise QuizError("This attempt has already been submitted: it cannot be submitted again.")
    correct_ids = {}
    for question_id, option_id in Option.objects.filter(
        question__in=attempt.questions.values("question_id"), is_correct=True
    ).values_list("question_id", "pk"):
        correct_ids.setdefault(question_id, set()).add(option_id)
    score = 0
    rows = list(attempt.questions.all())
    for aq in rows:
        if aq.pk in cleaned:
            aq.selected = cleaned[aq.pk]
        aq.is_correct = set(aq.selected) == correct_ids.get(aq.question_id, set())
        score += aq.is_correct
    AttemptQuestion.objects.bulk_update(rows, ["selected", "is_correct"])
    attempt.refresh_from_db()
    attempt.score = score
    attempt.is_passed = attempt.max_score > 0 and 100 * score >= attempt.quiz.pass_mark_percent * attempt.max_score
    attempt.save(update_fields=["score", "is_passed"])
    if attempt.is_passed:
        _after_pass(attempt)
    return attempt


def _after_pass(attempt: Attempt) -> None:
    from training.licensing import licence_review
    from training.services import completion_record, course_progress

    course = attempt.quiz.course
    if course is not None:
        progress = course_progress(person=attempt.person, course=course)
        if progress.is_all_read:
            completion_record(person=attempt.person, course=course, progress=progress)
            return  # completing reviews the licence
    licence_review(person=attempt.person)
