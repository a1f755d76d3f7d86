"""The notification preferences form: when the daily email arrives, and which optional reminders to switch off."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings

from socialgov.notifications import registry


def time_label(value: datetime.time) -> str:
    """A time in GOV.UK style: 9am, 9:30am, midday, 5:30pm."""
    if value == datetime.time(12, 0):
        return "midday"
    if value == datetime.time(0, 0):
        return "midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def digest_times() -> list[datetime.time]:
    """Every half hour from the start of the working day until it ends (the end itself is not working time)."""
    start, end = settings.WORKING_DAY_START, settings.WORKING_DAY_END
    every_half_hour = (datetime.time(minutes // 60, minutes % 60) for minutes in range(0, 24 * 60, 30))
    return [moment for moment in every_half_hour if start <= moment < end]


def optional_kinds() -> list[registry.Kind]:
    """Kinds of reminder people may switch off, by label."""
    return sorted((kind for kind in registry.kinds() if not kind.is_mandatory), key=lambda kind: kind.label)


def mandatory_kinds() -> list[registry.Kind]:
    """Kinds of reminder that are always sent, by label (the digest itself is how they are sent, not one of them)."""
    return sorted(
        (kind for kind in registry.kinds() if kind.is_mandatory and kind.key != registry.DIGEST.key),
        key=lambda kind: kind.label,
    )


def _shown(value: str, limit: int = 60) -> str:
    """A posted value, shortened, for an error message."""
    return value if len(value) <= limit else f"{value[: limit - 1]}…"


class DigestTimeField(forms.ChoiceField):
    """A half-hour time in the working day, chosen from a list."""

    def __init__(self, **kwargs):
        super().__init__(choices=self._choices_now, **kwargs)

    @staticmethod
    def _choices_now() -> list[tuple[str, str]]:
        return [(value.strftime("%H:%M"), time_label(value)) for value in digest_times()]

    def validate(self, value: str) -> None:
        if value in self.empty_values:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        times = digest_times()
        if not times:
            raise forms.ValidationError("There are no working hours to choose from: contact an administrator")
        try:
            moment = datetime.time.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError("Choose a time from the list", code="invalid_choice") from None
        if not settings.WORKING_DAY_START <= moment < settings.WORKING_DAY_END:
            raise forms.ValidationError(
                f"Choose a time in the working day, from {time_label(times[0])} to {time_label(times[-1])}",
                code="outside_working_hours",
            )
        if moment not in times:
            raise forms.ValidationError("Choose a time from the list", code="invalid_choice")

    def clean(self, value) -> datetime.time:
        return datetime.time.fromisoformat(super().clean(value))


class OptionalKindsField(forms.MultipleChoiceField):
    """Optional kinds of reminder to switch off; a mandatory or unknown kind is refused by name."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=self._choices_now, required=False, **kwargs)

    @staticmethod
    def _choices_now() -> list[tuple[str, str]]:
        return [(kind.key, kind.label) for kind in optional_kinds()]

    def validate(self, value: list[str]) -> None:
        for key in value:
            kind = registry.kind(key)
            if kind is None:
                raise forms.ValidationError(
                    f"Choose reminders from the list: “{_shown(key)}” is not one of them", code="unknown"
                )
            if kind.is_mandatory:
                raise forms.ValidationError(
                    f"You cannot switch off “{kind.label}”: it is always sent", code="mandatory"
                )


class PreferenceForm(forms.Form):
    digest_time = DigestTimeField(
        label="What time should your daily email arrive?",
        help_text="It comes on working days when something is due, at this time or soon after.",
        error_messages={"required": "Choose a time for your daily email"},
    )
    opted_out_kinds = OptionalKindsField(
        label="Which reminders do you want to switch off?",
        help_text="Select all that apply. You will not be emailed or notified about them, "
        "but you still need to do what they are about.",
    )

    def clean_opted_out_kinds(self) -> list[str]:
        return sorted(set(self.cleaned_data["opted_out_kinds"]))
