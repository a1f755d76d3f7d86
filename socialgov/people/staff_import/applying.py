"""Storing an import and applying it: every change in the file or none, as previewed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from socialgov.people.models import StaffImport, User
from socialgov.people.services import (
    department_get_or_create_path,
    person_deactivate,
    person_provision_many,
    person_sync_email_address,
)
from socialgov.people.signals import staff_list_changed
from socialgov.people.staff_import.errors import StaffImportAlreadyApplied, StaffImportError, StaffImportStale
from socialgov.people.staff_import.parsing import staff_import_parse
from socialgov.people.staff_import.planning import ImportPlan, PersonAction, staff_import_plan

_BATCH = 500


@transaction.atomic
def staff_import_create(*, file_name: str, content: str, uploaded_by: User | None) -> StaffImport:
    """Keep the uploaded file with its first check, so HR can preview it and the applied change can be audited."""
    plan = staff_import_plan(parsed=staff_import_parse(content))
    return StaffImport.objects.create(
        file_name=file_name[: StaffImport._meta.get_field("file_name").max_length],
        content=content,
        uploaded_by=uploaded_by,
        status=StaffImport.Status.PREVIEWED if plan.is_valid else StaffImport.Status.INVALID,
        summary=plan.as_summary(),
        errors=plan.errors_as_list(),
    )


def staff_import_preview(*, staff_import: StaffImport) -> ImportPlan:
    """Check an import against the staff list as it is now, so the preview shows what applying would do."""
    plan = staff_import_plan(parsed=staff_import_parse(staff_import.content))
    status = StaffImport.Status.PREVIEWED if plan.is_valid else StaffImport.Status.INVALID
    summary, errors = plan.as_summary(), plan.errors_as_list()
    if (status, summary, errors) != (staff_import.status, staff_import.summary, staff_import.errors):
        updated = StaffImport.objects.filter(pk=staff_import.pk).exclude(status=StaffImport.Status.APPLIED)
        if updated.update(status=status, summary=summary, errors=errors):
            staff_import.status, staff_import.summary, staff_import.errors = status, summary, errors
    return plan


def staff_import_apply(
    *, staff_import: StaffImport, applied_by: User | None, fingerprint: str | None = None
) -> ImportPlan:
    """Apply every change in the file or none, checked again against the staff list as it is now.

    Returns the plan; when it has errors nothing was changed and the import is
    marked as having errors. Raises StaffImportError when the import has been
    applied already, a newer one has been applied since, or the changes are not
    the ones previewed (``fingerprint``).
    """
    try:
        with transaction.atomic():
            locked = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
            _refuse_to_reapply(locked)
            plan = staff_import_plan(parsed=staff_import_parse(locked.content))
            if not plan.is_valid:
                locked.status = StaffImport.Status.INVALID
                locked.summary, locked.errors = plan.as_summary(), plan.errors_as_list()
                locked.save(update_fields=["status", "summary", "errors"])
            else:
                if fingerprint is not None and fingerprint != plan.fingerprint():
                    raise StaffImportStale(
                        "The staff list has changed since this import was previewed. "
                        "Nothing has been applied: check the changes again, then apply them."
                    )
                _carry_out(plan, applied_by=applied_by, reason=f"Staff import {locked.pk}: {locked.file_name}")
                locked.status = StaffImport.Status.APPLIED
                locked.applied_at = timezone.now()
                locked.applied_by = applied_by
                # The name as it was when applied, kept with the counts for the record.
                locked.summary = plan.as_summary() | {"applied_by": str(applied_by) if applied_by else ""}
                locked.errors = []
                locked.save(update_fields=["status", "applied_at", "applied_by", "summary", "errors"])
    except IntegrityError as exc:
        raise StaffImportError(
            "The staff list changed while this import was being applied, so nothing has been applied. "
            "Check the changes again, then apply them."
        ) from exc
    for name in ("status", "applied_at", "applied_by", "summary", "errors"):
        setattr(staff_import, name, getattr(locked, name))
    if locked.status == StaffImport.Status.APPLIED:
        transaction.on_commit(lambda: staff_list_changed.send(sender=StaffImport, staff_import=locked))
    return plan


def _refuse_to_reapply(staff_import: StaffImport) -> None:
    if staff_import.status == StaffImport.Status.APPLIED:
        when = timezone.localtime(staff_import.applied_at) if staff_import.applied_at else None
        shown = f" at {when:%H:%M} on {when.day} {when:%B %Y}" if when else ""
        raise StaffImportAlreadyApplied(
            f"This import was applied{shown} and cannot be applied again. "
            "To make more changes, upload the staff list again."
        )
    newer = StaffImport.objects.filter(status=StaffImport.Status.APPLIED, created_at__gt=staff_import.created_at)
    if newer.exists():
        raise StaffImportError(
            "A newer staff list has been applied since this file was uploaded, so applying it could undo those "
            "changes. Upload the file again if it is the one you want."
        )


def _carry_out(plan: ImportPlan, *, applied_by: User | None, reason: str) -> None:
    """Write a valid plan: departments, then new people (managers first), then changes to existing people."""
    department_ids = dict(plan.department_ids)
    # Deepest first: creating "A > B > C" creates "A > B" too, and its path gives both ids.
    for key, names in sorted(plan.new_departments.items(), key=lambda item: -len(item[0])):
        if key not in department_ids:
            department = department_get_or_create_path(names=names)
            for depth, pk in enumerate(department.ancestor_ids(), start=1):
                department_ids.setdefault(key[:depth], pk)

    person_ids = dict(plan.person_ids)
    pending = [action for action in plan.actions if action.person_id is None]
    while pending:
        ready = [a for a in pending if not a.row.manager_employee_number or a.row.manager_employee_number in person_ids]
        if not ready:
            raise RuntimeError("Line managers could not be ordered; the plan should have reported a loop.")
        created = person_provision_many(
            people=[_new_person(a, department_ids, person_ids) for a in ready], applied_by=applied_by, reason=reason
        )
        for action, person in zip(ready, created, strict=True):
            person_ids[action.row.employee_number] = person.pk
        ready_ids = {id(a) for a in ready}
        pending = [a for a in pending if id(a) not in ready_ids]

    changing = [a for a in plan.actions if a.person_id is not None and a.changed]
    people = User.objects.in_bulk([a.person_id for a in changing])
    by_fields: dict[frozenset[str], list[User]] = defaultdict(list)
    leavers: list[User] = []
    email_changed: list[User] = []
    for action in changing:
        person = people[action.person_id]
        changed = set(action.changed)
        if action.deactivate:
            changed.discard("is_active")  # person_deactivate records it and signs them out
            leavers.append(person)
        _set_fields(person, action, changed, department_ids, person_ids)
        if "email" in changed:
            email_changed.append(person)
        if changed:
            by_fields[frozenset(changed)].append(person)
    # One bulk update per set of changed fields, so a single new email does not rewrite everyone's.
    for fields, group in by_fields.items():
        _save_fields(group, sorted(fields))
    saved = [person for group in by_fields.values() for person in group]
    if saved:
        User.history.bulk_history_create(
            saved, batch_size=_BATCH, update=True, default_user=applied_by, default_change_reason=reason
        )
    for person in email_changed:
        person_sync_email_address(person=person)
    for person in leavers:
        person._change_reason = reason
        person_deactivate(person=person)


def _save_fields(people: list[User], fields: list[str]) -> None:
    """Write changed fields: one UPDATE per shared set of values (a restructure), else a CASE bulk update."""
    from socialgov.reports.rollups import people_changed

    # Written in bulk, so no signal tells the reports: they are told here.
    people_changed(person.pk for person in people)
    attnames = [User._meta.get_field(name).attname for name in fields]
    by_values: dict[tuple, list[int]] = defaultdict(list)
    for person in people:
        by_values[tuple(getattr(person, attname) for attname in attnames)].append(person.pk)
    if len(by_values) * 4 > len(people):
        User.objects.bulk_update(people, fields, batch_size=_BATCH)
        return
    for values, pks in by_values.items():
        for start in range(0, len(pks), _BATCH):
            User.objects.filter(pk__in=pks[start : start + _BATCH]).update(**dict(zip(attnames, values, strict=True)))


def _set_fields(
    person: User, action: PersonAction, changed: Iterable[str], department_ids: dict, person_ids: dict
) -> None:
    row = action.row
    for name in changed:
        if name == "department":
            person.department_id = department_ids[action.department_key]
        elif name == "line_manager":
            manager = row.manager_employee_number
            person.line_manager_id = person_ids[manager] if manager else None
        elif name == "is_public_facing":
            person.is_public_facing = bool(row.public_facing)
        elif name == "is_active":
            person.is_active = action.is_active
        else:
            setattr(person, name, getattr(row, name))


def _new_person(action: PersonAction, department_ids: dict, person_ids: dict) -> User:
    row = action.row
    manager = row.manager_employee_number
    return User(
        email=row.email,
        employee_number=row.employee_number,
        first_name=row.first_name,
        last_name=row.last_name,
        job_title=row.job_title,
        department_id=department_ids[action.department_key],
        line_manager_id=person_ids[manager] if manager else None,
        start_date=row.start_date,
        leaving_date=row.leaving_date,
        is_public_facing=bool(row.public_facing),
        is_active=action.is_active,
    )
