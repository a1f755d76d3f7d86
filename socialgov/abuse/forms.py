"""Forms for reporting abuse and handling reports. Files are checked by ``uploads.py``; rules live in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from policies.models import Severity
from socialgov.abuse.models import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, MAX_LINKS, AbuseReport, Platform, Safety
from socialgov.abuse.uploads import clean_name, files_check
from socialgov.people.models import User
from socialgov.people.roles import Role

ACCEPT = "image/png,image/jpeg,image/gif,image/webp,application/pdf,.png,.jpg,.jpeg,.gif,.webp,.pdf"
MAX_TEXT = 5000
MAX_LINK_LENGTH = 2000
YES_NO = [("yes", "Yes"), ("no", "No")]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is checked by its bytes in the form's ``clean_files``, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class EvidenceFieldMixin:
    """Checks the chosen files and remembers their names, so a form shown again can ask for them again."""

    already = 0

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        self.chosen_names = [clean_name(upload.name) for upload in uploads]
        self.checked_files, problems = files_check(uploads, already=self.already)
        if problems:
            raise ValidationError(problems)
        return self.checked_files

    def files_to_choose_again(self) -> list[str]:
        """The files that were fine, but that a browser cannot keep when the form is shown again."""
        if not self.is_bound or not self.errors:
            return []
        return [checked.name for checked in getattr(self, "checked_files", [])]


def _files_field(required: bool) -> MultipleFileField:
    size = MAX_EVIDENCE_BYTES // (1024 * 1024)
    return MultipleFileField(
        label="Screenshots or PDFs" + ("" if required else " (optional)"),
        required=required,
        help_text=f"Up to {MAX_EVIDENCE_FILES} files, each {size} MB or smaller: screenshots saved as PNG, JPEG, "
        "GIF or WebP, or PDFs. Screenshots help if the posts are deleted later.",
        error_messages={"required": "Choose at least one screenshot or PDF"},
    )


class ReportForm(EvidenceFieldMixin, forms.Form):
    platform = forms.ChoiceField(
        label="Where did it happen?",
        choices=Platform.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where it happened"},
    )
    links = forms.CharField(
        label="Links to the posts or messages (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="One link on each line, starting with https://. Use the platform’s “Copy link” option "
        "or your browser’s address bar.",
    )
    what_happened = forms.CharField(
        label="What happened?",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Who posted or sent it, when, and what it said, as far as you know. You do not need to type "
        "out what is in your screenshots.",
        error_messages={"required": "Say what happened", "max_length": f"Keep it to {MAX_TEXT} characters or fewer"},
    )
    how_it_affects = forms.CharField(
        label="How is it affecting you? (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example at work, at home, or how you feel about doing your job.",
        error_messages={"max_length": f"Keep it to {MAX_TEXT} characters or fewer"},
    )
    safety = forms.ChoiceField(
        label="Do you feel safe?",
        choices=Safety.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you feel safe"},
    )
    is_contact_wanted = forms.TypedChoiceField(
        label="Would you like someone from HR wellbeing to contact you?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you would like someone to contact you"},
    )
    files = _files_field(required=False)

    def clean_links(self) -> list[str]:
        validate = URLValidator(schemes=["http", "https"])
        links, problems = [], []
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            link = line.strip()
            if not link:
                continue
            if len(link) > MAX_LINK_LENGTH:
                problems.append(f"The link on line {number} is too long: it must be {MAX_LINK_LENGTH} characters "
                                "or fewer")  # fmt: skip
                continue
            try:
                validate(link)
            except ValidationError:
                shown = link if len(link) <= 60 else link[:57] + "…"
                problems.append(f"The link on line {number}, “{shown}”, is not a web address: links start with "
                                "https:// or http://")  # fmt: skip
            else:
                links.append(link)
        if len(links) > MAX_LINKS:
            problems.append(f"Give up to {MAX_LINKS} links: screenshots can show the rest")
        if problems:
            raise ValidationError(problems)
        return links


class EvidenceForm(EvidenceFieldMixin, forms.Form):
    files = _files_field(required=True)

    def __init__(self, *args, already: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.already = already


class AssignForm(forms.Form):
    comms_lead = forms.ModelChoiceField(
        label="Which comms lead should act on it?",
        queryset=User.objects.none(),
        empty_label="Choose a comms lead",
        help_text="They will be able to see this report and its evidence, and will be told by email.",
        error_messages={"required": "Choose a comms lead", "invalid_choice": "Choose a comms lead from the list"},
    )

    def __init__(self, *args, report: AbuseReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comms_lead"].queryset = (
            User.objects.filter(is_active=True, groups__name=Role.COMMS_LEAD)
            .exclude(pk=report.reporter_id)
            .distinct()
            .order_by("first_name", "last_name", "pk")
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=AbuseReport.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a status"},
    )
    note = forms.CharField(
        label="What was done (needed to close it)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The person who reported it will read this.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == AbuseReport.Status.CLOSED and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say what was done before closing the report")
        return cleaned


class EscalateForm(forms.Form):
    severity = forms.ChoiceField(
        label="How serious is it?",
        choices=Severity.choices,
        widget=forms.RadioSelect,
        help_text="Critical or high if there are threats, the abuse is spreading fast, or it involves a "
        "corporate account.",
        error_messages={"required": "Choose how serious it is"},
    )
