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
