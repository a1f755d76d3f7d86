"""The header navigation: each person sees the areas their roles open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from socialgov.people.roles import Role, has_role, is_manager


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def navigation_for(request) -> list[NavItem]:
    """The header links for the signed-in person, the current one marked."""
    user = request.user
    if not user.is_authenticated:
        return []
    entries: list[tuple[str, str]] = [("What I need to do", reverse("web:home"))]
    if is_manager(user):
        entries.append(("My team", reverse("people:team")))
    if has_role(user, Role.HR, Role.ADMINISTRATOR):
        entries.append(("People", reverse("people:list")))
    if has_role(user, Role.ADMINISTRATOR):
        entries.append(("Admin", reverse("admin:index")))
    path = request.path
    home = reverse("web:home")
    items = []
    for label, url in entries:
        current = path == url if url == home else path.startswith(url)
        items.append(NavItem(label=label, url=url, current=current))
    return items
