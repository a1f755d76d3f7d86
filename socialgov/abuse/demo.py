"""Demo abuse report: one report from the demo member of staff, already given to a comms lead.

The story (employee numbers in brackets): Ailsa Munro (GC1025), the demo
member of staff, answered questions about rent arrears on the housing
Facebook page. Someone found her personal profile and posted her photo with
abusive comments; she has reported it, asked to be contacted and is not sure
she feels safe. HR wellbeing gave it to Catriona MacLeod (GC1007), the demo
comms lead, to report to Facebook. It has no evidence files: the demo never
writes files.

Everything goes through the services, as the pages do. The report is made
once: if the demo member of staff already has a report, the loader leaves
everything alone, so loading the demo again changes nothing.
"""

from __future__ import annotations

from socialgov.abuse.models import AbuseReport, Platform, Safety
from socialgov.abuse.notices import wellbeing_people
from socialgov.abuse.services import report_assign, report_submit
from socialgov.people.demo import DemoContext

REPORTER = "GC1025"  # Ailsa Munro, Housing Officer: the demo member of staff
COMMS_LEAD = "GC1007"  # Catriona MacLeod, Head of Communications: the demo comms lead
KIND = "Abuse reports"

LINKS = [
    "https://www.facebook.com/GlenmorvenHousing/posts/pfbid02demo0rentarrears",
    "https://www.facebook.com/groups/glenmorvenvoice/posts/10161234567890123",
]
WHAT_HAPPENED = (
    "I answered questions about rent arrears on the council's housing page on Tuesday. That evening someone "
    "found my own profile and posted my photo in a local group, with comments calling me heartless and saying "
    'people should "have a word" with me when I\'m out on visits. Others joined in. I have not replied.'
)
HOW_IT_AFFECTS = (
    "I'm anxious about home visits on my own this week and I've stopped using Facebook. I haven't slept well."
)


def demo_abuse_load(context: DemoContext) -> None:
    """One report from the demo member of staff, given to the demo comms lead; made once."""
    reporter = context.person(REPORTER)
    if AbuseReport.objects.filter(reporter=reporter).exists():
        context.result.record(KIND, unchanged=AbuseReport.objects.filter(reporter=reporter).count())
        return
    report = report_submit(
        reporter=reporter,
        platform=Platform.FACEBOOK,
        links=LINKS,
        what_happened=WHAT_HAPPENED,
        how_it_affects=HOW_IT_AFFECTS,
        is_contact_wanted=True,
        safety=Safety.UNSURE,
    )
    # Whoever holds HR wellbeing in the demo is recorded as having given it out.
    report_assign(report=report, comms_lead=context.person(COMMS_LEAD), by=wellbeing_people().first())
    context.result.record(KIND, created=1)
