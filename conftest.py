"""Personas and shared fixtures for the whole suite.

Every persona exists in one small organisation: a staff member whose line
manager is ``manager``; a comms lead, HR officer, incident lead and
administrator (the roles that need MFA have an authenticator set up).
"""

import pytest

from socialgov.people.roles import Role
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture
def department(db):
    directorate = DepartmentFactory(name="Communities")
    service = DepartmentFactory(name="Housing", parent=directorate)
    return DepartmentFactory(name="Tenancy team", parent=service)


@pytest.fixture
def manager(db, department):
    return UserFactory(
        email="manager@glenmorven.gov.uk", first_name="Morag", last_name="Manager", department=department
    )


@pytest.fixture
def staff(db, department, manager):
    return UserFactory(
        email="staff@glenmorven.gov.uk",
        first_name="Sandy",
        last_name="Staff",
        department=department,
        line_manager=manager,
    )


@pytest.fixture
def comms_lead(db):
    return UserFactory(email="comms@glenmorven.gov.uk", roles=[Role.COMMS_LEAD], with_mfa=True)


@pytest.fixture
def hr(db):
    return UserFactory(email="hr@glenmorven.gov.uk", roles=[Role.HR], with_mfa=True)


@pytest.fixture
def incident_lead(db):
    return UserFactory(email="incident@glenmorven.gov.uk", roles=[Role.INCIDENT_LEAD])


@pytest.fixture
def administrator(db):
    return UserFactory(email="admin@glenmorven.gov.uk", roles=[Role.ADMINISTRATOR], with_mfa=True)


@pytest.fixture
def personas(staff, manager, comms_lead, hr, incident_lead, administrator):
    """Every persona by name, for tests that walk through all of them."""
    return {
        "staff": staff,
        "manager": manager,
        "comms_lead": comms_lead,
        "hr": hr,
        "incident_lead": incident_lead,
        "administrator": administrator,
    }
