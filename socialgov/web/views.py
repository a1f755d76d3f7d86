"""The home page, the health check and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from socialgov.notifications import registry
from socialgov.notifications.schedule import describe_due
from socialgov.people.roles import MFA_ROLES, ROLE_DESCRIPTIONS, is_manager, mfa_blocks, user_roles


def todo_for(person, today) -> list[dict]:
    """Everything the person owes, from every reminder source that can answer for one person, soonest first."""
    items = []
    for source in registry.sources():
        items_for = getattr(source, "due_items_for", None)
        if items_for is not None:
            items.extend(items_for(person=person, today=today))
    items.sort(key=lambda item: (item.due_on, item.title))
    return [
        {
            "title": item.title,
            "url": item.url,
            "status": describe_due(item.due_on, today),
            "is_overdue": item.due_on < today,
        }
        for item in items
    ]


def home(request):
    """What I need to do: everything the person owes, in one list."""
    user = request.user
    roles = sorted(user_roles(user))
    context = {
        "todo": todo_for(user, timezone.localdate()),
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
