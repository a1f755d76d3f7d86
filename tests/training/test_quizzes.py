"""Quizzes: drawing, resuming, scoring on the server only, tampering refused, limits, and what a pass unlocks."""

from __future__ import annotations

import datetime
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.training.conftest import answer_all, make_course, make_quiz, read_all
from training.models import Attempt, Completion, Option
from training.quizzes import QuizError, answers_save, attempt_start, attempt_submit

pytestmark = pytest.mark.django_db


def test_an_attempt_draws_from_each_category_once_and_keeps_what_it_was_given(staff):
    quiz = make_quiz(categories=2, per_category=3, draw=2)
    attempt = attempt_start(person=staff, quiz=quiz, rng=random.Random(7))
    given = list(attempt.questions.order_by("order"))
    assert len(given) == attempt.max_score == 4
    categories = [aq.question.category.name for aq in given]
    assert sorted(categories) == ["twitiquette category 0"] * 2 + ["twitiquette category 1"] * 2
    assert all(len(aq.option_order) == 3 for aq in given)
    # Resuming gives the same attempt, the same questions, the same option order.
    again = attempt_start(person=staff, quiz=quiz)
    assert again.pk == attempt.pk
    assert [(aq.question_id, aq.option_order) for aq in again.questions.order_by("order")] == [
        (aq.question_id, aq.option_order) for aq in given
    ]


def test_the_attempt_page_carries_nothing_about_which_answer_is_right(client, staff):
    quiz = make_quiz()
    attempt = attempt_start(person=staff, quiz=quiz)
    client.force_login(staff)
    url = reverse("training:attempt", kwargs={"pk": attempt.pk})
    before = client.get(url).content.decode()
    # Make every wrong answer right and every right one wrong: the page must not change at all.
    for option in Option.objects.all():
        option.is_correct = not option.is_correct
        option.save(update_fields=["is_correct"])
    assert _without_token(client.get(url).content.decode()) == _without_token(before)
    assert "Right answer" not in before


def _without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_scoring_marks_each_answer_and_a_second_submission_is_refused(staff):
    quiz = make_quiz(pass_mark_percent=75)
    attempt = attempt_start(person=staff, quiz=quiz)
    answers = answer_all(attempt)
    first_aq = attempt.questions.order_by("order").first()
    wrong = Option.objects.filter(pk__in=first_aq.option_order, is_correct=False).first()
    answers[first_aq.pk] = [wrong.pk]
    attempt = attempt_submit(attempt=attempt, answers=answers)
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.is_passed) == (3, 4, 75, True)
    assert attempt.questions.get(pk=first_aq.pk).is_correct is False
    with pytest.raises(QuizError, match="already been submitted"):
        attempt_submit(attempt=attempt, answers=answer_all(attempt))
    with pytest.raises(QuizError, match="cannot be changed"):
        answers_save(attempt=Attempt.objects.get(pk=attempt.pk), answers=answer_all(attempt))
    assert Attempt.objects.get(pk=attempt.pk).score == 3


def test_tampered_answers_are_refused_and_nothing_is_marked(staff):
    quiz = make_quiz()
    attempt = attempt_start(person=staff, quiz=quiz)
    one, two = list(attempt.questions.order_by("order"))[:2]
    with pytest.raises(QuizError, match=f"Question {one.order}: that answer is not one of its options"):
        attempt_submit(attempt=attempt, answers={one.pk: [two.option_order[0]]})
    with pytest.raises(QuizError, match="choose one answer"):
        attempt_submit(attempt=attempt, answers={one.pk: one.option_order[:2]})
    with pytest.raises(QuizError, match="not for a question in this attempt"):
        attempt_submit(attempt=attempt, answers={999999: [1]})
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


def test_the_limits_on_attempts_and_waiting_are_kept(staff):
    quiz = make_quiz(max_attempts=2, wait_minutes=60)
    first = attempt_start(person=staff, quiz=quiz)
    attempt_submit(attempt=first, answers=answer_all(first, right=False))
    with pytest.raises(QuizError, match="You can try again from"):
        attempt_start(person=staff, quiz=quiz)
    Attempt.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - datetime.timedelta(minutes=61))
    second = attempt_start(person=staff, quiz=quiz)
    assert second.number == 2
    attempt_submit(attempt=second, answers=answer_all(second, right=False))
    Attempt.objects.filter(pk=second.pk).update(submitted_at=timezone.now() - datetime.timedelta(minutes=61))
    with pytest.raises(QuizError, match="used all 2 attempts"):
        attempt_start(person=staff, quiz=quiz)


def test_an_attempt_past_its_time_limit_is_marked_with_what_was_saved(staff):
    quiz = make_quiz(time_limit_minutes=10)
    attempt = attempt_start(person=staff, quiz=quiz)
    answers_save(attempt=attempt, answers=answer_all(attempt))
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=11))
    with pytest.raises(QuizError, match="already passed"):
        attempt_start(person=staff, quiz=quiz)
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.score == 4


def test_submitting_with_questions_unanswered_keeps_the_answers_and_names_the_gaps(client, staff):
    quiz = make_quiz()
    attempt = attempt_start(person=staff, quiz=quiz)
    first = attempt.questions.order_by("order").first()
    client.force_login(staff)
    url = reverse("training:attempt", kwargs={"pk": attempt.pk})
    response = client.post(url, {"action": "submit", f"q-{first.pk}": first.option_order[0]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Answer question 2" in page
    assert "Answer question 1" not in page
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None
    assert attempt.questions.get(pk=first.pk).selected == [first.option_order[0]]
    response = client.post(url, {"action": "submit", f"q-{first.pk}": "not-a-number"}, follow=True)
    assert "that answer is not one of its options" in response.content.decode()


def test_someone_elses_attempt_is_not_found(client, staff, manager):
    attempt = attempt_start(person=staff, quiz=make_quiz())
    client.force_login(manager)
    assert client.get(reverse("training:attempt", kwargs={"pk": attempt.pk})).status_code == 404
    assert client.get(reverse("training:attempt-result", kwargs={"pk": attempt.pk})).status_code == 404


def test_a_course_with_a_quiz_completes_when_the_quiz_is_passed(staff):
    course = make_course()
    quiz = make_quiz(course=course)
    assert read_all(staff, course) is None  # every lesson read, but the quiz is still to pass
    attempt = attempt_start(person=staff, quiz=quiz)
    attempt_submit(attempt=attempt, answers=answer_all(attempt, right=False))
    assert not Completion.objects.exists()
    attempt = attempt_start(person=staff, quiz=quiz)
    attempt_submit(attempt=attempt, answers=answer_all(attempt))
    assert Completion.objects.filter(person=staff, course=course).exists()


def test_the_result_page_gives_feedback_for_each_answer(client, staff):
    quiz = make_quiz()
    attempt = attempt_start(person=staff, quiz=quiz)
    attempt_submit(attempt=attempt, answers=answer_all(attempt, right=False))
    client.force_login(staff)
    page = client.get(reverse("training:attempt-result", kwargs={"pk": attempt.pk})).content.decode()
    assert "You did not pass this time" in page
    assert "You scored 0 of 4 (0%)" in page
    assert page.count("Right answer") == 4
    assert page.count("You did not get this right.") == 4
    first = attempt.questions.order_by("order").first()
    assert first.question.explanation in page
