"""allauth adapters: sign-up is closed unless the organisation opens it to its domains."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in settings.SIGNUP_EMAIL_DOMAINS


class AccountAdapter(DefaultAccountAdapter):
    # Messages in the GOV.UK style: say what happened and what to do.
    error_messages = DefaultAccountAdapter.error_messages | {
        "email_password_mismatch": "Enter a correct email address and password.",
        "too_many_login_attempts": "You have tried to sign in too many times. Wait 5 minutes and try again.",
        "account_inactive": "Your account is not active. Ask HR if you think this is wrong.",
        "enter_current_password": "Enter your current password.",
        "incorrect_password": "The password is not correct.",
        "incorrect_code": "The code is not correct. Check your authenticator app and try again.",
    }

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
