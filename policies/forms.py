"""Forms for writing, approving, acknowledging and recording. Rules live in services; forms check input."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.utils.text import slugify

from policies.models import Acknowledgement, Category, Document, DocumentVersion, Severity
from policies.playbooks import FORMAT_HINT, StepsError, steps_parse
from socialgov.people.forms import PersonByEmailField
from socialgov.people.models import Department, User
from socialgov.people.roles import Role

MAX_BODY_CHARS = 200_000
# Addresses under /policies/ that are pages, not documents.
RESERVED_SLUGS = {"new", "drafts", "preview", "help"}


class DocumentForm(forms.ModelForm):
    """A document's details: what stays the same from one version to the next."""

    owner = PersonByEmailField(
        label="Owner's email address",
        help_text="The person who keeps it up to date and is reminded before its review date.",
        error_messages={"required": "Enter the owner's email address"},
    )
    audience_departments = forms.ModelMultipleChoiceField(
        label="Departments",
        queryset=Department.objects.order_by("path"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Includes every team below the ones you choose.",
    )
    audience_roles = forms.ModelMultipleChoiceField(
        label="Roles",
        queryset=Group.objects.filter(name__in=Role.values).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_on = forms.DateField(
        label="Review date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        help_text="For example, 2027-03-31. The owner is reminded 30 days before.",
        error_messages={"invalid": "Enter the review date as a real date, for example 2027-03-31"},
    )

    class Meta:
        model = Document
        fields = [
            "title", "summary", "category", "help_question", "severity", "owner", "is_for_everyone",
            "audience_departments", "audience_roles", "is_for_public_facing", "requires_acknowledgement",
            "acknowledge_within_days", "review_on",
        ]  # fmt: skip
        labels = {
            "is_for_everyone": "Everyone must follow it",
            "is_for_public_facing": "Public-facing staff",
            "requires_acknowledgement": "People must confirm they have read it",
            "acknowledge_within_days": "Days to acknowledge",
            "help_question": "Playbooks: the question someone in trouble would ask (optional for other documents)",
            "severity": "Playbooks: how serious the situation is",
        }
        help_texts = {
            "is_for_everyone": "Untick to choose departments, roles or public-facing staff below.",
            "acknowledge_within_days": "How long people have to read a new major version.",
            "help_question": "For example, “Our account has been hacked”. Listed on the “I need help now” page.",
        }
        widgets = {
            "category": forms.RadioSelect,
            "severity": forms.RadioSelect,
            "acknowledge_within_days": forms.NumberInput(attrs={"class": "govuk-input--width-3", "min": 1}),
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "summary": {"required": "Enter a one-sentence summary"},
            "category": {"required": "Choose what kind of document it is"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.choices
        self.fields["severity"].choices = [("", "Not a playbook"), *Severity.choices]
        if self.instance.pk:
            self.initial["owner"] = self.instance.owner.email

    def clean(self):
        cleaned = super().clean()
        narrower = (
            cleaned.get("audience_departments") or cleaned.get("audience_roles") or cleaned.get("is_for_public_facing")
        )
        if cleaned.get("category") == Category.PLAYBOOK:
            if not (cleaned.get("help_question") or "").strip():
                self.add_error(
                    "help_question", "Write the question a playbook answers, such as “Our account has been hacked”"
                )
            if not cleaned.get("severity"):
                self.add_error("severity", "Choose how serious the situation this playbook covers is")
        if not cleaned.get("is_for_everyone") and not narrower:
            self.add_error(
                "is_for_everyone",
                "Choose who it is for: everyone, or at least one department, role or public-facing staff",
            )
        return cleaned

    def audience(self) -> dict:
        return {"departments": self.cleaned_data["audience_departments"], "roles": self.cleaned_data["audience_roles"]}

    def details(self) -> dict:
        skip = {"audience_departments", "audience_roles"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class NewDocumentForm(DocumentForm):
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "true"}),
        required=False,
        max_length=MAX_BODY_CHARS,
        help_text="Markdown: ## for a heading, - for a list item, **bold**, [link text](https://...).",
    )

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("title")
        if title:
            slug = slugify(title)[:190]
            if slug in RESERVED_SLUGS:
                slug = f"{slug}-document"
            if not slug:
                self.add_error("title", "Use letters or numbers in the title")
            elif Document.objects.filter(slug=slug).exists():
                self.add_error("title", f"A document called {title} already exists: choose another title")
            cleaned["slug"] = slug
        return cleaned


class DraftForm(forms.Form):
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        required=False,
        max_length=MAX_BODY_CHARS,
        help_text="Markdown: ## for a heading, - for a list item, **bold**, [link text](https://...).",
    )
    change = forms.ChoiceField(
        label="How big is this change?",
        choices=DocumentVersion.Change.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this is a major or a minor change"},
    )
    what_changed = forms.CharField(
        label="What changed",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences. People who read the last version see this when they acknowledge again.",
    )
    steps = forms.CharField(
        label="Steps",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "true"}),
        help_text=f"One step per line, in order: {FORMAT_HINT}. For example: "
        "Tell the platform the account is compromised | Whoever is on call | 15",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, has_published: bool = True, is_playbook: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_published = has_published
        if not has_published:
            del self.fields["change"]
            del self.fields["what_changed"]
        if not is_playbook:
            del self.fields["steps"]

    def clean_steps(self):
        try:
            return [step.as_dict() for step in steps_parse(self.cleaned_data["steps"])]
        except StepsError as error:
            raise forms.ValidationError(error.problems) from error

    def clean(self):
        cleaned = super().clean()
        is_major = self.has_published and cleaned.get("change") == DocumentVersion.Change.MAJOR
        if is_major and not (cleaned.get("what_changed") or "").strip():
            self.add_error("what_changed", "Say what changed: a major change needs a short summary")
        cleaned.setdefault("change", DocumentVersion.Change.MAJOR)
        cleaned.setdefault("what_changed", "")
        return cleaned


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=MAX_BODY_CHARS)


class SubmitForm(forms.Form):
    approver = forms.ModelChoiceField(
        label="Who should approve it?",
        queryset=User.objects.none(),
        empty_label="Choose an approver",
        error_messages={
            "required": "Choose who should approve it",
            "invalid_choice": "Choose an approver from the list",
        },
    )

    def __init__(self, *args, version: DocumentVersion, submitter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = (
            User.objects.current()
            .filter(groups__name=Role.COMMS_LEAD)
            .exclude(pk__in=[version.author_id, submitter.pk])
            .order_by("first_name", "last_name")
        )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="What needs to change?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what needs to change, so the author can fix it"},
    )


class RetireForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being retired?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the document's history.",
        error_messages={"required": "Say why the document is being retired"},
    )


class AcknowledgeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I have read and understood it, and I will follow it",
        error_messages={"required": "Tick the box to confirm you have read it"},
    )


class RecordForm(forms.Form):
    """HR or a comms lead records an acknowledgement on someone's behalf, or an exemption."""

    person = PersonByEmailField(
        label="Their email address", error_messages={"required": "Enter the person's email address"}
    )
    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=[
            (Acknowledgement.Kind.ON_BEHALF, "They have read it (for example, on paper or in a meeting)"),
            (Acknowledgement.Kind.EXEMPT, "They are exempt from it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are recording"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the record, for audit.",
        error_messages={"required": "Give a reason: it is kept with the record"},
    )
