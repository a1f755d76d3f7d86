"""Taking a quiz: its page, an attempt (resumable), and the result with feedback. Attempts are their taker's alone."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from training.models import Attempt, Option, Quiz
from training.quizzes import (
    QuizError,
    answers_save,
    attempt_start,
    attempt_submit,
    attempts_of,
    deadline,
    has_passed,
    next_attempt_at,
)


def _crumbs(quiz: Quiz, *trail):
    crumbs = [("Home", reverse("web:home")), ("Your learning", reverse("training:mine"))]
    if quiz.course_id:
        crumbs.append((quiz.course.title, reverse("training:course", kwargs={"slug": quiz.course.slug})))
    return [*crumbs, (quiz.title, reverse("training:quiz", kwargs={"slug": quiz.slug}) if trail else None), *trail]


def quiz_detail(request, slug):
    """What the quiz asks, the attempts so far, and a button to start or resume."""
    quiz = get_object_or_404(Quiz.objects.select_related("course"), slug=slug, is_published=True)
    if request.method == "POST":
        try:
            attempt = attempt_start(person=request.user, quiz=quiz)
        except QuizError as error:
            messages.error(request, str(error))
            return redirect("training:quiz", slug=quiz.slug)
        return redirect("training:attempt", pk=attempt.pk)
    attempts = list(attempts_of(request.user, quiz).order_by("number"))
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    used = len(attempts)
    context = {
        "quiz": quiz,
        "attempts": [a for a in attempts if a.submitted_at],
        "open_attempt": open_attempt,
        "passed": has_passed(request.user, quiz),
        "remaining": None if quiz.max_attempts is None else max(quiz.max_attempts - used, 0),
        "wait_until": next_attempt_at(request.user, quiz),
        "questions": sum(draw.count for draw in quiz.draws.all()),
        "breadcrumbs": _crumbs(quiz),
    }
    return render(request, "training/quiz_detail.html", context)


def _own_attempt(request, pk) -> Attempt:
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "quiz__course"), pk=pk)
    if attempt.person_id != request.user.pk:
        raise Http404("No such attempt.")
    return attempt


def _posted_answers(request, attempt_questions) -> tuple[dict[int, list[int]], list[int]]:
    """Answers from the form, and the numbers of unanswered questions. Ids that are not numbers are refused."""
    answers, unanswered = {}, []
    for aq in attempt_questions:
        raw = request.POST.getlist(f"q-{aq.pk}")
        if not raw:
            unanswered.append(aq.order)
            continue
        try:
            answers[aq.pk] = [int(value) for value in raw]
        except ValueError:
            raise QuizError(f"Question {aq.order}: that answer is not one of its options.") from None
    return answers, unanswered


def attempt_take(request, pk):
    """An attempt in progress: answer, save to come back later, or submit."""
    attempt = _own_attempt(request, pk)
    if attempt.submitted_at is not None:
        return redirect("training:attempt-result", pk=attempt.pk)
    attempt_questions = list(attempt.questions.select_related("question").order_by("order"))
    unanswered: list[int] = []
    if request.method == "POST":
        try:
            answers, unanswered = _posted_answers(request, attempt_questions)
            if request.POST.get("action") == "submit" and not unanswered:
                attempt_submit(attempt=attempt, answers=answers)
                return redirect("training:attempt-result", pk=attempt.pk)
            answers_save(attempt=attempt, answers=answers)
        except QuizError as error:
            messages.error(request, str(error))
            return redirect("training:attempt", pk=attempt.pk)
        if request.POST.get("action") != "submit":
            messages.success(request, "Your answers are saved. Come back to finish at any time.")
            return redirect("training:quiz", slug=attempt.quiz.slug)
        for aq in attempt_questions:
            aq.selected = answers.get(aq.pk, aq.selected)
    options = {o.pk: o for o in Option.objects.filter(question__in=[aq.question_id for aq in attempt_questions])}
    items = [(aq, [options[pk] for pk in aq.option_order if pk in options]) for aq in attempt_questions]
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "unanswered": unanswered,
        "deadline": deadline(attempt),
        "breadcrumbs": _crumbs(attempt.quiz, (f"Attempt {attempt.number}", None)),
    }
    return render(request, "training/attempt.html", context, status=400 if unanswered else 200)


def attempt_result(request, pk):
    """The mark, and for each question what was chosen, what was right and why."""
    attempt = _own_attempt(request, pk)
    if attempt.submitted_at is None:
        return redirect("training:attempt", pk=attempt.pk)
    attempt_questions = list(attempt.questions.select_related("question").order_by("order"))
    options = {o.pk: o for o in Option.objects.filter(question__in=[aq.question_id for aq in attempt_questions])}
    items = [(aq, [options[pk] for pk in aq.option_order if pk in options]) for aq in attempt_questions]
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "can_retry": not attempt.is_passed
        and (attempt.quiz.max_attempts is None or attempt.number < attempt.quiz.max_attempts),
        "wait_until": next_attempt_at(request.user, attempt.quiz),
        "now": timezone.now(),
        "breadcrumbs": _crumbs(attempt.quiz, (f"Attempt {attempt.number}: result", None)),
    }
    return render(request, "training/attempt_result.html", context)
