"""Every URL, requested as every persona, against one declared table of who may do what.

A URL the table does not declare fails the test, so every new page must say
who may use it. Expected outcomes:

- ``ok``: the page answers (2xx, or a redirect that is not to sign-in);
- ``login``: anonymous visitors are sent to sign in;
- ``denied``: 403;
- ``away``: pages for people who are not signed in send signed-in people elsewhere;
- ``missing``: 404, for something that is someone else's and not to be revealed.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from socialgov.notifications.models import Notification
from socialgov.people.models import StaffImport
from tests.abuse import access as abuse_access
from tests.access_rules import (
    ADMIN_ONLY,
    ANONYMOUS_ONLY,
    HR_PAGES,
    OWN_AUTHENTICATOR,
    PERSONAS,
    PUBLIC,
    SIGNED_IN,
    only,
    rule,
)
from tests.api import access as api_access
from tests.channels import access as channels_access
from tests.privacy import access as privacy_access
from tests.reports import access as reports_access
from tests.rota import access as rota_access

APP_TABLES = [abuse_access, api_access, channels_access, privacy_access, reports_access, rota_access]

# Someone else's certificate is not found, so a guessed number reveals nothing.
CERTIFICATE = rule("login", "missing", staff="ok", manager="ok", comms_lead="ok", hr="ok", administrator="ok")

ACCESS = {
    "web:home": SIGNED_IN,
    "web:health": PUBLIC,
    "people:list": HR_PAGES,
    "people:team": only("manager"),
    # The sample person is ``staff``: themselves, their manager, HR and administrators.
    "people:detail": only("staff", "manager", "hr", "administrator"),
    "people:import-upload": HR_PAGES,
    "people:import-preview": HR_PAGES,
    "people:import-apply": HR_PAGES,
    # A person's own notifications and preferences.
    "notifications:list": SIGNED_IN,
    "notifications:mark-read": SIGNED_IN,
    "notifications:preferences": SIGNED_IN,
    # The sample notification is ``staff``'s: anyone else's is not found.
    "notifications:open": rule("login", "missing", staff="ok"),
    # Policies and guidance: everyone reads; comms leads write; the owner (``comms_lead``), HR and
    # administrators see reports and history; HR and comms leads record for someone else.
    "policies:list": SIGNED_IN,
    "policies:help": SIGNED_IN,
    # Anyone signed in can open an incident and list the ones that concern them. The sample incident was
    # opened by ``staff`` with nobody on call: the roles that run incidents see it, anyone else gets 404.
    "incidents:list": SIGNED_IN,
    "incidents:new": SIGNED_IN,
    "incidents:detail": rule("login", "missing", staff="ok", comms_lead="ok", incident_lead="ok", administrator="ok"),
    "incidents:action": rule("login", "missing", staff="ok", comms_lead="ok", incident_lead="ok", administrator="ok"),
    # The link in a page: the page with its one button opens for anyone signed in; the POST checks the recipient.
    "incidents:acknowledge-link": SIGNED_IN,
    "policies:detail": SIGNED_IN,
    "policies:version": SIGNED_IN,
    "policies:compare": SIGNED_IN,
    "policies:print": SIGNED_IN,
    "policies:acknowledge": SIGNED_IN,
    "policies:create": only("comms_lead"),
    "policies:drafts": only("comms_lead"),
    "policies:preview": only("comms_lead"),
    "policies:edit": only("comms_lead"),
    "policies:draft": only("comms_lead"),
    "policies:submit": only("comms_lead"),
    "policies:publish": only("comms_lead"),
    "policies:return": only("comms_lead"),
    "policies:retire": only("comms_lead"),
    "policies:report": only("comms_lead", "hr", "administrator"),
    "policies:history": only("comms_lead", "hr", "administrator"),
    "policies:record": only("comms_lead", "hr"),
    # Training: everyone learns; managers see their team; HR manages assignments; a certificate is
    # seen by its holder (``staff``), those above them, HR, administrators and comms leads.
    "training:mine": SIGNED_IN,
    "training:courses": SIGNED_IN,
    "training:course": SIGNED_IN,
    "training:lesson": SIGNED_IN,
    "training:team": only("manager"),
    "training:person": only("staff", "manager", "hr", "administrator"),
    "training:assignments": HR_PAGES,
    "training:assign": only("manager", "hr", "administrator"),
    "training:exempt": HR_PAGES,
    "training:verify": SIGNED_IN,
    "training:certificate": CERTIFICATE,
    "training:certificate-pdf": CERTIFICATE,
    "training:licences": only("comms_lead", "hr", "administrator"),
    # A quiz is open to everyone; an attempt and its result are its taker's (``staff``) alone.
    "training:quiz": SIGNED_IN,
    "training:attempt": rule("login", "missing", staff="ok"),
    "training:attempt-result": rule("login", "missing", staff="ok"),
    "training:support": SIGNED_IN,
    "training:support-levels": only("comms_lead", "hr", "administrator"),
    # The question bank: comms leads (who write the quizzes) and administrators import and export it.
    "training:bank": only("comms_lead", "administrator"),
    "training:bank-import": only("comms_lead", "administrator"),
    "training:bank-export": only("comms_lead", "administrator"),
    "training:quiz-analysis": only("comms_lead", "administrator"),
    # The post checker is for everyone; its house rules and election dates are the comms team's.
    "training:checker": SIGNED_IN,
    "training:checker-settings": only("comms_lead", "administrator"),
    # POST only: a GET is refused with 405 once the role check has passed.
    "training:election-period-delete": only("comms_lead", "administrator"),
    # The API answers 401 (not a sign-in redirect) without credentials; the post checker takes POST only.
    "api:post-checks": rule("unauthorised", "ok"),
    "api:schema": rule("unauthorised", "ok"),
    # Signing in, resetting a password, single sign-on.
    "account_login": ANONYMOUS_ONLY,
    "account_signup": ANONYMOUS_ONLY,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_inactive": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_email": PUBLIC,
    "socialaccount_login_cancelled": PUBLIC,
    "openid_connect_login": PUBLIC,
    # A callback without a sign-in in progress is an authentication error page.
    "openid_connect_callback": rule("unauthorised", "unauthorised"),
    # Steps of a sign-in in progress: without one, back to the start.
    "account_confirm_login_code": SIGNED_IN,
    "mfa_authenticate": SIGNED_IN,
    "socialaccount_signup": rule("login", "login"),
    "socialaccount_login_error": rule("login", "unauthorised"),
    # A person's own account.
    "account_logout": SIGNED_IN,
    "account_reauthenticate": SIGNED_IN,
    "account_email": SIGNED_IN,
    "account_change_password": SIGNED_IN,
    "account_set_password": SIGNED_IN,
    "mfa_index": SIGNED_IN,
    "mfa_reauthenticate": SIGNED_IN,
    "mfa_activate_totp": SIGNED_IN,
    "mfa_generate_recovery_codes": SIGNED_IN,
    "mfa_deactivate_totp": OWN_AUTHENTICATOR,
    "mfa_view_recovery_codes": OWN_AUTHENTICATOR,
    "mfa_download_recovery_codes": OWN_AUTHENTICATOR,
    "socialaccount_connections": SIGNED_IN,
    "usersessions_list": SIGNED_IN,
    # The admin site: administrators only.
    "admin:*": ADMIN_ONLY,
    "admin:index": ADMIN_ONLY,
    "admin:app_list": ADMIN_ONLY,
    "admin:password_change": ADMIN_ONLY,
    "admin:password_change_done": ADMIN_ONLY,
    "admin:view_on_site": ADMIN_ONLY,
    "admin:jsi18n": ADMIN_ONLY,
    # Without a model to search, autocomplete refuses even administrators.
    "admin:autocomplete": rule("login", "login", administrator="denied"),
    # Records only the policy pages create: their admin pages may be read, not added to.
    "admin:no-add": rule("login", "login", administrator="denied"),
    # The admin site has no sign-in form of its own: people sign in through allauth (MFA, rate limits).
    "admin:login": rule("login", "denied", administrator="ok"),
    "admin:logout": rule("login", "ok"),
}
for _table in APP_TABLES:
    ACCESS |= _table.ACCESS

# What each expected outcome accepts of what a response shows.
ACCEPTS = {
    "ok": {"ok", "redirect"},
    "away": {"ok", "redirect"},
    "ok or missing": {"ok", "redirect", "missing"},
    "missing": {"missing"},
    "login": {"login"},
    "denied": {"denied"},
    "unauthorised": {"unauthorised"},
}

# Unnamed duplicates allauth keeps for old links.
LEGACY_ROUTES = {"accounts/social/login/cancelled/", "accounts/social/login/error/", "accounts/social/signup/",
                 "accounts/social/connections/"}  # fmt: skip


def url_patterns(patterns=None, prefix="", namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


ADMIN_SITE_NAMES = {"admin:index", "admin:login", "admin:logout", "admin:password_change",
                    "admin:password_change_done", "admin:jsi18n", "admin:autocomplete", "admin:view_on_site",
                    "admin:app_list"}  # fmt: skip


# Admin "add" pages of records that only the policy and training pages create (with their rules).
ADMIN_READ_ONLY_ADDS = {"admin:policies_documentversion_add", "admin:policies_acknowledgement_add",
                        "admin:policies_event_add", "admin:training_assignment_add", "admin:training_completion_add",
                        "admin:training_licence_add", "admin:training_supportassessment_add",
                        "admin:training_attempt_add", "admin:training_houserules_add"}  # fmt: skip


def table_key(route: str, name: str | None) -> str | None:
    """Admin model pages share one rule; everything else is declared by name."""
    if name in ADMIN_READ_ONLY_ADDS:
        return "admin:no-add"
    if route.startswith("admin/") and name not in ADMIN_SITE_NAMES:
        return "admin:*"
    return name


def test_the_table_declares_every_url():
    undeclared = [
        (route, name)
        for route, name, _ in url_patterns()
        if route not in LEGACY_ROUTES and table_key(route, name) not in ACCESS
    ]
    assert undeclared == [], f"Declare who may use these URLs in ACCESS: {undeclared}"


def sample_kwargs(name: str, personas) -> dict | None:
    """Arguments for URLs that need them; None when the route cannot be requested generically."""
    if name == "people:detail":
        return {"pk": personas["staff"].pk}
    if name in {"people:import-preview", "people:import-apply"}:
        staff_import = StaffImport.objects.create(file_name="staff.csv", content="", uploaded_by=personas["hr"])
        return {"pk": staff_import.pk}
    if name == "notifications:open":
        notification, _ = Notification.objects.get_or_create(
            key="access-matrix", defaults={"recipient": personas["staff"], "title": "Sample", "url": "/"}
        )
        return {"pk": notification.pk}
    if name.startswith("policies:") and name not in {"policies:list", "policies:create", "policies:drafts",
                                                     "policies:preview", "policies:help"}:  # fmt: skip
        document = _sample_document(personas)
        if name == "policies:version":
            return {"slug": document.slug, "pk": document.current_version_id}
        return {"slug": document.slug}
    if name.startswith("training:"):
        return _training_sample(name, personas)
    if name in {"incidents:detail", "incidents:action"}:
        from incidents.services import incident_open

        incident = incident_open(opened_by=personas["staff"], title="Sample", severity="low")
        return {"pk": incident.pk}
    if name == "incidents:acknowledge-link":
        return {"token": "sample"}
    for table in APP_TABLES:
        if name.startswith(f"{table.APP}:"):
            return table.sample_kwargs(name, personas)
    if name == "account_reset_password_from_key":
        return {"uidb36": "x", "key": "set-password"}
    if name == "account_confirm_email":
        return {"key": "unknown"}
    if name in {"openid_connect_login", "openid_connect_callback"}:
        return {"provider_id": "entra"}
    return {}


def _sample_document(personas):
    """A published guidance document owned by ``comms_lead``."""
    from policies.models import Category, Document
    from policies.services import document_create, draft_for, version_publish

    document = Document.objects.filter(slug="access-matrix").first()
    if document is None:
        document = document_create(author=personas["comms_lead"], title="Access matrix", slug="access-matrix",
                                   summary="A sample.", category=Category.GUIDANCE, owner=personas["comms_lead"],
                                   body="## Sample\n\nText.")  # fmt: skip
        version_publish(version=draft_for(document), actor=personas["comms_lead"])
        document.refresh_from_db()
    return document


def _sample_quiz():
    from training.models import Quiz

    return Quiz.objects.get_or_create(slug="access-matrix", defaults={"title": "Sample quiz"})[0]


def _training_sample(name, personas) -> dict:
    """A course with a lesson, ``staff``'s open assignment of it and a completion (certificate) of it."""
    from training.models import Assignment, Completion, Course, Lesson

    course, _ = Course.objects.get_or_create(slug="access-matrix", defaults={"title": "Sample", "summary": "A sample."})
    Lesson.objects.get_or_create(course=course, order=1, defaults={"title": "One", "body": "Text."})
    if name in {"training:course", "training:lesson"}:
        return {"slug": course.slug} | ({"order": 1} if name == "training:lesson" else {})
    if name == "training:person":
        return {"pk": personas["staff"].pk}
    if name == "training:exempt":
        assignment, _ = Assignment.objects.get_or_create(
            person=personas["staff"],
            course=course,
            status="open",
            defaults={"source": "manual", "due_on": "2030-01-01"},
        )
        return {"pk": assignment.pk}
    if name in {"training:quiz", "training:quiz-analysis"}:
        return {"slug": _sample_quiz().slug}
    if name == "training:election-period-delete":
        from training.models import ElectionPeriod

        period, _ = ElectionPeriod.objects.get_or_create(name="Sample", starts_on="2027-03-15", ends_on="2027-05-06")
        return {"pk": period.pk}
    if name in {"training:attempt", "training:attempt-result"}:
        quiz = _sample_quiz()
        attempt = quiz.attempts.filter(person=personas["staff"]).first() or quiz.attempts.create(
            person=personas["staff"], number=1
        )
        return {"pk": attempt.pk}
    if name in {"training:certificate", "training:certificate-pdf"}:
        completion = Completion.objects.filter(person=personas["staff"]).first() or Completion.objects.create(
            person=personas["staff"], course=course
        )
        return {"number": completion.certificate_number}
    return {}


