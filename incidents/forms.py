"""Forms for opening and running incidents. Rules live in services; forms check input."""

from __future__ import annotations

from django import forms

from incidents.models import BreachOutcome
from policies.models import Category, DocumentVersion, Severity
from socialgov.channels.models import Account
from socialgov.people.forms import PersonByEmailField


class OpenForm(forms.Form):
    playbook = forms.ModelChoiceField(
        label="Which playbook fits?",
        queryset=DocumentVersion.objects.none(),
        required=False,
        empty_label="None fits: open it without a playbook",
        help_text="Its steps become your checklist.",
    )
    title = forms.CharField(
        label="What is happening? (optional with a playbook)",
        required=False,
        max_length=200,
        help_text="For example, “Main X account posting spam since 22:40”.",
    )
    severity = forms.ChoiceField(
        label="How serious is it?", choices=[("", "As the playbook says"), *Severity.choices], required=False
    )
    account = forms.ModelChoiceField(
        label="Which of our accounts is affected? (optional)",
        queryset=Account.objects.none(),
        required=False,
        empty_label="None, or not known yet",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["playbook"].queryset = (
            DocumentVersion.objects.filter(
                status=DocumentVersion.Status.PUBLISHED,
                document__category=Category.PLAYBOOK,
                document__is_retired=False,
            )
            .select_related("document")
            .order_by("document__help_question")
        )
        self.fields["playbook"].label_from_instance = lambda v: v.document.help_question or v.document.title
        self.fields["account"].queryset = Account.objects.filter(is_active=True).order_by("platform", "handle")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("playbook"):
            if not (cleaned.get("title") or "").strip():
                self.add_error("title", "Say what is happening, or choose a playbook")
            if not cleaned.get("severity"):
                self.add_error("severity", "Choose how serious it is")
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add to the timeline",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the note before adding it"},
    )


class BreachOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What was decided?",
        choices=BreachOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it was reported or is not reportable"},
    )
    note = forms.CharField(
        label="Regulator's reference, or why it is not reportable",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reference, or say why it is not reportable"},
    )


class ReviewForm(forms.Form):
    what_happened = forms.CharField(
        label="What happened",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what happened"},
    )
    what_worked = forms.CharField(
        label="What worked, and what did not",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", max_length=500, error_messages={"required": "Say what needs doing"})
    owner = PersonByEmailField(label="Owner's email address", error_messages={"required": "Enter the owner's email"})
    due_on = forms.DateField(
        label="Due date",
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        error_messages={"required": "Enter a due date", "invalid": "Enter the due date as a real date"},
    )
