"""allauth adapters: sign-up is closed unless the organisation opens it to its domains."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in settings.SIGNUP_EMAIL_DOMAINS


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return bool(settings.SIGNUP_EMAIL_DOMAINS)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if settings.SIGNUP_EMAIL_DOMAINS and not email_domain_allowed(email):
            allowed = ", ".join(settings.SIGNUP_EMAIL_DOMAINS)
            raise forms.ValidationError(f"Use your work email address (ending {allowed}).")
        return email


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        """Single sign-on connects to provisioned staff; it creates people only for allowed domains."""
        email = sociallogin.user.email or ""
        return bool(settings.SIGNUP_EMAIL_DOMAINS) and email_domain_allowed(email)
