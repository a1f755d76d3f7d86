"""Forms for people pages: the staff list upload."""

from __future__ import annotations

from django import forms

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
