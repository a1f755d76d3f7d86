"""The demo register: eight accounts with something to act on, loaded after the rest of the demo, and only once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from socialgov.channels.models import Absence, AccessGrant, AccessRequest, Account
from socialgov.channels.reminders import AccessReviewSource, CoverSource, TwoStepSource
from socialgov.people import demo as people_demo
from socialgov.people.models import User

LOADER = "socialgov.channels.demo.demo_channels_load"


def person(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{people_demo.DEMO_EMAIL_DOMAIN}")


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    assert LOADER in people_demo.DEMO_LOADERS
    call_command("load_demo", stdout=StringIO())


def test_the_demo_register_has_something_for_each_role_to_act_on_and_loads_once(demo):
    today = timezone.localdate()
    assert Account.objects.count() == 8
    assert list(Account.objects.filter(has_two_step=False).values_list("handle", flat=True)) == [
        "Glenmorven Council Careers"
    ]
    overdue = [a.handle for a in Account.objects.all() if a.is_access_review_overdue(today)]
    assert "Glenmorven Council" in overdue
    reviews = {i.person_id for i in AccessReviewSource().due_items(today=today)}
    assert person("catriona.macleod").pk in reviews
    assert person("catriona.macleod").pk in {i.person_id for i in TwoStepSource().due_items(today=today)}
    [uncovered] = CoverSource().due_items_for(person=person("fiona.gray"), today=today)
    assert uncovered.title.startswith("Arrange cover for your accounts")
    assert Absence.objects.filter(covered_by=person("rhona.stewart")).count() == 1
    assert AccessGrant.objects.in_force().count() == 5
    waiting = AccessRequest.objects.get(status="requested")
    assert waiting.person == person("scott.hamilton")

    # Loading it again changes nothing.
    counts = (Account.objects.count(), AccessGrant.objects.count(), AccessRequest.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert (Account.objects.count(), AccessGrant.objects.count(), AccessRequest.objects.count()) == counts
    assert "Accounts: 0 created, 0 updated, 8 unchanged" in out.getvalue()
