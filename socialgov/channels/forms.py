"""Forms for the register, cover, access and pauses. Rules live in services; forms check input."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone

from socialgov.channels.models import Account, Platform
from socialgov.people.forms import PersonByEmailField
from socialgov.people.models import Department, User

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"})


def _date_errors(what: str) -> dict[str, str]:
    return {"required": f"Enter the {what}", "invalid": f"Enter the {what} as a real date, for example 2027-03-31"}


class PeopleByEmailField(forms.CharField):
    """Current members of staff, typed as email addresses, one a line or separated by commas."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value)
        addresses = [part.strip() for part in re.split(r"[\s,;]+", value or "") if part.strip()]
        people, problems = [], []
        found = {
            person.email.lower(): person for person in User.objects.filter(email__in=[a.lower() for a in addresses])
        }
        for address in dict.fromkeys(address.lower() for address in addresses):
            person = found.get(address)
            if person is None:
                problems.append(f"Nobody with the email address {address} is in the staff list")
            elif not person.is_active:
                problems.append(f"{person} has left: choose someone who works here now")
            else:
                people.append(person)
        if problems:
            raise forms.ValidationError(problems)
        return people


class AccountForm(forms.ModelForm):
    """An account's entry in the register; whoever keeps it up to date names its owners."""

    owner_emails = PeopleByEmailField(
        label="Owners’ email addresses",
        help_text="One a line. Owners look after the account, approve access and are reminded of its reviews.",
        error_messages={"required": "Enter the email address of at least one owner"},
    )
    url = forms.URLField(
        label="Web address",
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text="The account’s page, for example https://x.com/GlenmorvenCouncil.",
        error_messages={"invalid": "Enter a web address, for example https://x.com/GlenmorvenCouncil"},
    )
    team = forms.ModelChoiceField(
        label="Owning team",
        queryset=Department.objects.order_by("path"),
        required=False,
        empty_label="No team",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )

    class Meta:
        model = Account
        fields = [
            "platform", "handle", "url", "team", "has_two_step", "recovery_contact", "credentials_location",
            "last_access_review_on", "access_review_every_days", "is_active",
        ]  # fmt: skip
        labels = {
            "has_two_step": "Two-step verification is on",
            "is_active": "In use (untick to retire the account: everyone's access to it ends)",
        }
        help_texts = {
            "last_access_review_on": "For example, 2027-01-31. Leave blank if its access has never been reviewed.",
        }
        widgets = {"last_access_review_on": DATE_WIDGET}
        error_messages = {
            "platform": {"required": "Choose the platform", "invalid_choice": "Choose the platform from the list"},
            "handle": {"required": "Enter the account’s name on the platform"},
            "credentials_location": {
                "required": "Enter where the password is kept, such as the password manager entry"
            },
            "last_access_review_on": _date_errors("date of the last access review"),
            "access_review_every_days": {
                "required": "Enter how often its access is reviewed, in days",
                "invalid": "Enter a whole number of days, such as 90",
                "min_value": "Enter a number of days from 1 to 730",
                "max_value": "Enter a number of days from 1 to 730",
            },
        }

    field_order = [
        "platform", "handle", "url", "team", "owner_emails", "has_two_step", "recovery_contact",
        "credentials_location", "last_access_review_on", "access_review_every_days", "is_active",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["owner_emails"] = "\n".join(owner.email for owner in self.instance.owners.all())
        if not self.instance.pk:
            del self.fields["is_active"]

    def clean_handle(self):
        return self.cleaned_data["handle"].strip()

    def clean_last_access_review_on(self):
        reviewed = self.cleaned_data["last_access_review_on"]
        if reviewed and reviewed > timezone.localdate():
            raise forms.ValidationError("The last access review cannot be in the future")
        return reviewed


class RegisterFilterForm(forms.Form):
    """The register's search and filters; a value that is not understood is ignored, never an error."""

    q = forms.CharField(required=False, max_length=100)
    platform = forms.ChoiceField(required=False, choices=[("", "All platforms"), *Platform.choices])
    team = forms.ModelChoiceField(required=False, queryset=Department.objects.all())
    retired = forms.BooleanField(required=False)

    def filters(self) -> dict:
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            "q": cleaned.get("q", "").strip(),
            "platform": cleaned.get("platform", ""),
            "team": cleaned.get("team"),
            "retired": cleaned.get("retired", False),
        }


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to post to this account?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the events you will post about. Your line manager or an owner of the account decides.",
        error_messages={
            "required": "Say why you need to post to this account",
            "max_length": "Keep it to 1,000 characters or fewer",
        },
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Why are you refusing?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="They will be told.",
        error_messages={"required": "Say why you are refusing: they will be told"},
    )


class GrantEndForm(forms.Form):
    reason = forms.CharField(
        label="Why is their access ending?",
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why their access is ending"},
    )


class AbsenceForm(forms.Form):
    account = forms.ModelChoiceField(
        label="Which accounts",
        queryset=Account.objects.none(),
        required=False,
        empty_label="All my accounts",
        error_messages={"invalid_choice": "Choose one of your accounts from the list"},
    )
    starts_on = forms.DateField(
        label="First day away", widget=DATE_WIDGET, error_messages=_date_errors("first day away")
    )
    ends_on = forms.DateField(label="Last day away", widget=DATE_WIDGET, error_messages=_date_errors("last day away"))
    covered_by = PersonByEmailField(
        label="Who covers (optional)",
        required=False,
        help_text="Their email address. They need a posting licence. Leave blank if nobody covers yet: "
        "you and the comms leads will be reminded.",
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = owner.owned_accounts.active().order_by("platform", "handle")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The last day away must be the same as or after the first day")
        return cleaned


class PauseForm(forms.Form):
    scope = forms.ChoiceField(
        label="Which accounts",
        choices=[("all", "Every account"), ("some", "Only the accounts I choose")],
        initial="all",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which accounts to pause"},
    )
    accounts = forms.ModelMultipleChoiceField(
        label="Accounts to pause",
        queryset=Account.objects.active().order_by("platform", "handle"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only if you chose “Only the accounts I choose”.",
    )
    reason = forms.CharField(
        label="Why is publishing paused?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone who can post to these accounts sees this on their home page.",
        error_messages={"required": "Say why publishing is paused"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == "some" and not cleaned.get("accounts"):
            self.add_error("accounts", "Choose at least one account to pause, or pause every account")
        return cleaned

    def chosen_accounts(self):
        """None for every account, or the accounts chosen."""
        return None if self.cleaned_data["scope"] == "all" else list(self.cleaned_data["accounts"])
