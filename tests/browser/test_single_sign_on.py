"""Single sign-on end to end, against a real OpenID Connect provider running locally.

The provider (tests/oidc/provider.mjs, panva's certified oidc-provider) signs in
whatever login is typed on its development sign-in page, with that login as a
verified email address. The browser goes from our sign-in page to the provider
and back through allauth's callback, so discovery, the authorisation code with
PKCE, the token exchange, userinfo and the state and session cookies are all
real.
"""

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from playwright.sync_api import expect

from socialgov.people.models import User
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]
PROVIDER_SCRIPT = BASE_DIR / "tests" / "oidc" / "provider.mjs"
PROVIDER_ID = "testidp"
PROVIDER_NAME = "Council sign-in"
CLIENT_ID = "socialgov-tests"
CLIENT_SECRET = "a-client-secret-for-tests-only-0123456789"
READY_TIMEOUT = 20


@dataclass
class IdentityProvider:
    issuer: str
    log: Path


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def identity_provider(live_server, settings, tmp_path):
    """A local OpenID Connect provider, configured as our single sign-on provider."""
    node = shutil.which("node")
    if not node:
        pytest.skip("Node.js is not installed: the single sign-on tests need it to run the local OpenID provider.")
    callback_url = live_server.url + reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
    log = tmp_path / "provider.log"
    env = os.environ | {
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": callback_url,
    }
    with log.open("wb") as output:
        # Port 0: the provider takes a free port and reports its issuer when ready.
        process = subprocess.Popen(
            [node, str(PROVIDER_SCRIPT), "0"], cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not (ready := re.search(r"^READY (\S+)$", log.read_text(), re.MULTILINE)):
            if process.poll() is not None:
                pytest.fail(f"The OpenID provider exited ({process.returncode}):\n{log.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"The OpenID provider did not start in {READY_TIMEOUT} s:\n{log.read_text()}")
            time.sleep(0.05)
        issuer = ready.group(1)
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": PROVIDER_NAME,
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {"server_url": issuer},
                    }
                ],
            }
        }
        # Staff are provisioned by HR: single sign-on never creates accounts.
        settings.SIGNUP_EMAIL_DOMAINS = []
        yield IdentityProvider(issuer=issuer, log=log)
    finally:
        _stop(process)


def sign_in_at_the_provider(page, assert_accessible, identity_provider, login):
    """From our sign-in page, through the provider's sign-in and consent pages, back to us."""
    # The provider's development pages load a web font; nothing leaves the machine.
    page.route(re.compile(r"^https?://(?!localhost[:/]|127\.0\.0\.1[:/])"), lambda route: route.abort())
    page.goto("/")
    page.wait_for_url("**/accounts/login/**")
    assert_accessible(page)
    with page.expect_request(lambda request: request.url.startswith(f"{identity_provider.issuer}/auth?")) as sent:
        page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    authorisation = parse_qs(urlsplit(sent.value.url).query)
    assert authorisation["client_id"] == [CLIENT_ID]
    assert authorisation["response_type"] == ["code"]
    assert set(authorisation["scope"][0].split()) == {"openid", "email", "profile"}
    assert authorisation["code_challenge_method"] == ["S256"], "PKCE is sent"
    assert authorisation["state"], "the state round trip is checked on the way back"

    # The provider's own pages (not ours, so no accessibility check).
    page.wait_for_url(f"{identity_provider.issuer}/interaction/**")
    expect(page.get_by_role("heading", name="Sign-in")).to_be_visible()
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password")
    page.get_by_role("button", name="Sign-in").click()
    expect(page.get_by_role("heading", name="Authorize")).to_be_visible()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile("^" + re.escape(page.visits.origin)))


def test_a_provisioned_member_of_staff_signs_in_with_single_sign_on(
    page, assert_accessible, identity_provider, live_server
):
    person = UserFactory(email="morag.sso@glenmorven.gov.uk", first_name="Morag", last_name="Sso")
    people_before = User.objects.count()

    sign_in_at_the_provider(page, assert_accessible, identity_provider, person.email)

    page.wait_for_url(live_server.url + "/")
    assert page.locator("h1").inner_text() == "What I need to do"
    expect(page.locator("footer")).to_contain_text(f"Signed in as {person.email}.")
    assert_accessible(page)

    # Matched by email to the account HR set up, and connected to it for next time.
    account = SocialAccount.objects.get(provider=PROVIDER_ID)
    assert account.user == person
    assert account.uid == person.email
    assert User.objects.count() == people_before
    person.refresh_from_db()
    assert person.has_usable_password(), "a verified address must not lose its password to single sign-on"


def test_someone_without_an_account_is_refused_and_no_account_is_created(page, assert_accessible, identity_provider):
    UserFactory(email="morag.sso@glenmorven.gov.uk")
    people_before = User.objects.count()

    sign_in_at_the_provider(page, assert_accessible, identity_provider, "not.provisioned@glenmorven.gov.uk")

    assert "/accounts/oidc/" in page.url
    assert page.locator("h1").inner_text() == "Staff accounts are created by HR"
    assert_accessible(page)
    assert User.objects.count() == people_before
    assert not User.objects.filter(email__iexact="not.provisioned@glenmorven.gov.uk").exists()
    assert not SocialAccount.objects.exists()

    page.goto("/")
    page.wait_for_url("**/accounts/login/**")
    assert_accessible(page)
