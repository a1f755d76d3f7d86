"""The abuse rows of the access matrix on their own, so they can be checked while other apps' rows change."""

import pytest
from django.urls import reverse

from tests import test_access_matrix as matrix
from tests.abuse import access
from tests.access_rules import PERSONAS


@pytest.mark.django_db
def test_every_abuse_url_answers_every_persona_as_declared(client, personas):
    login_url = reverse("account_login")
    mismatches, checked = [], set()
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(personas[persona])
        for _, name, _ in matrix.url_patterns():
            if not (name or "").startswith("abuse:"):
                continue
            checked.add(name)
            url = reverse(name, kwargs=access.sample_kwargs(name, personas))
            got = matrix.outcome(client.get(url), login_url)
            expected = access.ACCESS[name][persona]
            if got not in matrix.ACCEPTS[expected]:
                mismatches.append(f"{persona:14} {url:50} expected {expected}, got {got}")
    assert checked == set(access.ACCESS)
    assert mismatches == [], "\n".join(mismatches)
