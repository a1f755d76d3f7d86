"""Who may open each api URL, merged into the access matrix (tests/test_access_matrix.py).

The JSON endpoints answer 401 without credentials (never a sign-in redirect);
the HR lists are for HR and administrators among people signed in (other
systems use scoped tokens, tested in tests/api/test_tokens.py); the docs
page is a page like any other.
"""

from tests.access_rules import SIGNED_IN, rule

APP = "api"

HR_RECORDS = rule("unauthorised", "denied", hr="ok", administrator="ok")

ACCESS: dict[str, dict[str, str]] = {
    "api:people": HR_RECORDS,
    "api:departments": HR_RECORDS,
    "api:assignments": HR_RECORDS,
    "api:completions": HR_RECORDS,
    "api:acknowledgements": HR_RECORDS,
    "api:licences": HR_RECORDS,
    "api:docs": SIGNED_IN,
}


def sample_kwargs(name: str, personas) -> dict | None:
    """Arguments for this app's URLs that need them: none do."""
    return None
