"""Publishing pauses: who starts and lifts them, and where a pause in force shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socialgov.channels.models import PublishingPause
from socialgov.channels.reminders import PauseSource
from socialgov.channels.services import ChannelsError, pause_lift, pause_start, pauses_in_force
from tests.channels.conftest import TODAY, make_account
from training.models import Licence

pytestmark = pytest.mark.django_db

HOME_TITLE = "Publishing is paused on {}: do not post until it is lifted"


@pytest.fixture
def accounts(owner, comms_lead):
    return [make_account(owners=[owner], by=comms_lead, handle=f"@Paused{n}") for n in range(2)]


@pytest.fixture
def with_access(staff, manager, accounts):
    """``staff`` may post to the first account; ``manager`` to the second."""
    from socialgov.channels.models import AccessGrant

    AccessGrant.objects.create(person=staff, account=accounts[0])
    AccessGrant.objects.create(person=manager, account=accounts[1])
    Licence.objects.create(person=staff, expires_on="2099-12-31")


@pytest.mark.parametrize("persona", ["incident_lead", "comms_lead", "administrator"])
def test_incident_leads_comms_leads_and_administrators_pause_and_lift(persona, accounts, request):
    by = request.getfixturevalue(persona)
    pause = pause_start(accounts=None, reason="Data breach: hold everything.", by=by)
    assert pause.is_all_accounts
    assert pause.is_in_force
    assert list(pauses_in_force()) == [pause]
    pause_lift(pause=pause, by=by)
    assert (pause.lifted_by, pauses_in_force().exists()) == (by, False)
    with pytest.raises(ChannelsError, match="lifted already"):
        pause_lift(pause=pause, by=by)


@pytest.mark.parametrize("persona", ["staff", "manager", "hr", "owner"])
def test_nobody_else_pauses_publishing(persona, accounts, request):
    with pytest.raises(ChannelsError, match="Only incident leads, comms leads and administrators"):
        pause_start(accounts=None, reason="No", by=request.getfixturevalue(persona))
    assert not PublishingPause.objects.exists()


def test_a_pause_needs_a_reason_and_some_accounts(accounts, incident_lead):
    with pytest.raises(ChannelsError, match="Say why"):
        pause_start(accounts=None, reason=" ", by=incident_lead)
    with pytest.raises(ChannelsError, match="Choose the accounts"):
        pause_start(accounts=[], reason="Why", by=incident_lead)
    pause = pause_start(accounts=accounts[:1], reason="Why", by=incident_lead)
    assert (pause.is_all_accounts, list(pause.accounts.all())) == (False, accounts[:1])


def test_a_pause_is_on_the_home_page_of_those_with_access_to_a_paused_account(
    with_access, accounts, incident_lead, owner, staff, manager, hr
):
    pause = pause_start(accounts=accounts[:1], reason="Flooding: hold scheduled posts.", by=incident_lead)
    source = PauseSource()
    title = HOME_TITLE.format(accounts[0])
    assert sorted((i.person_id, i.title, i.due_on) for i in source.due_items(today=TODAY)) == sorted(
        [(owner.pk, title, TODAY), (staff.pk, title, TODAY)]
    )
    assert [i.url for i in source.due_items_for(person=staff, today=TODAY)] == [
        reverse("channels:pause", kwargs={"pk": pause.pk})
    ]
    assert source.due_items_for(person=manager, today=TODAY) == []
    assert source.due_items_for(person=hr, today=TODAY) == []
    pause_lift(pause=pause, by=incident_lead)
    assert list(source.due_items(today=TODAY)) == []


def test_a_pause_on_every_account_reaches_everyone_with_access(with_access, incident_lead, owner, staff, manager):
    pause_start(accounts=None, reason="Hold", by=incident_lead)
    people = {i.person_id for i in PauseSource().due_items(today=TODAY)}
    assert people == {owner.pk, staff.pk, manager.pk}


def test_the_home_page_shows_a_pause_to_people_with_access_only(client, with_access, accounts, incident_lead, hr):
    pause_start(accounts=accounts[:1], reason="Hold", by=incident_lead)
    client.force_login(accounts[0].grants.get().person)
    assert HOME_TITLE.format(accounts[0]) in client.get(reverse("web:home")).content.decode()
    client.force_login(hr)
    assert "Publishing is paused" not in client.get(reverse("web:home")).content.decode()


def test_the_account_page_and_its_register_row_show_the_pause(client, accounts, incident_lead, staff):
    pause_start(accounts=accounts[:1], reason="Flooding: hold scheduled posts.", by=incident_lead)
    client.force_login(staff)
    paused = client.get(reverse("channels:detail", kwargs={"pk": accounts[0].pk})).content.decode()
    assert "Flooding: hold scheduled posts." in paused
    assert 'data-testid="pause-banner"' in paused
    other = client.get(reverse("channels:detail", kwargs={"pk": accounts[1].pk})).content.decode()
    assert 'data-testid="pause-banner"' not in other
    register = client.get(reverse("channels:list"))
    rows = {row["account"].pk: row["pauses"] for row in register.context["rows"]}
    assert [len(rows[accounts[0].pk]), len(rows[accounts[1].pk])] == [1, 0]
    assert register.content.decode().count('data-testid="paused"') == 1


def test_pausing_and_lifting_through_the_pages(client, accounts, incident_lead):
    client.force_login(incident_lead)
    response = client.post(reverse("channels:pause-new"), {"scope": "some", "reason": "Hold"})
    assert response.status_code == 400
    assert "Choose at least one account to pause" in response.content.decode()
    assert 'value="some" checked' in response.content.decode()
    response = client.post(
        reverse("channels:pause-new"), {"scope": "some", "accounts": [accounts[1].pk], "reason": "Hold"}
    )
    pause = PublishingPause.objects.get()
    assert response["Location"] == reverse("channels:pause", kwargs={"pk": pause.pk})
    assert list(pause.accounts.all()) == [accounts[1]]
    client.post(reverse("channels:pause-lift", kwargs={"pk": pause.pk}))
    pause.refresh_from_db()
    assert pause.lifted_by == incident_lead
