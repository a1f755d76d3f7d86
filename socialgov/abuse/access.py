"""Who may see a report of online abuse: the person who made it, the comms lead it is given to, and HR wellbeing.

Nobody else, whatever their role: not their manager, not HR in general, not
other comms leads, not administrators. They get "not found" for a report and
its evidence, so a report's number reveals nothing, not even that it exists.

Setting up an authenticator app is asked of people who see a report through
a role (HR wellbeing, or the comms lead it was given to), never of the person
who made it: someone reporting abuse must be able to follow their own report
at once. That depends on the report, so it is checked here rather than by the
MFA middleware, which only knows the view.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from socialgov.abuse.models import AbuseReport
from socialgov.people.roles import Role, has_role, mfa_blocks


def is_wellbeing(person) -> bool:
    return has_role(person, Role.WELLBEING)


def is_assignee(report: AbuseReport, person) -> bool:
    """The comms lead the report was given to, while they still hold the role."""
    return report.assigned_to_id == person.pk and has_role(person, Role.COMMS_LEAD)


def may_handle(report: AbuseReport, person) -> bool:
    """HR wellbeing and the assigned comms lead act on a report: status, incidents."""
    return is_wellbeing(person) or is_assignee(report, person)


def may_see(report: AbuseReport, person) -> bool:
    return report.reporter_id == person.pk or may_handle(report, person)


def _roles_granting(report: AbuseReport, person) -> frozenset[str]:
    """The roles through which this person sees the report; none when it is their own."""
    if report.reporter_id == person.pk:
        return frozenset()
    roles = set()
    if is_wellbeing(person):
        roles.add(Role.WELLBEING)
    if is_assignee(report, person):
        roles.add(Role.COMMS_LEAD)
    return frozenset(roles)


def _report_view(view, allowed):
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        report = get_object_or_404(AbuseReport.objects.select_related("reporter", "assigned_to", "incident"), pk=pk)
        if not may_see(report, request.user):
            raise Http404("No such report.")
        if not allowed(report, request.user):
            raise PermissionDenied("Only HR wellbeing and the comms lead the report was given to can do this.")
        if mfa_blocks(request.user, _roles_granting(report, request.user)):
            messages.warning(
                request,
                "Your role gives you access to other people's records, so you need to set up an "
                "authenticator app before you can use it.",
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
        return view(request, report, *args, **kwargs)

    return wrapper


def report_viewer(view):
    """The view gets the report if the person may see it; anyone else gets 404."""
    return _report_view(view, may_see)


def report_handler(view):
    """HR wellbeing and the assigned comms lead; the person who made it is refused; anyone else gets 404."""
    return _report_view(view, may_handle)


def report_triager(view):
    """HR wellbeing only (giving a report to a comms lead); the others who can see it are refused."""
    return _report_view(view, lambda report, person: is_wellbeing(person))
