"""The vocabulary of the access matrix: personas, expected outcomes and the common rules.

Apps with many URLs keep their own table (``tests/<app>/access.py``, with
``APP``, ``ACCESS`` and ``sample_kwargs``), written in these terms and merged
into the one matrix in ``tests/test_access_matrix.py``.
"""

PERSONAS = ["anonymous", "staff", "manager", "comms_lead", "hr", "incident_lead", "wellbeing", "administrator"]
SIGNED_IN_PERSONAS = PERSONAS[1:]


def rule(anonymous: str, signed_in: str, **exceptions: str) -> dict[str, str]:
    """Expected outcome per persona: one for visitors, one for signed-in people, and any exceptions."""
    return {"anonymous": anonymous} | dict.fromkeys(SIGNED_IN_PERSONAS, signed_in) | exceptions


def only(*allowed: str) -> dict[str, str]:
    """Signed-in people outside ``allowed`` are refused."""
    return rule("login", "denied", **dict.fromkeys(allowed, "ok"))


SIGNED_IN = rule("login", "ok")
PUBLIC = rule("ok", "ok")
ANONYMOUS_ONLY = rule("ok", "away")
# allauth answers 404 for an authenticator the person has not set up.
OWN_AUTHENTICATOR = rule("login", "ok or missing")
HR_PAGES = only("hr", "administrator")
# Django's admin sends anyone who is not an administrator to its own sign-in page.
ADMIN_ONLY = rule("login", "login", administrator="ok")
