"""Staff and managers' pages: my learning, the course catalogue, a course, a lesson, the team, a person's record."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from socialgov.people.access import manager_or_role_required, person_access_required
from socialgov.people.roles import Role
from training.licensing import licence_in_force, requirements_for
from training.models import Assignment, Course, Lesson, Licence, Quiz
from training.quizzes import has_passed
from training.selectors import completions_of, open_lines, progress_by_course, team_of
from training.services import course_progress, lesson_mark_read


def _crumbs(*trail):
    return [("Home", reverse("web:home")), ("Your learning", reverse("training:mine")), *trail]


def _quiz_of(course):
    return Quiz.objects.filter(course=course, is_published=True).first()


def _latest_level(person):
    from training.models import SupportAssessment

    return SupportAssessment.objects.filter(person=person).first()


def my_learning(request):
    """What I must learn, what I have finished, and my licence to post."""
    person = request.user
    context = {
        "lines": open_lines(person),
        "completions": list(completions_of(person)[:20]),
        "licence": licence_in_force(person),
        "requirements": requirements_for(person),
        "assessment": _latest_level(person),
        "today": timezone.localdate(),
        "breadcrumbs": [("Home", reverse("web:home")), ("Your learning", None)],
    }
    return render(request, "training/my_learning.html", context)


def course_list(request):
    """Every published course: anyone may take one, assigned or not."""
    courses = list(Course.objects.filter(is_published=True).order_by("title"))
    progress = progress_by_course(request.user, courses)
    rows = []
    for course in courses:
        lessons, read = progress[course.pk]
        rows.append((course, lessons, read, round(100 * read / lessons) if lessons else 0))
    context = {"rows": rows, "breadcrumbs": _crumbs(("Courses", None))}
    return render(request, "training/course_list.html", context)


def course_detail(request, slug):
    course = get_object_or_404(Course, slug=slug, is_published=True)
    progress = course_progress(person=request.user, course=course)
    quiz = _quiz_of(course)
    context = {
        "course": course,
        "progress": progress,
        "quiz": quiz,
        "quiz_passed": quiz is not None and has_passed(request.user, quiz),
        "assignment": Assignment.objects.open().filter(person=request.user, course=course).first(),
        "completion": completions_of(request.user).filter(course=course).first(),
        "today": timezone.localdate(),
        "breadcrumbs": _crumbs((course.title, None)),
    }
    return render(request, "training/course_detail.html", context)


def lesson_detail(request, slug, order):
    """A lesson; confirming it read moves on to the next one, and the last one completes the course."""
    lesson = get_object_or_404(
        Lesson.objects.select_related("course"), course__slug=slug, course__is_published=True, order=order
    )
    course = lesson.course
    if request.method == "POST":
        completion = lesson_mark_read(person=request.user, lesson=lesson)
        if completion is not None:
            messages.success(request, f"You have completed {course.title}. Your certificate is ready.")
            return redirect("training:course", slug=course.slug)
        following = course.lessons.filter(order__gt=lesson.order).order_by("order").first()
        if following is not None:
            return redirect("training:lesson", slug=course.slug, order=following.order)
        quiz = _quiz_of(course)
        if quiz is not None and not has_passed(request.user, quiz):
            messages.success(request, f"You have read every lesson. Now take the quiz to complete {course.title}.")
            return redirect("training:quiz", slug=quiz.slug)
        return redirect("training:course", slug=course.slug)
    progress = course_progress(person=request.user, course=course)
    position = next(i for i, item in enumerate(progress.lessons, start=1) if item.pk == lesson.pk)
    context = {
        "course": course,
        "lesson": lesson,
        "progress": progress,
        "position": position,
        "is_read": lesson.pk in progress.read,
        "is_last": position == progress.total,
        "has_quiz": _quiz_of(course) is not None,
        "breadcrumbs": _crumbs(
            (course.title, reverse("training:course", kwargs={"slug": course.slug})), (lesson.title, None)
        ),
    }
    return render(request, "training/lesson_detail.html", context)


@manager_or_role_required()
def team(request):
    """A manager's people: what they have to do, what is overdue, who holds a licence."""
    members = team_of(request.user)
    context = {
        "members": members,
        "overdue": sum(1 for m in members if m.overdue),
        "licensed": sum(1 for m in members if m.has_licence),
        "breadcrumbs": _crumbs(("Your team's training", None)),
    }
    return render(request, "training/team.html", context)


@person_access_required
def person_record(request, person):
    """One person's training: assignments, completions, licence history."""
    context = {
        "person": person,
        "assignments": Assignment.objects.filter(person=person).select_related("course").order_by("-assigned_at"),
        "completions": completions_of(person),
        "licences": Licence.objects.filter(person=person),
        "licence": licence_in_force(person),
        "requirements": requirements_for(person),
        "assessment": _latest_level(person),
        "can_exempt": request.user.pk != person.pk and _is_hr(request.user),
        "today": timezone.localdate(),
        "breadcrumbs": [("Home", reverse("web:home")), (str(person), None)],
    }
    return render(request, "training/person_record.html", context)


def _is_hr(user) -> bool:
    from socialgov.people.roles import has_role

    return has_role(user, Role.HR, Role.ADMINISTRATOR)
