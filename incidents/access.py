"""Who may see an incident: whoever opened it, the people on its ladder or holding a step, and the roles that
run incidents. Anyone else gets "not found", so incident numbers reveal nothing."""

from __future__ import annotations

from functools import wraps

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from incidents.models import Incident
from socialgov.people.roles import Role, has_role

RUNNER_ROLES = (Role.COMMS_LEAD, Role.INCIDENT_LEAD, Role.ADMINISTRATOR)


def visible_incidents(person) -> list[Incident]:
    """Incidents are rare (a few a month), so the ladder check runs in Python: JSON lookups differ by database."""
    incidents = Incident.objects.select_related("opened_by")
    if has_role(person, *RUNNER_ROLES):
        return list(incidents)
    mine = set(incidents.filter(Q(opened_by=person) | Q(steps__owner=person)).values_list("pk", flat=True))
    return [incident for incident in incidents if incident.pk in mine or person.pk in incident.ladder]


def _may_see(incident: Incident, person) -> bool:
    return (
        has_role(person, *RUNNER_ROLES)
        or incident.opened_by_id == person.pk
        or person.pk in incident.ladder
        or incident.steps.filter(owner=person).exists()
    )


def incident_viewer(view):
    """The view gets the incident, or the person gets 404."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        incident = get_object_or_404(Incident.objects.select_related("opened_by", "acknowledged_by", "playbook"), pk=pk)
        if not _may_see(incident, request.user):
            raise Http404("No such incident.")
        return view(request, incident, *args, **kwargs)

    wrapper.access_roles = frozenset(RUNNER_ROLES)
    return wrapper
