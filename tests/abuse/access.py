"""Who may open each abuse URL, merged into the access matrix (tests/test_access_matrix.py).

The sample report was made by ``staff`` and given to ``comms_lead``; it has
one screenshot. Only the person who made it, the comms lead it was given to
and HR wellbeing may see it: everyone else, whatever their role, gets "not
found" for the report, its pages and its evidence. Of those who see it, the
person who made it is refused the handling pages, and only HR wellbeing gives
a report to a comms lead.
"""

from tests.access_rules import SIGNED_IN, only, rule

APP = "abuse"
# The sample file's stored name: written once, so running the matrix again leaves nothing more behind.
SAMPLE_FILE = "abuse/evidence/access-matrix-sample"
SEE_IT = rule("login", "missing", staff="ok", comms_lead="ok", wellbeing="ok")
ACCESS: dict[str, dict[str, str]] = {
    # Anyone signed in reports abuse and follows their own reports.
    "abuse:new": SIGNED_IN,
    "abuse:mine": SIGNED_IN,
    # The report, its confirmation, its evidence and adding to it.
    "abuse:detail": SEE_IT,
    "abuse:submitted": SEE_IT,
    "abuse:evidence": SEE_IT,
    "abuse:evidence-new": SEE_IT,
    # Handling it: the assigned comms lead and HR wellbeing; giving it out: HR wellbeing.
    "abuse:status": rule("login", "missing", staff="denied", comms_lead="ok", wellbeing="ok"),
    "abuse:incident": rule("login", "missing", staff="denied", comms_lead="ok", wellbeing="ok"),
    "abuse:assign": rule("login", "missing", staff="denied", comms_lead="denied", wellbeing="ok"),
    # Lists: every report for HR wellbeing; the reports given to them for comms leads.
    "abuse:triage": only("wellbeing"),
    "abuse:assigned": only("comms_lead"),
}


def _sample(personas):
    """``staff``'s report, given to ``comms_lead``, with one stored screenshot."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from socialgov.abuse.models import AbuseReport, Evidence

    report = AbuseReport.objects.filter(reporter=personas["staff"]).first()
    if report is None:
        report = AbuseReport.objects.create(
            reporter=personas["staff"], platform="facebook", what_happened="Sample.", is_contact_wanted=False,
            safety="safe", status="in_hand", assigned_to=personas["comms_lead"], assigned_at=timezone.now(),
        )  # fmt: skip
        stored = SAMPLE_FILE
        if not default_storage.exists(SAMPLE_FILE):
            stored = default_storage.save(SAMPLE_FILE, ContentFile(b"%PDF-1.4\n%%EOF\n"))
        Evidence.objects.create(report=report, file=stored, original_name="sample.pdf",
                                content_type="application/pdf", size=15, uploaded_by=personas["staff"])  # fmt: skip
    return report


def sample_kwargs(name: str, personas) -> dict | None:
    """Arguments for this app's URLs that need them."""
    if name in {"abuse:new", "abuse:mine", "abuse:triage", "abuse:assigned"}:
        return {}
    report = _sample(personas)
    if name == "abuse:evidence":
        return {"pk": report.pk, "evidence": report.evidence.get().uuid}
    return {"pk": report.pk}
