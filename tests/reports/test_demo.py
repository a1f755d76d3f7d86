"""The demo's figures: every status present, and a year of weekly history for the charts."""

from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.urls import reverse

from socialgov.people.models import User
from socialgov.reports.models import Snapshot, Standing, Status, Tally
from socialgov.reports.rollups import tallies_recount
from tests.factories import TOTP_SECRET

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_dashboard_and_its_history(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    assert set(Standing.objects.values_list("status", flat=True)) == {status.value for status in Status}
    days = Snapshot.objects.filter(scope="", item_id=0, kind="course").values_list("day", flat=True)
    assert len(days) == 53
    # The tallies kept while the demo loaded agree with a recount from the standings.
    kept = sorted(Tally.objects.values_list("scope", "kind", "item_id", "complete", "overdue", "exempt"))
    tallies_recount()
    assert sorted(Tally.objects.values_list("scope", "kind", "item_id", "complete", "overdue", "exempt")) == kept
    # Loading again adds nothing.
    call_command("load_demo", stdout=StringIO())
    assert Snapshot.objects.filter(scope="", item_id=0, kind="course").count() == 53
    hr = User.objects.get(email="shona.paterson@glenmorven.gov.uk")
    TOTP.activate(hr, TOTP_SECRET)  # HR must use two-step verification
    client.force_login(hr)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert response.context["line_chart"].svg
