"""The post checker page for everyone, and its settings page for comms leads."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialgov.people.access import role_required
from socialgov.people.roles import Role, has_role
from training import checker
from training.models import ElectionPeriod, HouseRules
from training.post_checks import election_period_on, house_rules_update, post_check

SETTINGS_ROLES = (Role.COMMS_LEAD, Role.ADMINISTRATOR)
SEVERITY_ORDER = {"error": 0, "warning": 1, "advice": 2}
SEVERITY_LABELS = {"error": "Must fix", "warning": "Should fix", "advice": "Worth a look"}


class CheckForm(forms.Form):
    text = forms.CharField(
        label="Your draft post",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true"}),
        error_messages={"required": "Paste or type the post you want to check"},
    )
    platform = forms.ChoiceField(label="Where will it be posted?", widget=forms.RadioSelect)
    image_attached = forms.BooleanField(label="An image is attached", required=False)
    alt_text = forms.CharField(
        label="Alt text for the image (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the image shows, for people who cannot see it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [(p.code, p.name) for p in checker.PLATFORMS.values()]
        self.fields["platform"].error_messages["required"] = "Choose where the post will go"
        self.fields["text"].max_length = checker.MAX_DRAFT_CHARS

    def clean_text(self):
        # Browsers send a textarea's line breaks as \r\n; platforms count a line break once.
        text = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise forms.ValidationError("Paste or type the post you want to check: this one is only spaces")
        if len(text) > checker.MAX_DRAFT_CHARS:
            raise forms.ValidationError(
                f"The draft is {len(text):,} characters; the checker takes up to {checker.MAX_DRAFT_CHARS:,}. "
                "Check it in parts."
            )
        return text


@dataclass(frozen=True)
class Segment:
    text: str
    severity: str | None
    numbers: tuple[int, ...]


def _segments(text: str, findings) -> list[Segment]:
    """The draft cut where findings start and end, each piece marked with the worst finding over it.

    One sweep over the cut points, so thousands of findings cost no more than sorting them. A finding's
    number is shown where it ends. Findings about the whole post are listed but not highlighted.
    """
    starting, ending = defaultdict(list), defaultdict(list)
    for n, finding in enumerate(findings, start=1):
        if finding.end > finding.start and not finding.whole:
            starting[finding.start].append((n, finding))
            ending[finding.end].append(n)
    cuts = sorted({0, len(text), *starting, *ending})
    covering: dict[int, object] = {}
    segments = []
    for start, end in itertools.pairwise(cuts):
        for n in ending.get(start, ()):
            covering.pop(n, None)
        covering.update(starting.get(start, ()))
        severity = min((f.severity for f in covering.values()), key=SEVERITY_ORDER.get, default=None)
        segments.append(Segment(text[start:end], severity, tuple(sorted(ending.get(end, ())) if covering else ())))
    return segments


def post_checker(request):
    """Paste a draft, pick the platform, see what to fix and why. Nothing is stored."""
    form = CheckForm(request.POST or None, initial={"platform": "x"})
    report = error = None
    if request.method == "POST" and form.is_valid():
        try:
            report = post_check(**form.cleaned_data)
        except checker.DraftError as problem:
            error = str(problem)
            form.add_error("text", error)
    findings = report.findings if report else []
    titles = {rule.code: rule.title for rule in checker.RULES}
    context = {
        "form": form,
        "report": report,
        "findings": [(n, f, titles[f.rule], SEVERITY_LABELS[f.severity]) for n, f in enumerate(findings, start=1)],
        "counts": [
            (label, count)
            for severity, label in SEVERITY_LABELS.items()
            if (count := sum(f.severity == severity for f in findings))
        ],
        "segments": _segments(report.text, findings) if report else [],
        "election": election_period_on(),
        "can_configure": has_role(request.user, *SETTINGS_ROLES),
        "breadcrumbs": [("Home", reverse("web:home")), ("Post checker", None)],
    }
    return render(request, "training/post_checker.html", context)


class HouseRulesForm(forms.ModelForm):
    class Meta:
        model = HouseRules
        fields = ["banned", "cautioned", "sign_off", "allowed_contacts", "mastodon_limit"]
        labels = {
            "banned": "Banned words and phrases",
            "cautioned": "Words and phrases to use with care",
            "sign_off": "Required sign-off (optional)",
            "allowed_contacts": "Contact details that are fine to post",
            "mastodon_limit": "Mastodon character limit",
        }
        widgets = {
            "banned": forms.Textarea(attrs={"rows": 4}),
            "cautioned": forms.Textarea(attrs={"rows": 4}),
            "allowed_contacts": forms.Textarea(attrs={"rows": 3}),
            "mastodon_limit": forms.NumberInput(attrs={"class": "govuk-input--width-5", "min": 1}),
        }

    def clean_mastodon_limit(self):
        limit = self.cleaned_data["mastodon_limit"]
        if not 1 <= limit <= 100_000:
            raise forms.ValidationError("Enter a Mastodon limit between 1 and 100,000 characters")
        return limit


class ElectionPeriodForm(forms.ModelForm):
    class Meta:
        model = ElectionPeriod
        fields = ["name", "starts_on", "ends_on"]
        labels = {"name": "Name", "starts_on": "Starts on", "ends_on": "Ends on"}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
            "ends_on": forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        }
        error_messages = {
            "name": {"required": "Enter a name for the period, such as “Local elections, May 2027”"},
            "starts_on": {"required": "Enter the day the period starts", "invalid": "Enter the start as a real date"},
            "ends_on": {"required": "Enter the day the period ends", "invalid": "Enter the end as a real date"},
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end must be on or after the start")
        return cleaned


@role_required(*SETTINGS_ROLES)
def checker_settings(request):
    """House rules and pre-election periods: what the checker adds to its built-in rules."""
    rules = HouseRules.current()
    rules_form = HouseRulesForm(instance=rules, prefix="rules")
    period_form = ElectionPeriodForm(prefix="period")
    if request.method == "POST" and "rules-banned" in request.POST:
        rules_form = HouseRulesForm(request.POST, instance=rules, prefix="rules")
        if rules_form.is_valid():
            changed = house_rules_update(rules=rules_form.save(commit=False), by=request.user)
            note = (
                f" The answers to {changed} spot-the-problem question{'s' if changed != 1 else ''} changed to match."
                if changed
                else ""
            )
            messages.success(request, "House rules saved." + note)
            return redirect("training:checker-settings")
    elif request.method == "POST":
        period_form = ElectionPeriodForm(request.POST, prefix="period")
        if period_form.is_valid():
            period = period_form.save(commit=False)
            period.created_by = request.user
            period.save()
            messages.success(request, f"{period.name} added.")
            return redirect("training:checker-settings")
    today = timezone.localdate()
    context = {
        "rules_form": rules_form,
        "period_form": period_form,
        "rules": rules,
        "periods": ElectionPeriod.objects.all(),
        "today": today,
        "election": election_period_on(today),
        "breadcrumbs": [
            ("Home", reverse("web:home")),
            ("Post checker", reverse("training:checker")),
            ("Settings", None),
        ],
    }
    return render(request, "training/checker_settings.html", context)


@role_required(*SETTINGS_ROLES)
@require_POST
def election_period_delete(request, pk):
    period = get_object_or_404(ElectionPeriod, pk=pk)
    period.delete()
    messages.success(request, f"{period.name} removed.")
    return redirect("training:checker-settings")
