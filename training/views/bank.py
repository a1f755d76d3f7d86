"""The question bank for comms leads: what is in it, importing Moodle XML or GIFT files, and exporting them."""

from __future__ import annotations

import re

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify

from socialgov.people.access import role_required
from socialgov.people.roles import Role
from training.forms import BankImportForm
from training.interchange import (
    FORMATS,
    MAX_UPLOAD_LABEL,
    BankImportError,
    bank_export,
    bank_import,
    bank_questions,
)
from training.interchange.services import CONTENT_TYPES, FILE_EXTENSIONS
from training.models import Question, QuestionCategory, Quiz

_ID = re.compile(r"[0-9]{1,9}")


def _crumbs(*trail):
    bank = reverse("training:bank") if trail else None
    return [("Home", reverse("web:home")), ("Question bank", bank), *trail]


def _bank_context() -> dict:
    """Every category with its questions counted by kind: two queries however big the bank."""
    counts: dict[int, dict[str, int]] = {}
    for row in Question.objects.order_by().values("category_id", "kind").annotate(n=Count("pk")):
        counts.setdefault(row["category_id"], {})[row["kind"]] = row["n"]
    kinds = Question.Kind.choices
    rows = []
    for category in QuestionCategory.objects.order_by("name"):
        by_kind = counts.get(category.pk, {})
        rows.append(
            {
                "category": category,
                "counts": [by_kind.get(kind, 0) for kind, _ in kinds],
                "total": sum(by_kind.values()),
            }
        )
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(kinds))]
    return {
        "rows": rows,
        "kinds": [label for _, label in kinds],
        "totals": totals,
        "total": sum(totals),
        "formats": FORMATS,
        "quizzes": Quiz.objects.annotate(
            submitted=Count("attempts", filter=Q(attempts__submitted_at__isnull=False))
        ).order_by("title"),
        "breadcrumbs": _crumbs(),
    }


@role_required(Role.COMMS_LEAD, Role.ADMINISTRATOR)
def bank(request):
    """The categories and how many questions of each kind they hold, with exports and the import."""
    return render(request, "training/bank.html", _bank_context())


def _refuse(request, message: str):
    context = _bank_context() | {"export_error": message}
    return render(request, "training/bank.html", context, status=400)


@role_required(Role.COMMS_LEAD, Role.ADMINISTRATOR)
def bank_export_view(request):
    """The whole bank, or one category, as a Moodle XML or GIFT download."""
    fmt = request.GET.get("format", "xml")
    if fmt not in FORMATS:
        return _refuse(request, "Choose Moodle XML or GIFT to export the questions.")
    category = None
    wanted = request.GET.get("category", "")
    if wanted:
        if not _ID.fullmatch(wanted):
            return _refuse(request, "That is not a category of the question bank. Choose one from the list.")
        category = QuestionCategory.objects.filter(pk=int(wanted)).first()
        if category is None:
            return _refuse(request, "That category is no longer in the question bank. Choose one from the list.")
    content = bank_export(bank_questions(category), fmt)
    name = f"question-bank-{slugify(category.name) or category.pk}" if category else "question-bank"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{FILE_EXTENSIONS[fmt]}"'
    return response


@role_required(Role.COMMS_LEAD, Role.ADMINISTRATOR)
def bank_import_view(request):
    """Upload a file: every question it holds is added, or, if anything is wrong with it, none and every problem."""
    form = BankImportForm(request.POST, request.FILES) if request.method == "POST" else BankImportForm()
    report = None
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            report = bank_import(
                data=form.content,
                filename=form.cleaned_data["file"].name,
                fmt=form.chosen_format,
                default_category=form.cleaned_data["default_category"],
            )
        except BankImportError as error:
            refused = error
            form.add_error("file", f"{error} Fix {'it' if error.total == 1 else 'them'} and upload the file again.")
        else:
            messages.success(request, report.describe())
            form = BankImportForm(initial={"default_category": form.cleaned_data["default_category"]})
    context = {
        "form": form,
        "report": report,
        "problems": refused.problems if refused else [],
        "more_problems": refused.more if refused else 0,
        "max_upload": MAX_UPLOAD_LABEL,
        "breadcrumbs": _crumbs(("Import questions", None)),
    }
    return render(request, "training/bank_import.html", context)
