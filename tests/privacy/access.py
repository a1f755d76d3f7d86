"""Who may open each privacy URL, merged into the access matrix (tests/test_access_matrix.py)."""

from tests.access_rules import only, rule  # noqa: F401

APP = "privacy"
ACCESS: dict[str, dict[str, str]] = {}


def sample_kwargs(name: str, personas) -> dict | None:
    """Arguments for this app's URLs that need them."""
    return None
