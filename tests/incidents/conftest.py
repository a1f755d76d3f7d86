"""Builders for incident tests: a rota with a primary, a secondary and a head of communications, and a playbook."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from policies.models import Category
from policies.playbooks import steps_parse
from tests.factories import UserFactory
from tests.policies.conftest import document_draft, publish_draft

NIGHT = timezone.make_aware(datetime.datetime(2026, 11, 21, 23, 0))  # a Saturday, 11pm

STEPS = """
Tell the platform the account is compromised | Whoever is on call | 15
Revoke every session | Account owner | 30
"""


@pytest.fixture
def ladder(db):
    """Primary, secondary and head of communications: on call from Saturday night until tomorrow."""
    from socialgov.rota.models import RotaSettings, Shift

    primary = UserFactory(first_name="Priya", last_name="Primary")
    secondary = UserFactory(first_name="Sam", last_name="Secondary")
    head = UserFactory(first_name="Hana", last_name="Head")
    start, end = NIGHT - datetime.timedelta(hours=6), max(NIGHT, timezone.now()) + datetime.timedelta(days=1)
    Shift.objects.create(person=primary, role=Shift.Role.PRIMARY, starts_at=start, ends_at=end)
    Shift.objects.create(person=secondary, role=Shift.Role.SECONDARY, starts_at=start, ends_at=end)
    settings_row = RotaSettings.current()
    settings_row.head_of_comms = head
    settings_row.save()
    return primary, secondary, head


@pytest.fixture
def playbook(comms_lead, second_comms_lead):
    document = document_draft(
        comms_lead, title="Account hacked", category=Category.PLAYBOOK, help_question="Our account has been hacked",
        severity="critical", steps=[s.as_dict() for s in steps_parse(STEPS)],
    )  # fmt: skip
    return publish_draft(document, author=comms_lead, approver=second_comms_lead)
