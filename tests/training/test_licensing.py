"""The posting licence: granted when everything is done, lapsing with a reason when something no longer holds."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from policies.models import DocumentVersion
from policies.services import acknowledgement_record
from tests.policies.conftest import at, backdate, publish_document, publish_new_version
from tests.training.conftest import make_course, read_all
from training.licensing import licence_in_force, licence_review, licences_review, requirements_for
from training.models import Completion, Licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(comms_lead, second_comms_lead, settings):
    settings.LICENCE_POLICY_SLUG = "social-media-policy"
    return publish_document(comms_lead, approver=second_comms_lead, title="Social media policy", category="policy")


@pytest.fixture
def licence_course(settings):
    settings.LICENCE_COURSE_SLUGS = ["social-media-at-work"]
    settings.LICENCE_QUIZ_SLUGS = []  # the quiz has its own test below
    return make_course("Social media at work", refresher_months=12)


def test_the_licence_is_granted_when_the_last_requirement_is_met(staff, policy, licence_course, settings):
    settings.LICENCE_VALID_MONTHS = 12
    labels = [(r.label, r.is_met) for r in requirements_for(staff)]
    assert labels == [("Acknowledge the social media policy", False), ("Complete Social media at work", False)]
    acknowledgement_record(version=policy.current_version, person=staff)
    assert licence_review(person=staff) is None
    read_all(staff, licence_course)  # completing the course reviews the licence
    licence = licence_in_force(staff)
    assert licence is not None
    today = timezone.localdate()
    assert licence.expires_on == today.replace(year=today.year + 1)


def test_the_licence_lapses_when_the_refresher_is_overdue(staff, policy, licence_course):
    acknowledgement_record(version=policy.current_version, person=staff)
    completion = read_all(staff, licence_course)
    assert licence_in_force(staff) is not None
    later = completion.expires_on + datetime.timedelta(days=1)
    assert licence_review(person=staff, today=later) is None
    [lapsed] = Licence.objects.filter(person=staff)
    assert lapsed.lapsed_at is not None
    assert lapsed.lapse_reason == "Complete Social media at work"


def test_a_new_major_policy_version_has_a_grace_period_then_the_licence_lapses(
    staff, policy, licence_course, comms_lead, second_comms_lead, settings
):
    settings.LICENCE_POLICY_GRACE_DAYS = 30
    acknowledgement_record(version=policy.current_version, person=staff)
    read_all(staff, licence_course)
    second = publish_new_version(policy, change=DocumentVersion.Change.MAJOR, body="## New\n\nElections.",
                                 what_changed="Elections.", author=comms_lead, approver=second_comms_lead)  # fmt: skip
    published = datetime.date(2026, 11, 1)
    backdate(second, published_at=at(published))
    within = licence_review(person=staff, today=published + datetime.timedelta(days=30))
    assert within is not None
    [policy_requirement, _] = requirements_for(staff, today=published + datetime.timedelta(days=30))
    assert policy_requirement.is_met
    assert policy_requirement.action == "Acknowledge version 2.0 by 1 December 2026"
    assert licence_review(person=staff, today=published + datetime.timedelta(days=31)) is None
    assert Licence.objects.get(person=staff).lapse_reason == "Acknowledge the social media policy"
    # Acknowledging brings it back, as a new grant: the lapse stays in the history.
    acknowledgement_record(version=second, person=staff)
    assert licence_review(person=staff, today=published + datetime.timedelta(days=32)) is not None
    assert Licence.objects.filter(person=staff).count() == 2


def test_a_licence_that_runs_its_term_is_granted_again_if_all_still_holds(staff, policy, licence_course):
    acknowledgement_record(version=policy.current_version, person=staff)
    read_all(staff, licence_course)
    first = licence_in_force(staff)
    Completion.objects.filter(person=staff).update(expires_on=None)
    renewed = licence_review(person=staff, today=first.expires_on + datetime.timedelta(days=1))
    assert renewed is not None
    assert renewed.pk != first.pk
    first.refresh_from_db()
    assert first.lapse_reason == "Ran its full term"


def test_a_leaver_loses_the_licence_in_the_nightly_review(staff, policy, licence_course):
    acknowledgement_record(version=policy.current_version, person=staff)
    read_all(staff, licence_course)
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert licences_review() == 1
    assert Licence.objects.get(person=staff).lapse_reason == "Left the organisation"


def test_the_quiz_is_a_requirement_and_passing_it_grants_the_licence(staff, policy, licence_course, settings):
    from tests.training.conftest import answer_all, make_quiz
    from training.quizzes import attempt_start, attempt_submit

    settings.LICENCE_QUIZ_SLUGS = ["twitiquette"]
    quiz = make_quiz("twitiquette")
    acknowledgement_record(version=policy.current_version, person=staff)
    read_all(staff, licence_course)
    assert licence_in_force(staff) is None
    assert [r.label for r in requirements_for(staff) if not r.is_met] == ["Pass the Twitiquette quiz"]
    attempt = attempt_start(person=staff, quiz=quiz)
    attempt_submit(attempt=attempt, answers=answer_all(attempt, right=False))
    assert licence_in_force(staff) is None
    attempt = attempt_start(person=staff, quiz=quiz)
    attempt_submit(attempt=attempt, answers=answer_all(attempt))
    assert licence_in_force(staff) is not None


def test_a_requirement_that_is_configured_but_not_set_up_licenses_nobody(staff, policy, settings):
    """Fail closed: a course or quiz named in the settings but not created yet cannot be met by its absence."""
    settings.LICENCE_COURSE_SLUGS = ["not-written-yet"]
    settings.LICENCE_QUIZ_SLUGS = []
    acknowledgement_record(version=policy.current_version, person=staff)
    assert licence_review(person=staff) is None
    assert [(r.label, r.action) for r in requirements_for(staff) if not r.is_met] == [
        ("Complete the course not-written-yet", "Not set up yet")
    ]
