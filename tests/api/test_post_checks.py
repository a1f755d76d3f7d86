"""The post checker's API: the same checks as the page, JSON in and out, 401 without credentials."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from training import checker

pytestmark = pytest.mark.django_db

URL = "/api/v1/post-checks/"


@pytest.fixture
def api(staff):
    client = APIClient()
    client.force_login(staff)
    return client


def test_findings_come_back_with_spans_that_point_into_the_text(api):
    text = "Thx 4 coming 2 the library open day!!"

    response = api.post(URL, {"text": text, "platform": "x"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["platform"] == "x"
    assert body["limit"] == checker.PLATFORMS["x"].limit
    assert body["pre_election"] is False
    rules = {f["rule"] for f in body["findings"]}
    assert {"text_speak", "exclamations"} <= rules
    for finding in body["findings"]:
        assert set(finding) == {"rule", "title", "severity", "start", "end", "excerpt", "message", "why", "fix"}
        if finding["end"] - finding["start"] < len(text):
            assert text[finding["start"] : finding["end"]] == finding["excerpt"]


def test_x_counts_links_as_23(api):
    link = "https://www.example.gov.uk/" + "a" * 100
    response = api.post(URL, {"text": f"Read more: {link}", "platform": "x"}, format="json")

    assert response.json()["length"] == len("Read more: ") + 23


def test_without_credentials_the_answer_is_401_not_a_sign_in_page():
    response = APIClient().post(URL, {"text": "Hello", "platform": "x"}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_token_works_for_other_systems(staff):
    token = Token.objects.create(user=staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post(URL, {"text": "The library is open until 8pm.", "platform": "bluesky"}, format="json")

    assert response.status_code == 200
    assert response.json()["findings"] == []


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"platform": "x"}, "text", "required"),
        ({"text": "", "platform": "x"}, "text", "blank"),
        ({"text": "   ", "platform": "x"}, "text", "only spaces"),
        ({"text": "Hello", "platform": "myspace"}, "platform", "not a valid choice"),
        ({"text": "x" * (checker.MAX_DRAFT_CHARS + 1), "platform": "x"}, "text", "no more than"),
        ({"text": "Hello", "platform": "x", "image_attached": "perhaps"}, "image_attached", "valid boolean"),
    ],
)
def test_bad_input_says_which_field_and_why(api, payload, field, words):
    response = api.post(URL, payload, format="json")

    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


def test_only_json_is_taken(api):
    response = api.post(URL, "text=Hello&platform=x", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415


def test_the_schema_describes_the_endpoint(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert URL in schema["paths"]
    assert "PostCheckRequest" in schema["components"]["schemas"]


def test_queries_are_few_and_fixed(api, django_assert_num_queries):
    api.post(URL, {"text": "Hello from the library", "platform": "x"}, format="json")  # house rules made on first use
    # The session, the person, the house rules, today's election period: whatever the draft.
    with django_assert_num_queries(4):
        api.post(URL, {"text": "PLS vote 4 me!!! " * 50, "platform": "x"}, format="json")
