"""Reads other apps call: what a signed-in person has waiting for them."""

from __future__ import annotations

from socialgov.notifications.models import Notification

_UNREAD_ATTRIBUTE = "_socialgov_unread_notifications"


def unread_count(request) -> int:
    """How many of the signed-in person's notifications are unread, counted once per request."""
    user = request.user
    if not user.is_authenticated:
        return 0
    cached = getattr(request, _UNREAD_ATTRIBUTE, None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user).unread().count()
        setattr(request, _UNREAD_ATTRIBUTE, cached)
    return cached