def outcome(response, login_url: str) -> str:
    if response.status_code == 403:
        return "denied"
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(login_url) or location.startswith("/admin/login/"):
            return "login"
        return "redirect"
    if response.status_code < 400 or response.status_code == 405:
        return "ok"
    return {401: "unauthorised", 404: "missing"}.get(response.status_code, f"status {response.status_code}")


def requestable_urls(personas):
    for route, name, pattern in url_patterns():
        if route in LEGACY_ROUTES:
            continue
        key = table_key(route, name)
        if route.startswith("admin/"):
            if pattern.pattern.regex.groups or not name:
                continue  # object pages share their model's rule; the index and lists stand for them
            yield key, reverse(name)
            continue
        yield key, reverse(name, kwargs=sample_kwargs(name, personas))


@pytest.mark.django_db
def test_every_url_answers_every_persona_as_declared(client, personas, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "entra",
                    "name": "Microsoft Entra ID",
                    "client_id": "socialgov",
                    "secret": "not-a-secret",
                    "settings": {"server_url": "http://127.0.0.1:9/"},
                }
            ]
        }
    }
    login_url = reverse("account_login")
    mismatches = []
    checked = 0
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(personas[persona])
        for key, url in requestable_urls(personas):
            response = client.get(url)
            got = outcome(response, login_url)
            expected = ACCESS[key][persona]
            checked += 1
            if got not in ACCEPTS[expected]:
                mismatches.append(f"{persona:14} {url:50} expected {expected}, got {got}")
    assert checked > 7 * 30
    assert mismatches == [], "\n".join(mismatches)
