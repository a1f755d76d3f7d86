"""Forms for people pages (the staff list upload), and the person-by-email field every app's forms use."""

from __future__ import annotations

from django import forms

from socialgov.people.models import User
from socialgov.people.staff_import import MAX_UPLOAD_BYTES, StaffImportFileError, staff_import_decode


class StaffImportForm(forms.Form):
    """The HR system's CSV, read as UTF-8 text; ``content`` holds the text once the form is valid."""

    file = forms.FileField(
        label="Upload the staff list",
        help_text="A CSV file saved as UTF-8, smaller than 5 MB.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Select the staff list CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select the staff list CSV file",
            "missing": "Select the staff list CSV file",
        },
    )

    content: str = ""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file (ending .csv)", code="type")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB", code="size")
        try:
            self.content = staff_import_decode(upload.read())
        except StaffImportFileError as exc:
            raise forms.ValidationError(str(exc), code="encoding") from exc
        if not self.content.strip():
            raise forms.ValidationError("The selected file is empty", code="empty")
        return upload


class PersonByEmailField(forms.EmailField):
    """A current member of staff, typed as their email address (a list of 100,000 names is no use)."""

    def clean(self, value):
        email = super().clean(value)
        if not email:
            return None
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(f"Nobody with the email address {email} is in the staff list")
        if not person.is_active:
            raise forms.ValidationError(f"{person} has left: choose someone who works here now")
        return person
