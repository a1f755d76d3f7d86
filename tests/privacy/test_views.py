"""The subject access pages: a person's own data, and HR's for anyone."""

import json

from django.urls import reverse

from tests.factories import UserFactory
from tests.privacy.conftest import give_records


def test_a_person_sees_their_own_data(client, staff, django_assert_max_num_queries):
    give_records(staff)
    client.force_login(staff)
    with django_assert_max_num_queries(45):
        response = client.get(reverse("privacy:mine"))
    assert response.status_code == 200
    text = response.content.decode()
    assert '<h1 class="govuk-heading-l">Your data</h1>' in text
    assert "staff@glenmorven.gov.uk" in text
    assert "Threats after the meeting" in text
    assert 'aria-label="Breadcrumb"' in text
    assert response["Cache-Control"] == "no-store"


def test_a_person_downloads_their_own_data_as_json(client, staff):
    give_records(staff)
    client.force_login(staff)
    response = client.get(reverse("privacy:mine-json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(f'attachment; filename="personal-data-{staff.pk}-')
    data = json.loads(response.content)
    assert data["profile"]["email"] == staff.email
    assert data["training"]["completions"][0]["certificate_number"].startswith("SG-")
    assert staff.password not in response.content.decode()


def test_hr_finds_a_person_and_downloads_their_data(client, hr, staff):
    client.force_login(hr)
    response = client.get(reverse("privacy:subject-access-start"), {"person": staff.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:subject-access", args=[staff.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Data held about Sandy Staff" in page
    download = client.get(reverse("privacy:subject-access-json", args=[staff.pk]))
    assert json.loads(download.content)["profile"]["last_name"] == "Staff"


def test_hr_is_told_when_nobody_matches(client, hr):
    client.force_login(hr)
    response = client.get(reverse("privacy:subject-access-start"), {"person": "ghost@glenmorven.gov.uk"})
    assert response.status_code == 400
    assert "There is nobody with the email address ghost@glenmorven.gov.uk." in response.content.decode()
    assert client.get(reverse("privacy:subject-access-start")).status_code == 200


def test_someone_unknown_is_not_found(client, hr):
    client.force_login(hr)
    assert client.get(reverse("privacy:subject-access", args=[999999])).status_code == 404


def test_an_empty_record_says_none_held(client, db):
    person = UserFactory()
    client.force_login(person)
    assert "None held." in client.get(reverse("privacy:mine")).content.decode()
