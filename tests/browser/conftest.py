"""Browser harness: Playwright drives the system Chromium against a live server.

Every page a browser test lands on must be checked with axe-core
(``assert_accessible``); a test that visits a page without checking it fails
at teardown, so "axe on every page" holds by construction. Only our own pages
count: pages on another origin (an identity provider's sign-in page) are not
ours to fix.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

# Playwright's sync API runs an event loop in this thread; Django must be told
# that the ORM calls the tests make alongside it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make test installs it on Debian as root): browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


class Visits:
    """Tracks the pages a test reached and which of them axe has checked."""

    def __init__(self, page, axe, origin: str):
        self.page = page
        self.axe = axe
        self.origin = origin.rstrip("/") + "/"
        self.seen: set[str] = set()
        self.checked: set[str] = set()
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame):
        if frame == self.page.main_frame and frame.url.startswith(self.origin):
            self.seen.add(self._key(frame.url))

    @staticmethod
    def _key(url: str) -> str:
        return url.split("#", 1)[0]

    def check(self):
        results = self.axe.run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        self.checked.add(self._key(self.page.url))
        assert results.violations_count == 0, f"axe on {self.page.url}:\n{results.generate_report()}"

    def unchecked(self) -> set[str]:
        return {url for url in self.seen if url not in self.checked and not url.endswith((".pdf", ".csv"))}


@pytest.fixture
def page(browser, axe, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    visits = Visits(page, axe, live_server.url)
    page.visits = visits
    yield page
    context.close()
    missed = visits.unchecked()
    assert not missed, f"Pages visited without an accessibility check: {sorted(missed)}"


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page as it is now; fails on any WCAG 2.2 A/AA violation."""

    def check(page):
        page.visits.check()

    return check


@pytest.fixture
def sign_in_as(live_server):
    """Give the browser a signed-in session for ``user`` without the sign-in form."""

    def sign_in(page, user):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
        )

    return sign_in
