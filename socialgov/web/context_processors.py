"""Template context every page needs: the organisation and the navigation (with the unread count)."""

from django.conf import settings

from socialgov.web.navigation import navigation_for


def layout(request) -> dict:
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request),
    }
