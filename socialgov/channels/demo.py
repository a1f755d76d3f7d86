"""Demo accounts: Glenmorven Council's register, with something to act on for owners, managers and comms leads.

Runs after the people, policies and training loaders (it needs their
licences). Everything goes through the register's services, as the pages do,
so access is asked for by licensed people and approved by someone allowed to.

The story (employee numbers in brackets):

- Eight accounts: the main X account and the main Facebook page (owned by
  Catriona MacLeod, GC1007, the Head of Communications, with Rhona Stewart,
  GC1019, and Jamie Wallace, GC1020), Bluesky and Instagram (the digital
  team), LinkedIn for jobs (Shona Paterson, GC1045, in HR), the libraries'
  Facebook page (Fiona Gray, GC1030), the leisure centre's Instagram (Ruaridh
  Mackay, GC1010) and the committee webcasts on YouTube (Hamish Baird,
  GC1008, and Lewis Anderson, GC1023).
- LinkedIn has no two-step verification: Shona and the comms leads are
  reminded. The main Facebook page's access review is a month overdue.
- Fiona is on leave this week and nobody covers the libraries' page; Jamie is
  away next week and Rhona covers him.
- The on-call incident lead Mhairi Campbell (GC1022) may post to the main X
  account and Facebook page; Ryan McGregor (GC1051, contact centre) posts
  service updates to X, approved by his manager Marion Thomson (GC1050);
  Alison Young (GC1041, road safety) posts to Facebook, approved by her
  manager Gordon Mathieson (GC1013); Ruaridh posts to the libraries' page.
  The other incident lead, Euan Robertson (GC1021, the demo incident lead),
  has no posting licence and no access, but can still pause publishing.
- Scott Hamilton (GC1029, homelessness) has asked to post to the main
  Facebook page: his manager Heather Morrison (GC1028) or an owner decides.
- Ailsa Munro (GC1025, the demo member of staff) has no posting licence yet,
  so an account's page tells her what she still needs before she can ask.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from socialgov.channels.models import Absence, AccessGrant, AccessRequest, Account, Platform
from socialgov.channels.services import (
    absence_record,
    access_request_approve,
    access_request_create,
    account_save,
)
from socialgov.people.demo import (
    COMMUNICATIONS,
    DEMOCRATIC,
    DIGITAL,
    HR_AND_OD,
    LIBRARIES,
    LIBRARIES_AND_CULTURE,
    DemoContext,
)
from socialgov.people.services import department_get_or_create_path

ADDED_BY = "GC1007"


@dataclass(frozen=True)
class DemoAccount:
    platform: str
    handle: str
    url: str
    team: tuple[str, ...]
    owners: tuple[str, ...]
    credentials_location: str
    recovery_contact: str
    has_two_step: bool = True
    # Days ago; None: never reviewed.
    reviewed_days_ago: int | None = 30


# fmt: off
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(Platform.X, "@GlenmorvenCC", "https://x.com/GlenmorvenCC", COMMUNICATIONS, ("GC1007", "GC1019"),
                "Keeper › Comms › Council X account", "socialmedia@glenmorven.gov.uk", reviewed_days_ago=41),
    DemoAccount(Platform.FACEBOOK, "Glenmorven Council", "https://www.facebook.com/GlenmorvenCouncil",
                COMMUNICATIONS, ("GC1007", "GC1020"), "Keeper › Comms › Council Facebook page",
                "socialmedia@glenmorven.gov.uk", reviewed_days_ago=121),
    DemoAccount(Platform.BLUESKY, "@glenmorven.gov.uk", "https://bsky.app/profile/glenmorven.gov.uk", DIGITAL,
                ("GC1019", "GC1020"), "Keeper › Comms › Bluesky", "socialmedia@glenmorven.gov.uk",
                reviewed_days_ago=12),
    DemoAccount(Platform.INSTAGRAM, "@glenmorvencouncil", "https://www.instagram.com/glenmorvencouncil", DIGITAL,
                ("GC1020",), "Keeper › Comms › Council Instagram", "socialmedia@glenmorven.gov.uk",
                reviewed_days_ago=60),
    DemoAccount(Platform.LINKEDIN, "Glenmorven Council Careers", "https://www.linkedin.com/company/glenmorven-council",
                HR_AND_OD, ("GC1045",), "Keeper › HR › LinkedIn careers page", "recruitment@glenmorven.gov.uk",
                has_two_step=False, reviewed_days_ago=70),
    DemoAccount(Platform.FACEBOOK, "Glenmorven Libraries", "https://www.facebook.com/GlenmorvenLibraries", LIBRARIES,
                ("GC1030",), "Keeper › Libraries › Facebook page", "libraries@glenmorven.gov.uk",
                reviewed_days_ago=20),
    DemoAccount(Platform.INSTAGRAM, "@glenmorvenleisure", "https://www.instagram.com/glenmorvenleisure",
                LIBRARIES_AND_CULTURE, ("GC1010",), "Keeper › Culture › Leisure centre Instagram",
                "leisure@glenmorven.gov.uk", reviewed_days_ago=80),
    DemoAccount(Platform.YOUTUBE, "Glenmorven Council", "https://www.youtube.com/@GlenmorvenCouncil", DEMOCRATIC,
                ("GC1008", "GC1023"), "Keeper › Democratic Services › YouTube webcasts",
                "committees@glenmorven.gov.uk", reviewed_days_ago=None),
)
# fmt: on

MAIN_X = (Platform.X, "@GlenmorvenCC")
MAIN_FACEBOOK = (Platform.FACEBOOK, "Glenmorven Council")
LIBRARIES_FACEBOOK = (Platform.FACEBOOK, "Glenmorven Libraries")
# (who, which account (platform, handle), why, who approves)
DEMO_GRANTS = (
    ("GC1022", MAIN_X, "On call for out-of-hours incidents.", "GC1007"),
    ("GC1051", MAIN_X, "Service updates from the contact centre: bin collections, closures, outages.", "GC1050"),
    ("GC1022", MAIN_FACEBOOK, "On call for out-of-hours incidents.", "GC1020"),
    ("GC1041", MAIN_FACEBOOK, "The winter road safety campaign runs on the main page from next month.", "GC1013"),
    ("GC1010", LIBRARIES_FACEBOOK, "To post the culture events that the libraries host.", "GC1030"),
)
DEMO_REQUEST = ("GC1029", MAIN_FACEBOOK, "The winter homelessness appeal: three posts a week in December.")


def _counts() -> dict[str, int]:
    return {
        "Accounts": Account.objects.count(),
        "Access to accounts": AccessGrant.objects.count(),
        "Requests for access": AccessRequest.objects.count(),
        "Absences": Absence.objects.count(),
    }


def demo_channels_load(context: DemoContext) -> None:
    """The demo register: accounts, owners, access granted and asked for, and owners away."""
    if Account.objects.filter(platform=MAIN_X[0], handle=MAIN_X[1]).exists():
        for kind, count in _counts().items():
            context.result.record(kind, unchanged=count)
        return
    today = context.today
    added_by = context.person(ADDED_BY)
    accounts = {}
    for spec in DEMO_ACCOUNTS:
        reviewed = None if spec.reviewed_days_ago is None else today - datetime.timedelta(days=spec.reviewed_days_ago)
        account = Account(
            platform=spec.platform,
            handle=spec.handle,
            url=spec.url,
            team=department_get_or_create_path(names=spec.team),
            has_two_step=spec.has_two_step,
            recovery_contact=spec.recovery_contact,
            credentials_location=spec.credentials_location,
            last_access_review_on=reviewed,
            last_access_review_by=context.person(spec.owners[0]) if reviewed else None,
        )
        owners = [context.person(employee) for employee in spec.owners]
        accounts[(spec.platform, spec.handle)] = account_save(account=account, owners=owners, by=added_by, today=today)

    for employee, key, reason, approver in DEMO_GRANTS:
        access_request = access_request_create(
            person=context.person(employee), account=accounts[key], reason=reason, today=today
        )
        access_request_approve(access_request=access_request, by=context.person(approver), today=today)
    employee, key, reason = DEMO_REQUEST
    access_request_create(person=context.person(employee), account=accounts[key], reason=reason, today=today)

    absence_record(owner=context.person("GC1030"), account=None, starts_on=today - datetime.timedelta(days=1),
                   ends_on=today + datetime.timedelta(days=6), covered_by=None, note="Annual leave",
                   today=today)  # fmt: skip
    absence_record(owner=context.person("GC1020"), account=None, starts_on=today + datetime.timedelta(days=7),
                   ends_on=today + datetime.timedelta(days=11), covered_by=context.person("GC1019"),
                   note="Training course in Glasgow", today=today)  # fmt: skip

    for kind, count in _counts().items():
        context.result.record(kind, created=count)
