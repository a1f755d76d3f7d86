"""The report filters: read from the URL, so a filtered view can be bookmarked and shared."""

from __future__ import annotations

from django import forms

from socialgov.people.models import Department
from socialgov.reports.models import Status
from socialgov.reports.selectors import Item

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# Query parameters every report page understands besides its filters.
PAGE_PARAMETERS = {"page", "format"}
FORMATS = {"csv", "xlsx"}


class ReportFilters(forms.Form):
    department = forms.IntegerField(required=False, min_value=1, widget=forms.Select)
    item = forms.ChoiceField(label="Course, policy or licence", required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Status.choices])
    start = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the ‘from’ date as a real date, like 2026-04-01."},
    )
    end = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the ‘to’ date as a real date, like 2026-11-30."},
    )

    def __init__(self, data, *, items: list[Item], **kwargs):
        super().__init__(data, **kwargs)
        self.items = {item.key: item for item in items}
        self.fields["item"].choices = [("", "Everything"), *[(item.key, item.name) for item in items]]
        self.fields["item"].error_messages["invalid_choice"] = (
            "Choose a course, policy or the licence from the list: ‘%(value)s’ is not one of them."
        )
        self.fields["status"].error_messages["invalid_choice"] = (
            "Choose a status from the list: ‘%(value)s’ is not one of them."
        )
        self.unknown = sorted(set(data) - set(self.fields) - PAGE_PARAMETERS)
        self.export = data.get("format", "")

    def clean_department(self):
        pk = self.cleaned_data.get("department")
        if pk is None:
            return None
        department = Department.objects.filter(pk=pk).first()
        if department is None:
            raise forms.ValidationError("There is no department with that number: choose one from the list.")
        return department

    def clean_item(self) -> Item | None:
        return self.items.get(self.cleaned_data.get("item") or "")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The ‘to’ date must be on or after the ‘from’ date.")
        if self.unknown:
            names = ", ".join(f"‘{name}’" for name in self.unknown)
            raise forms.ValidationError(
                f"This page has no filter called {names}: use department, item, status, start or end."
            )
        if self.export and self.export not in FORMATS:
            raise forms.ValidationError(f"Downloads come as csv or xlsx, not ‘{self.export}’.")
        return cleaned

    @property
    def download(self) -> str:
        """The download asked for ("csv" or "xlsx"), or "" for the page (always the page if a filter is wrong)."""
        return self.export if self.is_valid() and self.export in FORMATS else ""

    def value(self, name: str):
        """The cleaned filter, or nothing if the URL gave a bad one (the page then shows everything)."""
        if not self.is_valid():
            return self.cleaned_data.get(name) if name not in self.errors else None
        return self.cleaned_data.get(name)
