"""Forms for the rota. They check what was typed; the rules (clashes, leavers, who may do what) are the services'."""

from __future__ import annotations

import datetime

from django import forms

from socialgov.people.forms import PersonByEmailField
from socialgov.rota.models import MAX_REMINDER_MINUTES, MIN_REMINDER_MINUTES, Shift
from socialgov.rota.phones import phone_parse
from socialgov.rota.times import LocalTimeError, local_moment, moment_label, to_local

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"}, format="%H:%M")
EVENING = datetime.time(17, 30)
MORNING = datetime.time(9, 0)


def _date_field(label: str, what: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE_WIDGET,
        help_text="For example, 2026-11-23.",
        error_messages={"required": f"Enter the {what} date", "invalid": f"Enter the {what} date as a real date"},
    )


def _time_field(label: str, what: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=TIME_WIDGET,
        help_text="UK time, 24-hour clock, for example 17:30.",
        error_messages={"required": f"Enter the {what} time", "invalid": f"Enter the {what} time, like 17:30"},
    )


class ShiftForm(forms.Form):
    person = PersonByEmailField(
        label="Their email address", error_messages={"required": "Enter the email address of the person on call"}
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (Shift.Role.PRIMARY, "Primary: called first"),
            (Shift.Role.SECONDARY, "Secondary: called if the primary does not answer"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose primary or secondary", "invalid_choice": "Choose primary or secondary"},
    )
    starts_on = _date_field("Start date", "start")
    starts_time = _time_field("Start time", "start")
    ends_on = _date_field("End date", "end")
    ends_time = _time_field("End time", "end")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown on the rota and in the person's calendar, for example “Covering the council meeting”.",
        error_messages={"max_length": "The note must be 500 characters or fewer"},
    )

    @classmethod
    def initial_for(cls, shift: Shift | None = None, day: datetime.date | None = None) -> dict:
        """What the form starts with: a shift's values, or an evening-to-morning shift from ``day``."""
        if shift is not None:
            starts, ends = to_local(shift.starts_at), to_local(shift.ends_at)
            return {
                "person": shift.person.email,
                "role": shift.role,
                "starts_on": starts.date(),
                "starts_time": starts.time(),
                "ends_on": ends.date(),
                "ends_time": ends.time(),
                "note": shift.note,
            }
        if day is None:
            return {}
        return {"starts_on": day, "starts_time": EVENING, "ends_on": day + datetime.timedelta(days=1),
                "ends_time": MORNING}  # fmt: skip

    def _moment(self, cleaned, day_field: str, time_field: str):
        day, time = cleaned.get(day_field), cleaned.get(time_field)
        if day is None or time is None:
            return None
        try:
            return local_moment(day, time)
        except LocalTimeError as error:
            self.add_error(time_field, f"{error}: choose another time")
            return None

    def clean(self):
        cleaned = super().clean()
        starts_at = self._moment(cleaned, "starts_on", "starts_time")
        ends_at = self._moment(cleaned, "ends_on", "ends_time")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_on", f"The end must be after the start ({moment_label(starts_at)})")
        cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned


class SwapRequestForm(forms.Form):
    to_person = PersonByEmailField(
        label="Your colleague's email address",
        help_text="They are told at once. The shift stays yours until they accept.",
        error_messages={"required": "Enter the email address of the colleague you are asking"},
    )
    note = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, why you need to swap, or which of their shifts you could take instead.",
        error_messages={"max_length": "The message must be 500 characters or fewer"},
    )


class RotaSettingsForm(forms.Form):
    head_of_comms = PersonByEmailField(
        label="Head of communications' email address (optional)",
        required=False,
        help_text="Called when neither the primary nor the secondary answers: the last rung of escalation.",
    )
    shift_reminder_minutes = forms.IntegerField(
        label="Remind people this many minutes before their shift starts",
        min_value=MIN_REMINDER_MINUTES,
        max_value=MAX_REMINDER_MINUTES,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many minutes before a shift its reminder goes",
            "invalid": "Enter a whole number of minutes, like 60",
            "min_value": f"Enter at least {MIN_REMINDER_MINUTES} minutes",
            "max_value": f"Enter at most {MAX_REMINDER_MINUTES} minutes (a day)",
        },
    )
    is_round_the_clock = forms.BooleanField(
        label="The rota covers working hours too",
        required=False,
        help_text="Leave this unticked if the comms team covers working hours in the office: then only evenings, "
        "nights, weekends and bank holidays are checked for gaps.",
    )


class PhoneForm(forms.Form):
    number = forms.CharField(
        label="Phone number to ring you on when you are on call (optional)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}),
        help_text="Shown with the rota to colleagues while you are on call. Leave it empty to remove it.",
        error_messages={"max_length": "Enter a phone number of 30 characters or fewer"},
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number:
            try:
                phone_parse(number)
            except ValueError as error:
                raise forms.ValidationError(str(error)) from None
        return number
