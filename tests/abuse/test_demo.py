"""The demo report: made by the demo member of staff, given to the demo comms lead, no files, loaded once."""

import pytest

from socialgov.abuse.demo import demo_abuse_load
from socialgov.abuse.models import AbuseReport, Evidence
from socialgov.people import demo as people_demo
from socialgov.people.roles import Role
from socialgov.people.services import person_set_roles

LOADERS = [people_demo.demo_people_load, demo_abuse_load]


@pytest.mark.django_db
def test_the_demo_has_one_report_given_to_a_comms_lead_and_loads_once():
    result = people_demo.demo_organisation_load(loaders=LOADERS)

    report = AbuseReport.objects.get()
    assert report.reporter.email == f"ailsa.munro@{people_demo.DEMO_EMAIL_DOMAIN}"
    assert report.assigned_to.email == f"catriona.macleod@{people_demo.DEMO_EMAIL_DOMAIN}"
    assert report.status == AbuseReport.Status.IN_HAND
    assert not Evidence.objects.exists()
    assert result.created["Abuse reports"] == 1

    again = people_demo.demo_organisation_load(loaders=LOADERS)

    assert AbuseReport.objects.count() == 1
    assert (again.created["Abuse reports"], again.unchanged["Abuse reports"]) == (0, 1)


@pytest.mark.django_db
def test_the_demo_records_who_in_hr_wellbeing_gave_it_out():
    def wellbeing_adviser(context):
        person_set_roles(person=context.person("GC1046"), roles=[Role.HR, Role.WELLBEING])

    people_demo.demo_organisation_load(loaders=[people_demo.demo_people_load, wellbeing_adviser, demo_abuse_load])

    assert AbuseReport.objects.get().history.latest().history_user.employee_number == "GC1046"
