"""The home page, the health check and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from socialgov.people.roles import MFA_ROLES, ROLE_DESCRIPTIONS, is_manager, mfa_blocks, user_roles


def home(request):
    """What I need to do: everything the person owes, in one list."""
    user = request.user
    roles = sorted(user_roles(user))
    context = {
        "todo": [],  # filled by training and policies as they arrive
        "roles": [(role, ROLE_DESCRIPTIONS[role]) for role in roles],
        "needs_mfa": mfa_blocks(user, user_roles(user) & MFA_ROLES),
        "is_manager": is_manager(user),
        "report_count": user.reports.filter(is_active=True).count() if is_manager(user) else 0,
    }
    return render(request, "web/home.html", context)


@login_not_required
def health(request):
    """For load balancers and the smoke test: the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def error_404(request, exception):
    return render(request, "404.html", status=404)


@login_not_required
def error_403(request, exception):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


@login_not_required
def error_500(request):
    # No context processors may be trusted here: render the static page.
    return render(request, "500.html", status=500)
