"""Signing in, out, and setting up an authenticator, as people do it in the browser."""

import re

import pyotp
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from socialgov.people.roles import Role
from tests.factories import PASSWORD, UserFactory

HOME = re.compile(r"^https?://[^/]+/$")


def wait_for_home(page):
    page.wait_for_url(HOME)
    assert page.locator("h1").inner_text() == "What I need to do"


def sign_in_with_password(page, assert_accessible, email, password=PASSWORD):
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()


def test_a_member_of_staff_signs_in_and_out(page, assert_accessible, staff):
    page.goto("/")
    assert_accessible(page)
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", "not the password")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)

    page.fill("input[name=login]", staff.email.upper())
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    wait_for_home(page)
    assert page.get_by_test_id("todo-empty").is_visible()
    assert_accessible(page)

    page.get_by_test_id("sign-out").click()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/login/")
    assert_accessible(page)
    page.goto("/")
    assert "/accounts/login/" in page.url


def test_a_comms_lead_sets_up_an_authenticator_and_then_needs_it_to_sign_in(page, assert_accessible, db):
    lead = UserFactory(email="new.lead@glenmorven.gov.uk", roles=[Role.COMMS_LEAD])
    sign_in_with_password(page, assert_accessible, lead.email)
    wait_for_home(page)
    assert page.get_by_test_id("mfa-warning").is_visible()
    assert_accessible(page)

    # Changing sign-in security asks for the password again first.
    page.get_by_test_id("mfa-warning").get_by_role("link").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert_accessible(page)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    assert_accessible(page)
    secret = re.search(r"\b[A-Z2-7]{32}\b", page.locator("main").inner_text()).group(0)
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert Authenticator.objects.filter(user=lead, type=Authenticator.Type.TOTP).exists()

    recovery = Authenticator.objects.get(user=lead, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(recovery).get_unused_codes()[0]
    page.context.clear_cookies()
    sign_in_with_password(page, assert_accessible, lead.email)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.fill("input[name=code]", code)
    page.locator("main form button[type=submit]").first.click()
    wait_for_home(page)
    assert not page.get_by_test_id("mfa-warning").is_visible()
    assert_accessible(page)
