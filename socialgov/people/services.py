"""Writes to people and departments: the one place each rule lives."""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH, make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from socialgov.people.models import Department, User
from socialgov.people.roles import Role

logger = logging.getLogger(__name__)

_BATCH = 500


@transaction.atomic
def department_create(*, name: str, parent: Department | None) -> Department:
    """Create a department and record its place in the tree."""
    department = Department.objects.create(name=name.strip(), parent=parent)
    prefix = parent.path if parent else "/"
    department.path = f"{prefix}{department.pk}/"
    department.depth = parent.depth + 1 if parent else 0
    department.save(update_fields=["path", "depth"])
    return department


def department_get_or_create_path(*, names: Iterable[str]) -> Department:
    """The department at ``names`` (root first), creating any that are missing."""
    parent: Department | None = None
    for name in names:
        existing = Department.objects.filter(parent=parent, name__iexact=name.strip()).first()
        parent = existing or department_create(name=name, parent=parent)
    if parent is None:
        raise ValueError("A department path needs at least one name.")
    return parent


@transaction.atomic
def person_provision(*, email: str, password: str | None = None, **fields) -> User:
    """Create a person HR has provisioned, as ``person_provision_many`` does; ``password`` gives them one."""
    person = person_provision_many(people=[User(email=email, **fields)])[0]
    if password is not None:
        person.password = make_password(password)
        # The password is not part of a person's history, so this write adds no record to it.
        User.objects.filter(pk=person.pk).update(password=person.password)
    return person


@transaction.atomic
def person_provision_many(*, people: list[User], applied_by: User | None = None, reason: str = "") -> list[User]:
    """Create people HR has provisioned: their address is verified and they have no usable password yet.

    Each email address is lowercased and becomes the person's verified primary
    address. The people are written in bulk, each with a history record made
    by ``applied_by`` for ``reason``.
    """
    for person in people:
        if not person.email:
            raise ValueError("A person needs an email address.")
        person.email = User.objects.normalize_email(person.email).lower()
        # What set_unusable_password() stores, made without a per-character random choice.
        person.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(UNUSABLE_PASSWORD_SUFFIX_LENGTH // 2)
    created = bulk_create_with_history(
        people, User, batch_size=_BATCH, default_user=applied_by, default_change_reason=reason or None
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=person, email=person.email, verified=True, primary=True) for person in created],
        batch_size=_BATCH,
    )
    # Written in bulk, so no signal tells the reports: they are told here.
    from socialgov.reports.rollups import people_changed

    people_changed(person.pk for person in created)
    return created


def person_sync_email_address(*, person: User) -> None:
    """Keep allauth's verified primary address in step with the HR record."""
    EmailAddress.objects.filter(user=person).exclude(email__iexact=person.email).delete()
    EmailAddress.objects.update_or_create(user=person, email=person.email, defaults={"verified": True, "primary": True})


@transaction.atomic
def person_set_roles(*, person: User, roles: Iterable[str]) -> None:
    """Give a person exactly these roles; Administrators may use the admin site."""
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    # Roles are defined in code; their groups are created on first use if missing.
    groups = [Group.objects.get_or_create(name=role)[0] for role in Role.values]
    person.groups.remove(*[g for g in groups if g.name not in wanted])
    person.groups.add(*[g for g in groups if g.name in wanted])
    is_admin = Role.ADMINISTRATOR in wanted
    if person.is_staff != is_admin or person.is_superuser != is_admin:
        person.is_staff = person.is_superuser = is_admin
        person.save(update_fields=["is_staff", "is_superuser"])
    person.__dict__.pop("_socialgov_roles", None)


def person_end_sessions(*, person: User) -> int:
    """Sign a person out everywhere, at once.

    Every signed-in request is tracked by allauth's user sessions, so ending
    those ends them all; the authentication backend also refuses inactive
    people, which covers a session that never made a tracked request.
    """
    sessions = list(UserSession.objects.filter(user=person))
    for user_session in sessions:
        user_session.end()
    return len(sessions)


@transaction.atomic
def person_deactivate(*, person: User) -> None:
    """A leaver keeps their records but can no longer sign in."""
    if person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
    transaction.on_commit(lambda: person_end_sessions(person=person))


def leavers_deactivate(*, today: datetime.date | None = None) -> int:
    """Deactivate everyone whose leaving date has come; safe to run any number of times."""
    today = today or timezone.localdate()
    count = 0
    for person in User.objects.filter(is_active=True, leaving_date__lte=today):
        person_deactivate(person=person)
        count += 1
    if count:
        logger.info("Deactivated %s leavers", count)
    return count
