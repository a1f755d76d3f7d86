"""The support level: a person's self-assessment and its result; the spread of levels for comms leads and HR."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from socialgov.people.access import role_required
from socialgov.people.roles import Role, has_role
from training.models import Course
from training.support import (
    LEVEL_MEANINGS,
    QUESTIONS,
    assessment_record,
    help_for,
    latest_level,
    levels_by_department,
    levels_total,
)

# Who sees the spread of levels: comms leads, to plan their help; HR, who run training; administrators.
LEVELS_ROLES = (Role.COMMS_LEAD, Role.HR, Role.ADMINISTRATOR)


class AssessmentForm(forms.Form):
    """One set of radios per question; a question left out says which."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            message = f"Answer: {question.text}"
            self.fields[question.key] = forms.ChoiceField(
                label=question.text,
                help_text=question.hint,
                choices=[(answer.key, answer.text) for answer in question.answers],
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )


def _crumbs(*extra):
    return [("Home", reverse("web:home")), ("Your learning", reverse("training:mine")), *extra]


def _path_courses(level: str) -> list[Course]:
    """Published courses on a level's path. Filtered here: JSON "contains" differs between SQLite and PostgreSQL."""
    return [course for course in Course.objects.filter(is_published=True) if level in (course.support_levels or [])]


def assessment(request):
    """Take the self-assessment, or see your level, your path and who to ask."""
    latest = latest_level(request.user)
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            recorded = assessment_record(person=request.user, answers=form.cleaned_data)
            messages.success(request, f"Your support level is {recorded.get_level_display()}")
            return redirect("training:support")
    elif latest is not None and not request.GET.get("retake"):
        context = {
            "assessment": latest,
            "meaning": LEVEL_MEANINGS[latest.level],
            "courses": _path_courses(latest.level),
            "help": help_for(latest.level, person=request.user),
            "can_see_levels": has_role(request.user, *LEVELS_ROLES),
            "breadcrumbs": _crumbs(("Support level", None)),
        }
        return render(request, "training/support.html", context)
    else:
        form = AssessmentForm(initial=latest.answers if latest is not None else None)
    context = {
        "form": form,
        "retaking": latest is not None,
        "breadcrumbs": _crumbs(("Support level", None)),
    }
    return render(request, "training/support.html", context, status=400 if form.errors else 200)


@role_required(*LEVELS_ROLES)
def levels(request):
    """How many people are at each support level, by department, and how many have not taken it."""
    lines = levels_by_department()
    context = {
        "lines": lines,
        "total": levels_total(lines),
        "breadcrumbs": _crumbs(("Support levels by department", None)),
    }
    return render(request, "training/support_levels.html", context)
