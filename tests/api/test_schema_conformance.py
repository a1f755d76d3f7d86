"""Every endpoint in the schema, fuzzed by schemathesis in-process: no 5xx, and answers as documented.

Schemathesis reads the schema the API serves, makes valid and invalid
requests from it (bad ids, unknown statuses, odd dates, wrong methods, no
credentials) and runs its checks on every answer: not a server error, status
code and body conform to the schema, invalid input is rejected, missing
credentials are refused. Examples are bounded and derandomised so the run is
the same each time and quick.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from socialgov.api.scopes import Scope
from tests.factories import (
    AcknowledgementFactory,
    AssignmentFactory,
    CompletionFactory,
    CourseFactory,
    LicenceFactory,
    PublishedVersionFactory,
)

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": 15, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)


@pytest.fixture
def api_key(db, issue, staff, manager):
    """A token with every scope, and a little of everything for it to read."""
    course = CourseFactory()
    AssignmentFactory(person=staff, course=course)
    CompletionFactory(person=staff, course=course)
    LicenceFactory(person=staff)
    AcknowledgementFactory(version=PublishedVersionFactory(), person=manager)
    _, key = issue(*Scope.values)
    return key


@pytest.fixture
def _served_in_process(settings):
    """Schemathesis calls http://localhost in this process, inside the test's transaction.

    No redirect to HTTPS, the host allowed, and (as Django's test client
    does) the end of a request does not close the database connection, which
    would end the test's transaction on PostgreSQL.
    """
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def site(environ, start_response):
    """The site's WSGI application, built per request so its middleware sees each test's settings."""
    return WSGIHandler()(environ, start_response)


def served_schema() -> dict:
    """The schema exactly as /api/schema/ serves it, made without a request so tests can be built from it."""
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(served_schema(), config=CONFIG)
schema.app = site


@schema.hook
def map_query(context, query):
    """A cursor is opaque: only the API can make a valid one, so generated ones are left out (see test_records)."""
    if query:
        query.pop("cursor", None)
    return query


@schema.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@pytest.mark.usefixtures("_served_in_process")
def test_the_api_answers_every_request_as_its_schema_says(case, api_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"})
