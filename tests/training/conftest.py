"""Builders shared by the training tests: courses with lessons, made as an author would make them."""

from __future__ import annotations

import pytest

from training.models import Course, Lesson
from training.services import lesson_mark_read, lesson_save


def make_course(title: str = "Social media at work", *, slug: str | None = None, lessons: int = 3, **fields) -> Course:
    """A published course with ``lessons`` lessons, saved through ``lesson_save`` (rendered, versioned)."""
    from django.utils.text import slugify

    course = Course.objects.create(
        title=title, slug=slug or slugify(title), summary=f"About {title.lower()}.", **fields
    )
    for order in range(1, lessons + 1):
        lesson_save(
            lesson=Lesson(course=course, order=order), title=f"Lesson {order}", body=f"## Part {order}\n\nText."
        )
    return course


def read_all(person, course: Course):
    """Read every lesson in order; returns the completion the last one makes."""
    completion = None
    for lesson in course.lessons.order_by("order"):
        completion = lesson_mark_read(person=person, lesson=lesson)
    return completion


@pytest.fixture
def course(db):
    return make_course()


def make_quiz(slug: str = "twitiquette", *, categories: int = 2, per_category: int = 3, draw: int = 2, **fields):
    """A quiz drawing ``draw`` of ``per_category`` single-choice questions from each of ``categories`` categories.

    Each question has three options; the correct one's text starts with "Right".
    """
    from training.models import Option, Question, QuestionCategory, Quiz, QuizDraw

    quiz = Quiz.objects.create(title=fields.pop("title", "Twitiquette quiz"), slug=slug, **fields)
    for c in range(categories):
        category, _ = QuestionCategory.objects.get_or_create(name=f"{slug} category {c}")
        QuizDraw.objects.create(quiz=quiz, category=category, count=draw)
        for q in range(per_category):
            question = Question.objects.create(category=category, kind="single", text=f"Question {c}.{q}?",
                                               explanation=f"Because {c}.{q}.")  # fmt: skip
            for n, correct in enumerate([True, False, False]):
                Option.objects.create(question=question, text=f"{'Right' if correct else 'Wrong'} {c}.{q}.{n}",
                                      is_correct=correct, order=n)  # fmt: skip
    return quiz


def answer_all(attempt, *, right: bool = True) -> dict[int, list[int]]:
    """Answers for every question of ``attempt``: all right, or all wrong."""
    from training.models import Option

    answers = {}
    for aq in attempt.questions.all():
        options = Option.objects.filter(pk__in=aq.option_order, is_correct=right)
        answers[aq.pk] = [options.first().pk]
    return answers
