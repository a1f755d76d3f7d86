"""The demo documents: two versions of the policy, so re-acknowledgement can be seen, and a report with gaps."""

from io import StringIO

import pytest
from django.core.management import call_command

from policies.models import Acknowledgement, Document, Event
from policies.selectors import acknowledgement_report, owed_by
from socialgov.people.models import User


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def test_the_demo_policy_has_two_versions_and_the_member_of_staff_owes_the_second(demo):
    policy = Document.objects.get(slug="social-media-policy")
    assert [v.number for v in policy.versions.order_by("published_at")] == ["1.0", "2.0"]
    assert policy.current_version.number == "2.0"
    assert "pre-election period" in policy.current_version.body_text
    ailsa = User.objects.get(email="ailsa.munro@glenmorven.gov.uk")
    [owed] = [o for o in owed_by(ailsa) if o.document == policy]
    assert owed.previous is not None
    assert owed.previous.version.number == "1.0"
    assert owed.version.what_changed.startswith("We have added a new section on the pre-election period")


def test_the_demo_policy_was_written_by_one_comms_lead_and_approved_by_the_other(demo):
    policy = Document.objects.get(slug="social-media-policy")
    published = Event.objects.filter(document=policy, action=Event.Action.PUBLISHED)
    assert {e.actor.email for e in published} == {"catriona.macleod@glenmorven.gov.uk"}
    assert {v.author.email for v in policy.versions.all()} == {"rhona.stewart@glenmorven.gov.uk"}


def test_the_demo_report_has_people_still_to_acknowledge(demo):
    policy = Document.objects.get(slug="social-media-policy")
    report = acknowledgement_report(policy, policy.current_version)
    assert 0 < report.acknowledged < report.total
    first = policy.versions.get(major=1)
    assert 0 < acknowledgement_report(policy, first).outstanding <= 4


def test_loading_the_demo_again_changes_no_document(demo):
    before = (Document.objects.count(), Acknowledgement.objects.count(), Event.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Document.objects.count(), Acknowledgement.objects.count(), Event.objects.count()) == before
    assert before[0] == 3 + 7  # three documents and seven playbooks


def test_the_demo_playbooks_are_published_with_their_steps_most_serious_first_on_the_help_page(demo, client):
    from policies.models import Category

    playbooks = Document.objects.filter(category=Category.PLAYBOOK).select_related("current_version")
    assert playbooks.count() == 7
    assert all(len(p.current_version.steps) >= 6 for p in playbooks)
    client.force_login(Document.objects.get(slug="account-hacked").owner)
    listed = client.get("/policies/help/").context["playbooks"]
    assert listed[0].document.severity == "critical"
    assert "Our account has been hacked" in {v.document.help_question for v in listed}
