"""Item analysis: facility and discrimination come out as the textbook formulas say, in a fixed number of queries."""

from __future__ import annotations

import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from tests.training.conftest import make_quiz
from training.analysis import MIN_ANSWERS, item_analysis, quiz_summary
from training.models import Attempt, AttemptQuestion, Question

pytestmark = pytest.mark.django_db


def submitted(quiz, pattern: dict[Question, bool]) -> Attempt:
    """A submitted attempt (by a new person) whose questions were answered right or wrong as ``pattern`` says."""
    score = sum(pattern.values())
    attempt = Attempt.objects.create(
        quiz=quiz, person=UserFactory(), number=1, submitted_at=timezone.now(), score=score,
        max_score=len(pattern), is_passed=100 * score >= quiz.pass_mark_percent * len(pattern),
    )  # fmt: skip
    for order, (question, right) in enumerate(pattern.items(), start=1):
        AttemptQuestion.objects.create(attempt=attempt, question=question, order=order, is_correct=right)
    return attempt


@pytest.fixture
def quiz():
    return make_quiz(categories=1, per_category=6, draw=6)


def questions_of(quiz) -> list[Question]:
    return list(Question.objects.filter(category__in=quiz.draws.values("category")).order_by("pk"))


def class_of_twelve(quiz) -> tuple[dict[str, Question], list[dict[Question, bool]]]:
    """Twelve attempts from weakest (0) to strongest (11).

    Four questions are right from a rising level of strength, as good questions are; "reversed" is right only
    for the weaker half, as a question with the wrong key would be; "coin" alternates regardless of strength.
    """
    q = questions_of(quiz)
    named = {"easy": q[0], "medium": q[1], "hard": q[2], "hardest": q[3], "reversed": q[4], "coin": q[5]}
    thresholds = {"easy": 2, "medium": 4, "hard": 7, "hardest": 9}
    patterns = []
    for strength in range(12):
        pattern = {named[name]: strength >= level for name, level in thresholds.items()}
        pattern[named["reversed"]] = strength < 6
        pattern[named["coin"]] = strength % 2 == 0
        patterns.append(pattern)
        submitted(quiz, pattern)
    return named, patterns


def test_facility_and_discrimination_match_the_formulas(quiz):
    named, patterns = class_of_twelve(quiz)

    stats = {item.question: item for item in item_analysis(quiz)}

    for question in named.values():
        rights = [p[question] for p in patterns]
        rests = [(sum(p.values()) - p[question]) / (len(p) - 1) for p in patterns]
        assert stats[question].answers == 12
        assert stats[question].facility == pytest.approx(sum(rights) / 12)
        expected = statistics.correlation([float(r) for r in rights], rests)
        assert stats[question].discrimination == pytest.approx(expected)
    assert stats[named["medium"]].discrimination > 0.3
    assert stats[named["medium"]].verdict == "Good"
    assert stats[named["reversed"]].discrimination < 0
    assert stats[named["reversed"]].verdict == "Negative"
    assert "check the answer key" in stats[named["reversed"]].problems[0]


def test_weakest_questions_come_first_and_are_flagged(quiz):
    named, _ = class_of_twelve(quiz)

    items = item_analysis(quiz)

    assert items[0].question == named["reversed"]
    flagged = {item.question for item in items if item.is_flagged}
    assert named["reversed"] in flagged
    assert named["coin"] in flagged
    assert named["medium"] not in flagged
    assert named["hard"] not in flagged
    assert [item.is_flagged for item in items] == sorted((item.is_flagged for item in items), reverse=True)


def test_too_few_answers_are_not_judged(quiz):
    good, *_ = questions_of(quiz)
    for i in range(MIN_ANSWERS - 1):
        submitted(quiz, {good: i == 0})  # nearly everyone wrong, but too few answers to say so

    item = next(item for item in item_analysis(quiz) if item.question == good)

    assert item.answers == MIN_ANSWERS - 1
    assert item.problems == []
    assert item.verdict == "Too few answers to judge"


def test_unanswered_and_open_attempts_count_for_nothing(quiz):
    first, *rest = questions_of(quiz)
    submitted(quiz, {first: True})
    open_attempt = Attempt.objects.create(quiz=quiz, person=UserFactory(), number=1, max_score=1)
    AttemptQuestion.objects.create(attempt=open_attempt, question=rest[0], order=1, is_correct=None)

    items = {item.question: item for item in item_analysis(quiz)}

    assert set(items) == set(questions_of(quiz))
    assert items[first].answers == 1
    assert all(items[q].answers == 0 and items[q].facility is None for q in rest)


def test_everyone_scoring_the_same_has_no_discrimination(quiz):
    good, *_ = questions_of(quiz)
    for _ in range(MIN_ANSWERS):
        submitted(quiz, {good: True})

    item = next(item for item in item_analysis(quiz) if item.question == good)

    assert item.discrimination is None
    assert item.verdict == "Everyone scored the same"
    assert item.problems == ["Almost everyone gets it right: the wrong answers may be too obvious."]


def test_summary_counts_pass_rate_and_score_bands(quiz):
    a, b, c, d = questions_of(quiz)[:4]
    submitted(quiz, {a: True, b: True, c: True, d: True})  # 100%
    submitted(quiz, {a: True, b: True, c: True, d: False})  # 75%
    submitted(quiz, {a: False, b: False, c: False, d: False})  # 0%

    summary = quiz_summary(quiz)

    assert (summary.attempts, summary.passed, summary.pass_rate_percent) == (3, 1, 33)
    assert summary.mean_percent == round(100 * (1 + 0.75 + 0) / 3)
    bands = dict(summary.distribution)
    assert bands["90–100%"] == 1
    assert bands["70–79%"] == 1
    assert bands["0–9%"] == 1
    assert sum(bands.values()) == 3


def test_queries_do_not_grow_with_attempts(quiz, django_assert_max_num_queries):
    questions = questions_of(quiz)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            item_analysis(quiz)
            quiz_summary(quiz)
        return len(captured)

    submitted(quiz, dict.fromkeys(questions, True))
    few = queries()
    for i in range(20):
        submitted(quiz, {q: (i + n) % 2 == 0 for n, q in enumerate(questions)})
    assert queries() == few <= 5
