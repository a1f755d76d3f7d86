"""Who may do what with an account: each view takes exactly one rule.

The register is open to every signed-in person. Comms leads and
administrators keep it; an account's owners look after their own accounts
(access reviews, ending someone's access) as comms leads and administrators
can; a request is decided by the asker's line manager or an owner. The rule
is stored on the view function, as in ``socialgov.people.access``, for the
MFA middleware and the access-matrix test.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from socialgov.channels.models import AccessGrant, AccessRequest, Account
from socialgov.channels.services import EDITOR_ROLES, may_decide, may_steward


def account_steward_required(view):
    """The account's owners, comms leads and administrators."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        account = get_object_or_404(Account, pk=pk)
        if not may_steward(request.user, account):
            raise PermissionDenied("This is for the account's owners, comms leads and administrators.")
        return view(request, account, *args, **kwargs)

    wrapper.access_roles = frozenset(EDITOR_ROLES)
    return wrapper


def grant_steward_required(view):
    """Ending someone's access: the account's owners, comms leads and administrators."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        grant = get_object_or_404(AccessGrant.objects.select_related("person", "account"), pk=pk)
        if not may_steward(request.user, grant.account):
            raise PermissionDenied("This is for the account's owners, comms leads and administrators.")
        return view(request, grant, *args, **kwargs)

    wrapper.access_roles = frozenset(EDITOR_ROLES)
    return wrapper


def request_decider_required(view):
    """A request is decided by the asker's line manager or an owner of the account, never by the asker."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        access_request = get_object_or_404(
            AccessRequest.objects.select_related("person", "person__department", "account", "decided_by"), pk=pk
        )
        if not may_decide(request.user, access_request):
            raise PermissionDenied("Only their line manager or an owner of the account can decide this request.")
        return view(request, access_request, *args, **kwargs)

    return wrapper
