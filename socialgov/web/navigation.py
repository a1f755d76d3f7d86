"""The header navigation: each person sees the areas their roles open, and their notifications."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from socialgov.people.roles import Role, has_role, is_manager


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool
    # A number shown after the label, such as unread notifications. It is lazy:
    # the database is asked only when a page shows it, and at most once.
    count: Any = None
    # Read out after the number by screen readers, for example "unread".
    count_label: str = ""


def _unread_notifications(request) -> SimpleLazyObject:
    from socialgov.notifications.selectors import unread_count

    return SimpleLazyObject(lambda: unread_count(request))


def navigation_for(request) -> list[NavItem]:
    """The header links for the signed-in person, the current one marked."""
    user = request.user
    if not user.is_authenticated:
        return []
    entries: list[tuple[str, str]] = [
        ("What I need to do", reverse("web:home")),
        ("Your learning", reverse("training:mine")),
        ("Policies and guidance", reverse("policies:list")),
        ("Post checker", reverse("training:checker")),
        ("I need help now", reverse("policies:help")),
        ("Incidents", reverse("incidents:list")),
        ("On-call rota", reverse("rota:rota")),
        ("Accounts", reverse("channels:list")),
    ]
    if is_manager(user):
        entries.append(("My team", reverse("reports:team")))
    if has_role(user, Role.HR, Role.ADMINISTRATOR):
        entries.append(("Compliance", reverse("reports:dashboard")))
        entries.append(("People", reverse("people:list")))
        entries.append(("Assignments", reverse("training:assignments")))
    if has_role(user, Role.COMMS_LEAD, Role.HR, Role.ADMINISTRATOR):
        entries.append(("Licences", reverse("training:licences")))
    if has_role(user, Role.COMMS_LEAD, Role.ADMINISTRATOR):
        entries.append(("Question bank", reverse("training:bank")))
    if has_role(user, Role.WELLBEING):
        entries.append(("Reports of abuse", reverse("abuse:triage")))
    if has_role(user, Role.COMMS_LEAD):
        entries.append(("Reports given to you", reverse("abuse:assigned")))
    if has_role(user, Role.ADMINISTRATOR):
        entries.append(("Admin", reverse("admin:index")))
    path = request.path
    home = reverse("web:home")
    # The longest link the page sits under is the current one: /training/bank/ is the bank, not "Your learning".
    matches = [url for _, url in entries if (path == url if url == home else path.startswith(url))]
    current_url = max(matches, key=len, default=None)
    items = [NavItem(label=label, url=url, current=url == current_url) for label, url in entries]
    notifications = reverse("notifications:list")
    items.append(
        NavItem(
            label="Notifications",
            url=notifications,
            current=path.startswith(notifications),
            count=_unread_notifications(request),
            count_label="unread",
        )
    )
    return items
