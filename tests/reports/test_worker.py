"""A change that can move anyone is worked into the reports by a real worker (PostgreSQL, Redis)."""

from conftest import wait_for
from socialgov.reports.models import Kind, Standing, Tally
from tests.factories import UserFactory
from tests.policies.conftest import publish_document


def test_a_real_worker_counts_everyone_for_a_newly_published_policy(celery_worker, comms_lead):
    people = [UserFactory() for _ in range(3)]
    document = publish_document(comms_lead, title="Personal use of social media")
    wait_for(lambda: Standing.objects.filter(kind=Kind.POLICY, item_id=document.pk, person__in=people).count() == 3)
    wait_for(lambda: Tally.objects.filter(scope="", kind=Kind.POLICY, item_id=document.pk).exists())
    everyone = Tally.objects.get(scope="", kind=Kind.POLICY, item_id=document.pk)
    assert everyone.not_started == Standing.objects.filter(kind=Kind.POLICY, item_id=document.pk).count()
