"""Forms of the data protection pages: finding a person, and the audit view's filters (read from the URL)."""

from __future__ import annotations

from django import forms

from socialgov.people.models import User
from socialgov.privacy.audit import SOURCES, Filters

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"]


def person_from(text: str, *, field_name: str) -> User:
    """The person an email address or id names, or a message that says which was not found."""
    text = text.strip()
    if text.isdigit():
        person = User.objects.filter(pk=int(text)).first()
        if person is None:
            raise forms.ValidationError(f"There is nobody with the ID {text}. Enter an email address or an ID.")
        return person
    if "@" not in text:
        raise forms.ValidationError(
            f"Enter the {field_name} as an email address, like name@example.gov.uk, or as a number (their ID)."
        )
    person = User.objects.filter(email__iexact=text).first()
    if person is None:
        raise forms.ValidationError(f"There is nobody with the email address {text}.")
    return person


class PersonForm(forms.Form):
    """HR names the person whose data to gather."""

    person = forms.CharField(
        label="Email address or ID",
        max_length=254,
        help_text="Their email address at work, or the ID from their record. Leavers are included.",
        error_messages={"required": "Enter the email address or ID of the person"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_person(self) -> User:
        return person_from(self.cleaned_data["person"], field_name="email address or ID")


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 2026-03-31",
        error_messages={"invalid": f"Enter the {label.lower()} as a real date, for example 2026-03-31"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )


class AuditFilterForm(forms.Form):
    """The filters of the audit view, all optional; an unknown value says so rather than showing everything."""

    person = forms.CharField(
        label="Whose record",
        required=False,
        max_length=254,
        help_text="Email address or ID",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    record_type = forms.ChoiceField(
        label="Type of record",
        required=False,
        choices=[("", "All records"), *((source.key, source.plural) for source in SOURCES)],
        error_messages={"invalid_choice": "Choose a record from the list: %(value)s is not one of them"},
    )
    date_from = _date_field("Date from")
    date_to = _date_field("Date to")
    changed_by = forms.CharField(
        label="Changed by",
        required=False,
        max_length=254,
        help_text="Email address or ID",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_person(self) -> User | None:
        text = self.cleaned_data["person"].strip()
        return person_from(text, field_name="person whose record it is") if text else None

    def clean_changed_by(self) -> User | None:
        text = self.cleaned_data["changed_by"].strip()
        return person_from(text, field_name="person who made the change") if text else None

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The date to must be the same as or after the date from")
        return cleaned

    def filters(self) -> Filters:
        """The valid filters, for the audit query."""
        data = self.cleaned_data
        return Filters(
            person=data.get("person"),
            record_type=data.get("record_type") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            changed_by=data.get("changed_by"),
        )
