"""The demo's new starters get their digest from a real worker and beat, through a real SMTP server."""

import datetime
from io import StringIO

from django.core.management import call_command

from conftest import wait_for
from socialgov.people.models import User
from tests.notifications.conftest import BUILD, DELIVER, fire_every_second, latest_working_morning, worker_env


def test_demo_new_starters_receive_their_digest_when_the_worker_and_beat_run(
    celery_processes, schedules, smtp_server, settings
):
    settings.DEBUG = True  # the demo refuses to load on a live site
    call_command("load_demo", stdout=StringIO())
    morning = latest_working_morning()
    starters = list(
        User.objects.filter(
            is_active=True,
            last_login__isnull=True,
            start_date__lte=morning.date(),
            start_date__gte=morning.date() - datetime.timedelta(days=settings.NEW_STARTER_DAYS),
        )
    )
    assert starters, "the demo has new starters who have not signed in yet"

    # Beat fires the sweep as of this morning (the latest working morning), and delivery.
    fire_every_second(schedules, BUILD, at=morning.isoformat())
    fire_every_second(schedules, DELIVER)
    celery_processes.worker(env=worker_env(smtp_server))
    celery_processes.beat()

    wait_for(lambda: all(smtp_server.to(person.email) for person in starters), attempts=1200)
    for person in starters:
        [digest] = smtp_server.to(person.email)
        body = digest.get_body(preferencelist=("plain",)).get_content()
        assert "Sign in to SocialGov for the first time" in body
        # The digest lists everything open, so the policies they must read come with it.
        assert "Read and acknowledge Social media policy" in body
        assert f"Hello {person.first_name} {person.last_name}" in body
        assert "Glenmorven Council" in body
