"""Forms for assigning and exempting. Rules live in services; forms check input."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format

from policies.forms import PersonByEmailField
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
