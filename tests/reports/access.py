"""Who may open each reports URL, merged into the access matrix (tests/test_access_matrix.py)."""

from tests.access_rules import HR_PAGES, only

APP = "reports"
ACCESS: dict[str, dict[str, str]] = {
    # HR and administrators see everyone's figures, department by department, and person by person.
    "reports:dashboard": HR_PAGES,
    "reports:department": HR_PAGES,
    "reports:people": HR_PAGES,
    # A manager sees (and reminds) the people below them; the reminder is POST only (GET: 405 for them).
    "reports:team": only("manager"),
    "reports:nudge": only("manager"),
    # The sample record is ``staff``'s: theirs, their manager's, HR's and administrators'.
    "reports:person": only("staff", "manager", "hr", "administrator"),
}


def sample_kwargs(name: str, personas) -> dict | None:
    """Arguments for this app's URLs that need them."""
    if name == "reports:department":
        return {"pk": personas["staff"].department_id}
    if name in {"reports:nudge", "reports:person"}:
        return {"pk": personas["staff"].pk}
    return None
