"""The register's pages through the test client: lists and their query counts, forms that keep input, who sees what."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from socialgov.channels.models import Absence, AccessGrant, AccessRequest, Account
from socialgov.channels.services import pause_start
from tests.channels.conftest import licence_for, make_account
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# --- The register -------------------------------------------------------------------


def test_everyone_signed_in_sees_the_register_searched_and_filtered(client, staff, owner, comms_lead):
    libraries = DepartmentFactory(name="Libraries")
    make_account(owners=[owner], by=comms_lead, handle="@GlenLibraries", platform="facebook", team=libraries)
    make_account(owners=[owner], by=comms_lead, handle="@GlenRoads", platform="x")
    client.force_login(staff)

    def handles(**params):
        response = client.get(reverse("channels:list"), params)
        assert response.status_code == 200
        return [row["account"].handle for row in response.context["rows"]]

    assert handles() == ["@GlenLibraries", "@GlenRoads"]
    assert handles(q="roads") == ["@GlenRoads"]
    assert handles(platform="facebook") == ["@GlenLibraries"]
    assert handles(team=libraries.pk) == ["@GlenLibraries"]
    assert handles(platform="myspace", team="x") == ["@GlenLibraries", "@GlenRoads"], "unknown filters are ignored"


def test_the_register_is_paginated_and_hides_retired_accounts_unless_asked(client, staff, owner, comms_lead):
    for n in range(26):
        make_account(owners=[owner], by=comms_lead, handle=f"@Page{n:02d}")
    Account.objects.filter(handle="@Page00").update(is_active=False, retired_on=timezone.localdate())
    client.force_login(staff)
    first = client.get(reverse("channels:list"))
    assert len(first.context["rows"]) == 25
    assert first.context["page"].paginator.count == 25
    assert client.get(reverse("channels:list"), {"retired": "on"}).context["page"].paginator.count == 26
    assert len(client.get(reverse("channels:list"), {"retired": "on", "page": 2}).context["rows"]) == 1


def _busy_register(owner, comms_lead, staff, count: int) -> None:
    """``count`` accounts, each with two owners, one of them away and covered, a grant and a pause on some."""
    today = timezone.localdate()
    licence_for(staff)
    team = DepartmentFactory()
    for _ in range(count):
        co_owner = UserFactory()
        account = make_account(owners=[owner, co_owner], by=comms_lead, team=team, has_two_step=False)
        Absence.objects.create(owner=co_owner, account=account, starts_on=today, ends_on=today, covered_by=staff)
        AccessGrant.objects.create(person=UserFactory(), account=account)
    pause_start(accounts=Account.objects.all()[:2], reason="Hold", by=comms_lead)


@pytest.mark.parametrize("count", [2, 20])
def test_the_register_runs_the_same_queries_for_2_or_20_accounts(
    count, client, owner, comms_lead, staff, django_assert_num_queries
):
    _busy_register(owner, comms_lead, staff, count)
    client.force_login(staff)
    client.get(reverse("channels:list"))
    # Session, person, count, page, owners, pauses, their accounts, absences today, teams for the filter;
    # the header's roles, "is a manager" and unread notifications.
    with django_assert_num_queries(12):
        response = client.get(reverse("channels:list"))
    assert len(response.context["rows"]) == count
    assert text(response).count("covered by Sandy Staff") == count


def test_the_account_page_runs_the_same_queries_whatever_its_size(client, owner, comms_lead, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    account = make_account(owners=[owner], by=comms_lead)
    client.force_login(staff)
    url = reverse("channels:detail", kwargs={"pk": account.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(10):
        AccessGrant.objects.create(person=UserFactory(), account=account)
        account.owners.add(UserFactory())
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


# --- Adding and changing accounts -----------------------------------------------------


def test_a_comms_lead_adds_an_account_and_a_password_is_refused_keeping_the_rest(client, comms_lead, owner):
    client.force_login(comms_lead)
    form = {
        "platform": "bluesky",
        "handle": "@glenmorven.gov.uk",
        "url": "https://bsky.app/profile/glenmorven.gov.uk",
        "owner_emails": f"{owner.email}\n{comms_lead.email}",
        "credentials_location": "password: Tr0ub4dor&3",
        "recovery_contact": "socialmedia@glenmorven.gov.uk",
        "access_review_every_days": "90",
    }
    response = client.post(reverse("channels:create"), form)
    assert response.status_code == 400
    page = text(response)
    assert "Do not write a password here. Enter where the password is kept instead" in page
    assert 'value="@glenmorven.gov.uk"' in page
    assert owner.email in page
    assert not Account.objects.exists()

    response = client.post(reverse("channels:create"), form | {"credentials_location": "Keeper › Comms › Bluesky"})
    account = Account.objects.get()
    assert response["Location"] == reverse("channels:detail", kwargs={"pk": account.pk})
    assert set(account.owners.all()) == {owner, comms_lead}
    assert (account.has_two_step, account.two_step_off_since) == (False, timezone.localdate())
    assert account.history.count() >= 1


def test_unknown_or_departed_owners_are_named(client, comms_lead):
    leaver = UserFactory(email="gone@glenmorven.gov.uk", is_active=False)
    client.force_login(comms_lead)
    response = client.post(reverse("channels:create"), {
        "platform": "x", "handle": "@Glen", "credentials_location": "Keeper › X",
        "owner_emails": f"nobody@glenmorven.gov.uk, {leaver.email}", "access_review_every_days": "90",
    })  # fmt: skip
    page = text(response)
    assert "Nobody with the email address nobody@glenmorven.gov.uk is in the staff list" in page
    assert f"{leaver} has left: choose someone who works here now" in page


def test_the_same_handle_cannot_be_added_twice(client, comms_lead, account, owner):
    client.force_login(comms_lead)
    response = client.post(reverse("channels:create"), {
        "platform": account.platform, "handle": account.handle.upper(), "credentials_location": "Keeper › Again",
        "owner_emails": owner.email, "access_review_every_days": "90",
    })  # fmt: skip
    assert response.status_code == 400
    assert "This account is in the register already." in text(response)
    assert Account.objects.count() == 1


def test_staff_and_owners_cannot_add_or_change_accounts(client, staff, owner, account):
    for person in (staff, owner):
        client.force_login(person)
        assert client.get(reverse("channels:create")).status_code == 403
        assert client.get(reverse("channels:edit", kwargs={"pk": account.pk})).status_code == 403


def test_retiring_an_account_through_its_edit_page(client, comms_lead, account, owner):
    client.force_login(comms_lead)
    form = client.get(reverse("channels:edit", kwargs={"pk": account.pk})).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "is_active"}
    data["team"] = ""
    response = client.post(reverse("channels:edit", kwargs={"pk": account.pk}), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    account.refresh_from_db()
    assert (account.is_active, account.retired_on) == (False, timezone.localdate())


# --- The account page ---------------------------------------------------------------


def test_where_the_password_is_kept_is_shown_only_to_those_who_look_after_or_post(client, account, owner, staff, hr):
    url = reverse("channels:detail", kwargs={"pk": account.pk})
    client.force_login(hr)
    assert account.credentials_location not in text(client.get(url))
    AccessGrant.objects.create(person=staff, account=account)
    for person in (owner, staff):
        client.force_login(person)
        assert account.credentials_location in text(client.get(url))


def test_an_owner_records_an_access_review(client, account, owner, staff):
    client.force_login(staff)
    assert client.post(reverse("channels:review", kwargs={"pk": account.pk})).status_code == 403
    client.force_login(owner)
    response = client.post(reverse("channels:review", kwargs={"pk": account.pk}), follow=True)
    account.refresh_from_db()
    assert (account.last_access_review_on, account.last_access_review_by) == (timezone.localdate(), owner)
    due = account.last_access_review_on + datetime.timedelta(days=90)
    assert f"Access review recorded. The next one is due on {due.day} {due:%B %Y}." in text(response)


# --- Asking for access through the pages ----------------------------------------------


def test_someone_without_a_licence_is_told_what_they_still_need(client, account, staff):
    client.force_login(staff)
    page = text(client.get(reverse("channels:detail", kwargs={"pk": account.pk})))
    assert "You need a posting licence before you can ask for access to an account." in page
    assert reverse("training:mine") in page
    assert 'data-testid="request-form"' not in page
    response = client.post(reverse("channels:request", kwargs={"pk": account.pk}), {"reason": "Events"}, follow=True)
    assert "You need a posting licence" in text(response)
    assert not AccessRequest.objects.exists()


def test_the_request_form_keeps_its_place_on_the_account_page(client, account, staff):
    licence_for(staff)
    client.force_login(staff)
    response = client.post(reverse("channels:request", kwargs={"pk": account.pk}), {"reason": ""})
    assert response.status_code == 400
    assert "Say why you need to post to this account" in text(response)
    assert "There is a problem" in text(response)
    response = client.post(reverse("channels:request", kwargs={"pk": account.pk}), {"reason": "Library events"})
    assert response["Location"] == reverse("channels:mine")
    assert "Waiting" in text(client.get(reverse("channels:mine")))


def test_the_line_manager_approves_and_the_asker_sees_their_access(client, account, staff, manager, comms_lead):
    licence_for(staff)
    client.force_login(staff)
    client.post(reverse("channels:request", kwargs={"pk": account.pk}), {"reason": "Library events"})
    access_request = AccessRequest.objects.get()
    decide = reverse("channels:request-decide", kwargs={"pk": access_request.pk})
    assert client.get(decide).status_code == 403, "nobody decides their own request"
    client.force_login(comms_lead)
    assert client.get(decide).status_code == 403
    client.force_login(manager)
    assert "Sandy Staff" in text(client.get(reverse("channels:requests")))
    response = client.post(decide, {"action": "refuse", "reason": ""})
    assert response.status_code == 400
    assert "Say why you are refusing: they will be told" in text(response)
    response = client.post(decide, {"action": "approve"})
    assert response["Location"] == reverse("channels:requests")
    client.force_login(staff)
    assert account.handle in text(client.get(reverse("channels:mine")))
    assert "You can post to this account." in text(client.get(reverse("channels:detail", kwargs={"pk": account.pk})))


def test_a_refusal_keeps_its_reason_when_the_request_was_decided_meanwhile(client, account, staff, manager, owner):
    licence_for(staff)
    from socialgov.channels.services import access_request_approve, access_request_create

    access_request = access_request_create(person=staff, account=account, reason="Events")
    access_request_approve(access_request=access_request, by=owner)
    client.force_login(manager)
    response = client.post(reverse("channels:request-decide", kwargs={"pk": access_request.pk}),
                           {"action": "refuse", "reason": "Not needed"})  # fmt: skip
    assert response.status_code == 400
    assert "This request has been decided or withdrawn already." in text(response)


def test_an_owner_ends_someones_access(client, account, owner, staff):
    grant = AccessGrant.objects.create(person=staff, account=account)
    url = reverse("channels:grant-end", kwargs={"pk": grant.pk})
    client.force_login(owner)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"reason": "Moved team"})
    assert response["Location"] == reverse("channels:detail", kwargs={"pk": account.pk})
    grant.refresh_from_db()
    assert grant.lapse_reason == "Ended by Olive Owner: Moved team"
    assert client.get(url).status_code == 404


def test_the_nightly_lapse_is_scheduled_after_leavers_and_licences():
    task = PeriodicTask.objects.get(task="channels.lapse_grants")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("1", "30", "Europe/London")
