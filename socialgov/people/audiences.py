"""Who something is for: everyone, or anyone in some departments (and below), holding some roles, or public-facing.

Policies and courses both aim at an audience described this way; this is
the one place that turns the description into a filter on people.
"""

from __future__ import annotations

from django.db.models import Q

from socialgov.people.models import User


def audience_q(target) -> Q:
    """A filter on people for ``target``'s audience: the union of its narrower choices, or none for everyone.

    ``target`` has ``is_for_everyone``, ``is_for_public_facing`` and the many-to-many
    ``audience_departments`` and ``audience_roles`` (read only when needed, from a prefetch if there is one).
    """
    if target.is_for_everyone:
        return Q()
    q = Q(pk__in=[])
    for department in target.audience_departments.all():
        q |= Q(department__path__startswith=department.path)
    group_ids = [group.pk for group in target.audience_roles.all()]
    if group_ids:
        memberships = User.groups.through.objects.filter(group_id__in=group_ids)
        q |= Q(pk__in=memberships.values("user_id"))
    if target.is_for_public_facing:
        q |= Q(is_public_facing=True)
    return q
