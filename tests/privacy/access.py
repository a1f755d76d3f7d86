"""Who may open each privacy URL, merged into the access matrix (tests/test_access_matrix.py)."""

from tests.access_rules import HR_PAGES, SIGNED_IN

APP = "privacy"
ACCESS: dict[str, dict[str, str]] = {
    # Everyone signed in sees and downloads their own data.
    "privacy:mine": SIGNED_IN,
    "privacy:mine-json": SIGNED_IN,
    # HR and administrators answer subject access requests for anyone (the sample person is ``staff``),
    # and read the audit of compliance records. Managers do not: a team's records are on the team pages.
    "privacy:subject-access-start": HR_PAGES,
    "privacy:subject-access": HR_PAGES,
    "privacy:subject-access-json": HR_PAGES,
    "privacy:audit": HR_PAGES,
}


def sample_kwargs(name: str, personas) -> dict | None:
    """Arguments for this app's URLs that need them."""
    if name in {"privacy:subject-access", "privacy:subject-access-json"}:
        return {"pk": personas["staff"].pk}
    return {}
