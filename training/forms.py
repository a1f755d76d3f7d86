"""Forms for assigning, exempting and importing questions. Rules live in services; forms check input."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format

from socialgov.people.forms import PersonByEmailField
from training.interchange import DEFAULT_CATEGORY, MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL
from training.models import Course


class AssignForm(forms.Form):
    person = PersonByEmailField(
        label="Their email address", error_messages={"required": "Enter the email address of the person to assign"}
    )
    course = forms.ModelChoiceField(
        label="Course",
        queryset=Course.objects.filter(is_published=True).order_by("title"),
        empty_label="Choose a course",
        error_messages={"required": "Choose a course", "invalid_choice": "Choose a course from the list"},
    )
    due_on = forms.DateField(
        label="Due date",
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        help_text="For example, 2027-01-31.",
        error_messages={
            "required": "Enter a due date",
            "invalid": "Enter the due date as a real date, for example 2027-01-31",
        },
    )
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to them with the assignment.",
    )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(
                f"The due date {date_format(due_on, 'j F Y')} is in the past: choose today or a later date"
            )
        return due_on


class ExemptForm(forms.Form):
    reason = forms.CharField(
        label="Why are they exempt?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept for audit.",
        error_messages={"required": "Give a reason for the exemption"},
    )


class BankImportForm(forms.Form):
    """A question file and how to read it; ``content`` holds its bytes once the form is valid."""

    file = forms.FileField(
        label="Question file",
        help_text=f"A Moodle XML file (.xml) or a GIFT file (.gift or .txt), smaller than {MAX_UPLOAD_LABEL}.",
        widget=forms.FileInput(attrs={"accept": ".xml,.gift,.txt,application/xml,text/xml,text/plain"}),
        error_messages={
            "required": "Select a question file",
            "empty": "The selected file is empty",
            "invalid": "Select a question file",
            "missing": "Select a question file",
        },
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("auto", "Work it out from the file name"), ("xml", "Moodle XML"), ("gift", "GIFT")],
        initial="auto",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the format", "invalid_choice": "Choose the format from the list"},
    )
    default_category = forms.CharField(
        label="Category for questions without one",
        initial=DEFAULT_CATEGORY,
        max_length=100,
        help_text="Questions the file does not place in a category go here. It is created if it does not exist.",
        error_messages={
            "required": "Enter a category for questions without one",
            "max_length": "The category must be 100 characters or fewer",
        },
    )

    content: bytes = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_UPLOAD_LABEL}", code="size")
        self.content = upload.read()
        return upload

    @property
    def chosen_format(self) -> str | None:
        fmt = self.cleaned_data["format"]
        return None if fmt == "auto" else fmt
