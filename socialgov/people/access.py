"""View access rules: each view declares exactly one.

``LoginRequiredMiddleware`` makes every URL need a signed-in person; these
decorators narrow that to roles or managers. The rule is also stored on the
view function so the MFA middleware and the access-matrix test can read it.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied

from socialgov.people.roles import has_role, is_manager


def role_required(*roles: str):
    """Allow only people holding one of ``roles``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied("This page is for: " + ", ".join(roles) + ".")
            return view(request, *args, **kwargs)

        wrapper.access_roles = frozenset(roles)
        return wrapper

    return decorator


def manager_or_role_required(*roles: str):
    """Allow people with current reports, and people holding one of ``roles``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (is_manager(request.user) or has_role(request.user, *roles)):
                raise PermissionDenied("This page is for line managers.")
            return view(request, *args, **kwargs)

        wrapper.access_roles = frozenset(roles)
        wrapper.access_managers = True
        return wrapper

    return decorator


def can_see_person(viewer, person) -> bool:
    """A person's record is open to them, anyone above them, HR and administrators."""
    from socialgov.people.models import User
    from socialgov.people.roles import Role

    if viewer.pk == person.pk or has_role(viewer, Role.HR, Role.ADMINISTRATOR):
        return True
    return User.objects.below(viewer).filter(pk=person.pk).exists()


def person_access_required(view):
    """Load the person named by ``pk`` and allow only those who may see their record."""
    from django.shortcuts import get_object_or_404

    from socialgov.people.models import User
    from socialgov.people.roles import Role

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        person = get_object_or_404(User.objects.select_related("department", "line_manager"), pk=pk)
        if not can_see_person(request.user, person):
            raise PermissionDenied("You can see your own record and the records of people who report to you.")
        return view(request, person, *args, **kwargs)

    wrapper.access_roles = frozenset({Role.HR, Role.ADMINISTRATOR})
    wrapper.access_managers = True
    return wrapper
