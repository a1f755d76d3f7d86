"""Refuse role pages to people whose role needs MFA until they set it up."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from socialgov.people.roles import MFA_ROLES, has_role, is_manager, mfa_blocks, user_roles


class RoleMFAMiddleware:
    """Redirects a Comms lead, HR or Administrator without an authenticator to set one up.

    Only pages that the person reaches *through* such a role are held back:
    their own home page, training and policies stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        if request.path.startswith(reverse("admin:index")):
            granting = user_roles(user) & MFA_ROLES if user.is_staff else frozenset()
        else:
            roles = getattr(view_func, "access_roles", None)
            if roles is None:
                return None
            if getattr(view_func, "access_managers", False) and is_manager(user):
                return None
            granting = user_roles(user) & roles
            if not has_role(user, *roles):
                return None  # the view itself refuses: one check, in one place
        if mfa_blocks(user, frozenset(granting)):
            messages.warning(
                request,
                "Your role gives you access to other people's records, so you need to set up an "
                "authenticator app before you can use it.",
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
        return None
