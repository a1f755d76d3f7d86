"""Item analysis for comms leads: which questions of a quiz work, and which to rewrite."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from socialgov.people.access import role_required
from socialgov.people.roles import Role
from socialgov.web.exports import csv_response
from training.analysis import MIN_ANSWERS, item_analysis, quiz_summary
from training.models import QuestionCategory, Quiz

HEADINGS = ["Question", "Category", "Type", "Answers", "Right", "Facility (%)", "Discrimination", "Verdict", "Why"]


def _csv(quiz: Quiz, items):
    rows = (
        [
            item.question.text,
            item.question.category.name,
            item.question.get_kind_display(),
            item.answers,
            item.right,
            "" if item.facility_percent is None else item.facility_percent,
            "" if item.discrimination is None else f"{item.discrimination:.2f}",
            item.verdict,
            " ".join(item.problems),
        ]
        for item in items
    )
    return csv_response(f"{quiz.slug}-item-analysis.csv", HEADINGS, rows)


@role_required(Role.COMMS_LEAD, Role.ADMINISTRATOR)
def quiz_analysis(request, slug):
    """Per question: how often it is answered right, how well it separates strong from weak; weakest first."""
    quiz = get_object_or_404(Quiz.objects.select_related("course"), slug=slug)
    categories = list(QuestionCategory.objects.filter(pk__in=quiz.draws.values("category")))
    category = next((c for c in categories if str(c.pk) == request.GET.get("category")), None)
    items = item_analysis(quiz, category_id=category.pk if category else None)
    if request.GET.get("format") == "csv":
        return _csv(quiz, items)
    context = {
        "quiz": quiz,
        "items": items,
        "flagged": sum(item.is_flagged for item in items),
        "summary": quiz_summary(quiz),
        "categories": categories,
        "category": category,
        "min_answers": MIN_ANSWERS,
        "breadcrumbs": [
            ("Home", reverse("web:home")),
            ("Question bank", reverse("training:bank")),
            (f"{quiz.title}: item analysis", None),
        ],
    }
    return render(request, "training/quiz_analysis.html", context)
