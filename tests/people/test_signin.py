"""Signing in, signing up, resetting a password and the second factor, through allauth's pages."""

import re

import pyotp
import pytest
from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from socialgov.people.models import User
from socialgov.people.roles import Role
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Granite-lantern-orchard-42"
OIDC_PROVIDERS = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "entra",
                "name": "Microsoft Entra ID",
                "client_id": "socialgov",
                "secret": "not-a-real-secret",
                "settings": {"server_url": "https://login.example.org/tenant/v2.0"},
            }
        ]
    }
}


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth keeps rate limits and used authenticator codes in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


def signed_in_as(client):
    """The id of the person the test client is signed in as, or None."""
    user_id = client.session.get(SESSION_KEY)
    return int(user_id) if user_id else None


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def page_text(response) -> str:
    return response.content.decode()


def error_message(key: str) -> str:
    """The text allauth (or our adapter) shows for one of its errors."""
    return escape(str(get_adapter().error_messages[key]))


# --- Signing in and out -------------------------------------------------------


def test_the_sign_in_page_names_the_organisation_and_links_to_password_reset(client):
    response = client.get(reverse("account_login"))
    html = page_text(response)
    assert response.status_code == 200
    assert "Glenmorven Council" in html
    assert html.count("<h1") == 1
    assert f'href="{reverse("account_reset_password")}"' in html
    assert "Forgot your password?" in html
    assert 'data-testid="single-sign-on"' not in html


def test_the_sign_in_page_offers_single_sign_on_only_when_a_provider_is_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = OIDC_PROVIDERS
    html = page_text(client.get(reverse("account_login")))
    assert 'data-testid="single-sign-on"' in html
    assert "Sign in with Microsoft Entra ID" in html


