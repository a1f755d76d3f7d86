"""Making and handling reports of online abuse. Plain functions; views, the demo and tests call them.

Who may call each one is the view's access rule (``access.py``): these
functions keep the report's own rules (who it can be given to, what closing
needs, one incident per report). Notices go after the transaction commits, so
nobody is told of a report that was not saved.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from socialgov.abuse import notices
from socialgov.abuse.models import MAX_EVIDENCE_FILES, AbuseReport, Evidence
from socialgov.abuse.uploads import CheckedFile
from socialgov.people.roles import Role, has_role


class AbuseReportError(Exception):
    """A change the rules refuse; the message says why."""


def _with_history_user(report: AbuseReport, by) -> AbuseReport:
    """The history records who made the change, also when it is not made through a page."""
    if by is not None:
        report._history_user = by
    return report


def _evidence_store(*, report: AbuseReport, files: list[CheckedFile], by) -> list[Evidence]:
    """Write each file, then its row; if anything fails, the files already written are deleted again."""
    written: list[str] = []
    try:
        with transaction.atomic():
            stored = []
            for checked in files:
                evidence = Evidence(report=report, original_name=checked.name, content_type=checked.content_type,
                                    size=checked.size, uploaded_by=by)  # fmt: skip
                # The stored name comes from ``evidence_path``; the name given here is never used.
                evidence.file.save("evidence", checked.upload, save=False)
                written.append(evidence.file.name)
                evidence.save()
                stored.append(evidence)
    except BaseException:
        for name in written:
            Evidence.file.field.storage.delete(name)
        raise
    return stored


@transaction.atomic
def report_submit(
    *,
    reporter,
    platform: str,
    links: list[str],
    what_happened: str,
    how_it_affects: str = "",
    is_contact_wanted: bool,
    safety: str,
    files: list[CheckedFile] = (),
) -> AbuseReport:
    """Record a report with its evidence; the person and HR wellbeing are told once it is saved."""
    if not what_happened.strip():
        raise AbuseReportError("Say what happened.")
    if len(files) > MAX_EVIDENCE_FILES:
        raise AbuseReportError(f"A report can have up to {MAX_EVIDENCE_FILES} files.")
    report = _with_history_user(
        AbuseReport(
            reporter=reporter,
            platform=platform,
            links="\n".join(links),
            what_happened=what_happened.strip(),
            how_it_affects=how_it_affects.strip(),
            is_contact_wanted=is_contact_wanted,
            safety=safety,
        ),
        reporter,
    )
    report.save()
    _evidence_store(report=report, files=list(files), by=reporter)
    transaction.on_commit(lambda: notices.report_received_tell(report))
    transaction.on_commit(lambda: notices.report_new_tell(report))
    return report


@transaction.atomic
def evidence_add(*, report: AbuseReport, files: list[CheckedFile], by) -> list[Evidence]:
    """More evidence for an open report, within the limit on files a report may hold."""
    report = AbuseReport.objects.select_for_update().get(pk=report.pk)
    if report.is_closed:
        raise AbuseReportError("This report is closed: evidence can no longer be added.")
    if report.evidence.count() + len(files) > MAX_EVIDENCE_FILES:
        raise AbuseReportError(f"A report can have up to {MAX_EVIDENCE_FILES} files.")
    return _evidence_store(report=report, files=files, by=by)


@transaction.atomic
def report_assign(*, report: AbuseReport, comms_lead, by=None) -> AbuseReport:
    """Give a report to a comms lead to act on with the platforms; a report just received is then in hand."""
    if report.is_closed:
        raise AbuseReportError("This report is closed: reopen it before giving it to someone.")
    if not comms_lead.is_active or not has_role(comms_lead, Role.COMMS_LEAD):
        raise AbuseReportError(f"{comms_lead} is not a comms lead: a report can only be given to a comms lead.")
    if comms_lead.pk == report.reporter_id:
        raise AbuseReportError(f"{comms_lead} made this report: give it to another comms lead.")
    if report.assigned_to_id == comms_lead.pk:
        return report
    report.assigned_to = comms_lead
    report.assigned_at = timezone.now()
    fields = ["assigned_to", "assigned_at"]
    if report.status == AbuseReport.Status.RECEIVED:
        report.status = AbuseReport.Status.IN_HAND
        fields.append("status")
    _with_history_user(report, by).save(update_fields=fields)
    transaction.on_commit(lambda: notices.report_assigned_tell(report))
    return report


@transaction.atomic
def report_status_set(*, report: AbuseReport, status: str, note: str = "", by=None) -> AbuseReport:
    """Move a report on, or reopen it. Closing says what was done: the person who reported it reads it."""
    if status not in AbuseReport.Status.values:
        raise AbuseReportError("Choose a status.")
    if status == report.status:
        return report
    if status == AbuseReport.Status.CLOSED:
        if not note.strip():
            raise AbuseReportError("Say what was done before closing the report.")
        report.closed_at = timezone.now()
        report.closed_note = note.strip()
    else:
        report.closed_at = None
        report.closed_note = ""
    report.status = status
    _with_history_user(report, by).save(update_fields=["status", "closed_at", "closed_note"])
    return report


@transaction.atomic
def report_escalate(*, report: AbuseReport, by, severity: str):
    """Open an incident for abuse serious enough to need the comms team's incident process.

    The incident is seen by everyone who runs incidents, so it gets a title
    naming only the platform: nothing of the person or what was said is
    copied into it. The report links to it; the incident does not link back.
    """
    from incidents.services import IncidentError, incident_open

    report = AbuseReport.objects.select_for_update().get(pk=report.pk)
    if report.incident_id is not None:
        raise AbuseReportError("An incident is already open for this report.")
    try:
        incident = incident_open(
            opened_by=by, title=f"Abuse of a member of staff on {report.platform_in_a_sentence}", severity=severity
        )
    except IncidentError as error:
        raise AbuseReportError(str(error)) from error
    report.incident = incident
    _with_history_user(report, by).save(update_fields=["incident"])
    return incident
