"""Who may open each channels URL, merged into the access matrix (tests/test_access_matrix.py)."""

from tests.access_rules import SIGNED_IN, only, rule  # noqa: F401 - the vocabulary for this table

APP = "channels"
ACCESS: dict[str, dict[str, str]] = {}


def sample_kwargs(name: str, personas) -> dict | None:
    """Arguments for this app's URLs that need them."""
    return {}