def test_staff_sign_in_with_their_email_address_in_any_case(client, staff):
    response = sign_in(client, staff.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert signed_in_as(client) == staff.pk
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert home.context["user"] == staff


def test_a_wrong_password_is_refused_with_an_error_on_the_page(client, staff):
    response = sign_in(client, staff.email, "not-the-password")
    html = page_text(response)
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert "govuk-error-summary" in html
    assert error_message("email_password_mismatch") in html
    assert re.search(r"<title>\s*Error: Sign in", html)


def test_a_deactivated_person_cannot_sign_in(client, staff):
    staff.is_active = False
    staff.save()
    response = sign_in(client, staff.email)
    assert signed_in_as(client) is None
    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    page = client.get(response["Location"])
    assert "Your account is not active" in page_text(page)
    assert client.get(reverse("web:home")).status_code == 302


def test_signing_out_asks_for_confirmation_and_works_without_javascript(client, staff):
    client.force_login(staff)
    confirm = client.get(reverse("account_logout"))
    html = page_text(confirm)
    assert confirm.status_code == 200
    assert signed_in_as(client) == staff.pk
    assert re.search(r'<form method="post" action="' + re.escape(reverse("account_logout")), html)
    assert re.search(r'<button type="submit"[^>]*>Sign out</button>', html)

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert signed_in_as(client) is None


def test_repeated_failed_sign_ins_are_refused_even_with_the_right_password(client, settings, staff):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/5m/key"}
    for _ in range(3):
        response = sign_in(client, staff.email, "not-the-password")
        assert error_message("email_password_mismatch") in page_text(response)
    response = sign_in(client, staff.email)
    html = page_text(response)
    assert response.status_code == 200
    assert error_message("too_many_login_attempts") in html
    assert error_message("email_password_mismatch") not in html
    assert "govuk-error-summary" in html
    assert signed_in_as(client) is None


# --- Signing up ---------------------------------------------------------------


def test_sign_up_is_closed_by_default(client, settings):
    settings.SIGNUP_EMAIL_DOMAINS = []
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert "Staff accounts are created by HR" in page_text(response)

    posted = client.post(
        reverse("account_signup"),
        {"email": "new.starter@glenmorven.gov.uk", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert "Staff accounts are created by HR" in page_text(posted)
    assert not User.objects.filter(email="new.starter@glenmorven.gov.uk").exists()


def test_sign_up_opens_for_the_organisations_email_domains(client, settings, mailoutbox):
    settings.SIGNUP_EMAIL_DOMAINS = ["glenmorven.gov.uk"]
    form = client.get(reverse("account_signup"))
    assert "account/signup.html" in [t.name for t in form.templates]

    response = client.post(
        reverse("account_signup"),
        {"email": "New.Starter@Glenmorven.gov.uk", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    person = User.objects.get(email__iexact="new.starter@glenmorven.gov.uk")
    assert person.check_password(NEW_PASSWORD)
    assert [message.to for message in mailoutbox] == [[person.email]]
    assert "Confirm your email address" in mailoutbox[0].subject


def test_an_address_outside_the_signup_domains_gets_a_clear_error(client, settings):
    settings.SIGNUP_EMAIL_DOMAINS = ["glenmorven.gov.uk"]
    response = client.post(
        reverse("account_signup"),
        {"email": "someone@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    html = page_text(response)
    assert response.status_code == 200
    assert "Use your work email address (ending glenmorven.gov.uk)." in html
    assert 'href="#id_email"' in html
    assert 'aria-describedby="id_email-error"' in html
    assert not User.objects.filter(email="someone@example.com").exists()


# --- Resetting a password -----------------------------------------------------


def test_a_password_reset_email_carries_a_link_that_sets_a_new_password(client, staff, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": staff.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [staff.email]
    assert "Glenmorven Council" in message.body
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", message.body)
    assert link, message.body

    opened = client.get(link.group(1), follow=True)
    assert opened.status_code == 200
    assert "Create a new password" in page_text(opened)
    form_url = opened.redirect_chain[-1][0] if opened.redirect_chain else link.group(1)
    changed = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert changed.status_code == 302
    assert changed["Location"] == reverse("account_reset_password_from_key_done")

    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert signed_in_as(client) is None
    sign_in(client, staff.email, PASSWORD)
    assert signed_in_as(client) is None
    sign_in(client, staff.email, NEW_PASSWORD)
    assert signed_in_as(client) == staff.pk


def test_a_used_reset_link_no_longer_works(client, staff, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": staff.email})
    path = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body).group(1)
    opened = client.get(path, follow=True)
    client.post(opened.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(path, follow=True)
    assert again.context.get("token_fail")
    assert "Your reset link does not work" in page_text(again)


# --- The second factor --------------------------------------------------------


def test_a_person_with_an_authenticator_needs_a_code_to_sign_in(client, hr):
    response = sign_in(client, hr.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_as(client) is None

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "govuk-error-summary" in page_text(wrong)
    assert signed_in_as(client) is None

    right = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert right.status_code == 302
    assert right["Location"] == reverse("web:home")
    assert signed_in_as(client) == hr.pk


def test_hr_without_an_authenticator_is_sent_to_set_one_up(client, staff):
    officer = UserFactory(email="new.hr@glenmorven.gov.uk", roles=[Role.HR])
    client.force_login(officer)
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # Their own home page stays open, with a warning.
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert 'data-testid="mfa-warning"' in page_text(home)

    client.force_login(staff)
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert 'data-testid="mfa-warning"' not in page_text(home)


def test_the_mfa_requirement_can_be_switched_off(client, settings):
    settings.MFA_REQUIRED_FOR_ROLES = False
    officer = UserFactory(email="new.hr@glenmorven.gov.uk", roles=[Role.HR])
    client.force_login(officer)
    response = client.get(reverse("people:list"))
    assert response.status_code == 200


def test_setting_up_an_authenticator_shows_the_qr_code_and_the_key_as_text(client):
    officer = UserFactory(email="new.hr@glenmorven.gov.uk", roles=[Role.HR])
    sign_in(client, officer.email)
    # Setting up an authenticator is a sensitive change: allauth asks for the password again.
    confirm = client.get(reverse("mfa_activate_totp"))
    assert confirm.status_code == 302
    assert confirm["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    page = client.get(reverse("mfa_activate_totp"))
    html = page_text(page)
    secret = page.context["form"].secret
    assert page.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="QR code[^"]+"', html)
    assert secret in html
    assert html.count("<h1") == 1

    done = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    codes = client.get(done["Location"])
    assert re.search(r'<ol class="govuk-list govuk-list--number[^"]*" data-testid="recovery-codes">', page_text(codes))
    assert client.get(reverse("people:list")).status_code == 200
