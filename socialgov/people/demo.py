"""The demo organisation: a fictional Scottish council to try SocialGov with.

``demo_organisation_load`` runs every demo loader in ``DEMO_LOADERS``, in
order, in one transaction. Each loader is idempotent: it creates what is
missing, puts what has drifted back to its demo values and leaves the rest
alone, so loading the demo twice changes nothing the second time.

The people loader comes first; later features add their own loader (policies,
training, quizzes, incidents) by appending its dotted path to
``DEMO_LOADERS``. A loader takes the ``DemoContext`` and may use
``context.person("GC1007")`` to find a demo person by employee number.

Demo only: every demo person shares one published password,
``DEMO_PASSWORD``. The ``load_demo`` command refuses to run when DEBUG is off
unless told to, so the demo never plants a known password in production.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from socialgov.people.models import Department, User
from socialgov.people.roles import MFA_ROLES, Role
from socialgov.people.services import (
    department_get_or_create_path,
    person_deactivate,
    person_provision,
    person_set_roles,
    person_sync_email_address,
)

# Demo only: never use this password, or the demo, on a real site.
DEMO_PASSWORD = "socialgov-demo-2026"  # noqa: S105 - a published demo password, by design
DEMO_EMAIL_DOMAIN = "glenmorven.gov.uk"

# Demo loaders, run in this order. Later features append theirs here.
DEMO_LOADERS: list[str] = [
    "socialgov.people.demo.demo_people_load",
    "policies.demo.demo_policies_load",
    "training.demo.demo_training_load",
    "socialgov.rota.demo.demo_rota_load",
    "socialgov.channels.demo.demo_channels_load",
    "socialgov.abuse.demo.demo_abuse_load",
    "socialgov.reports.demo.demo_reports_load",
]


@dataclass
class DemoResult:
    """What a load did, counted by kind of record ("Departments", "People")."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    kinds: list[str] = field(default_factory=list)
    passwords_set: int = 0
    passwords_kept: int = 0

    def record(self, kind: str, *, created: int = 0, updated: int = 0, unchanged: int = 0) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)
        self.created[kind] += created
        self.updated[kind] += updated
        self.unchanged[kind] += unchanged

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()) or self.passwords_set)

    def summary_lines(self) -> list[str]:
        return [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, {self.unchanged[kind]} unchanged"
            for kind in self.kinds
        ]


@dataclass
class DemoContext:
    """Shared by the loaders of one run."""

    today: datetime.date
    reset_passwords: bool = False
    result: DemoResult = field(default_factory=DemoResult)
    people: dict[str, User] = field(default_factory=dict)

    def person(self, employee_number: str) -> User:
        """A demo person, once the people loader has run."""
        return self.people[employee_number]


DemoLoader = Callable[[DemoContext], None]


def demo_loaders() -> list[DemoLoader]:
    return [import_string(path) for path in DEMO_LOADERS]


def demo_organisation_load(
    *,
    reset_passwords: bool = False,
    today: datetime.date | None = None,
    loaders: Sequence[DemoLoader] | None = None,
) -> DemoResult:
    """Create or bring up to date the whole demo organisation, in one transaction."""
    context = DemoContext(today=today or timezone.localdate(), reset_passwords=reset_passwords)
    with transaction.atomic():
        for loader in demo_loaders() if loaders is None else loaders:
            loader(context)
    return context.result


# --- Departments ---------------------------------------------------------------
# Directorate > service > team. Every team is listed; the loader creates the
# directorates and services above them.

CEO_OFFICE = ("Chief Executive's Office",)
COMMUNICATIONS = (*CEO_OFFICE, "Communications")
DIGITAL = (*COMMUNICATIONS, "Digital and social media")
MEDIA = (*COMMUNICATIONS, "Media relations")
DEMOCRATIC = (*CEO_OFFICE, "Democratic Services")
COMMITTEES = (*DEMOCRATIC, "Committee services")

COMMUNITIES = ("Communities",)
HOUSING = (*COMMUNITIES, "Housing")
TENANCY = (*HOUSING, "Tenancy services")
HOMELESSNESS = (*HOUSING, "Homelessness")
LIBRARIES_AND_CULTURE = (*COMMUNITIES, "Libraries and Culture")
LIBRARIES = (*LIBRARIES_AND_CULTURE, "Libraries")

EDUCATION = ("Education and Children",)
SCHOOLS = (*EDUCATION, "Schools")
EARLY_YEARS = (*SCHOOLS, "Early years")
SECONDARY = (*SCHOOLS, "Secondary education")
CHILDREN_AND_FAMILIES = (*EDUCATION, "Children and Families")
FAMILY_SUPPORT = (*CHILDREN_AND_FAMILIES, "Family support")

PLACE = ("Place",)
ROADS = (*PLACE, "Roads and Transport")
WINTER = (*ROADS, "Winter maintenance")
ROAD_SAFETY = (*ROADS, "Road safety")
ENVIRONMENT = (*PLACE, "Environmental Services")
WASTE = (*ENVIRONMENT, "Waste and recycling")
PARKS = (*ENVIRONMENT, "Parks and greenspace")

RESOURCES = ("Resources",)
HR_AND_OD = (*RESOURCES, "HR and Organisational Development")
LEARNING = (*HR_AND_OD, "Learning and development")
HR_ADVICE = (*HR_AND_OD, "HR advice")
CUSTOMER_SERVICES = (*RESOURCES, "Customer Services")
CONTACT_CENTRE = (*CUSTOMER_SERVICES, "Contact centre")
SERVICE_POINTS = (*CUSTOMER_SERVICES, "Service points")

HEALTH_AND_SOCIAL_CARE = ("Health and Social Care",)
ADULT_SERVICES = (*HEALTH_AND_SOCIAL_CARE, "Adult services")
CARE_AT_HOME = (*ADULT_SERVICES, "Care at home")
OCCUPATIONAL_THERAPY = (*ADULT_SERVICES, "Occupational therapy")
MENTAL_HEALTH = (*HEALTH_AND_SOCIAL_CARE, "Mental health")
COMMUNITY_MENTAL_HEALTH = (*MENTAL_HEALTH, "Community mental health")

DEMO_TEAMS: tuple[tuple[str, ...], ...] = (
    DIGITAL,
    MEDIA,
    COMMITTEES,
    TENANCY,
    HOMELESSNESS,
    LIBRARIES,
    EARLY_YEARS,
    SECONDARY,
    FAMILY_SUPPORT,
    WINTER,
    ROAD_SAFETY,
    WASTE,
    PARKS,
    LEARNING,
    HR_ADVICE,
    CONTACT_CENTRE,
    SERVICE_POINTS,
    CARE_AT_HOME,
    OCCUPATIONAL_THERAPY,
    COMMUNITY_MENTAL_HEALTH,
)


# --- People ----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPerson:
    """One demo member of staff. Managers are listed before the people who report to them."""

    employee_number: str
    first_name: str
    last_name: str
    job_title: str
    department: tuple[str, ...]
    manager: str | None
    # A date, or for new starters the number of days before today.
    started: datetime.date | int
    public_facing: bool = False
    roles: tuple[str, ...] = ()
    # Days from today: negative for a leaver who has gone, positive for one who is leaving.
    leaving_in_days: int | None = None

    @property
    def email(self) -> str:
        local = f"{self.first_name}.{self.last_name}".lower().replace(" ", "").replace("'", "")
        return f"{local}@{DEMO_EMAIL_DOMAIN}"

    @property
    def has_left(self) -> bool:
        return self.leaving_in_days is not None and self.leaving_in_days <= 0

    def start_date(self, today: datetime.date) -> datetime.date:
        if isinstance(self.started, int):
            return today - datetime.timedelta(days=self.started)
        return self.started

    def leaving_date(self, today: datetime.date) -> datetime.date | None:
        if self.leaving_in_days is None:
            return None
        return today + datetime.timedelta(days=self.leaving_in_days)


D = datetime.date
P = DemoPerson

# fmt: off
DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    # Chief executive and directors
    P("GC1001", "Morag", "Sutherland", "Chief Executive", CEO_OFFICE, None, D(2014, 3, 3)),
    P("GC1002", "Alasdair", "Cameron", "Executive Director of Communities", COMMUNITIES, "GC1001", D(2012, 8, 20)),
    P("GC1003", "Kirsteen", "Douglas", "Executive Director of Education and Children", EDUCATION, "GC1001",
      D(2016, 1, 11)),
    P("GC1004", "Graeme", "Ritchie", "Executive Director of Place", PLACE, "GC1001", D(2010, 5, 4)),
    P("GC1005", "Lorna", "Gillies", "Executive Director of Resources", RESOURCES, "GC1001", D(2015, 9, 7)),
    P("GC1006", "Neil", "MacInnes", "Chief Officer, Health and Social Care", HEALTH_AND_SOCIAL_CARE, "GC1001",
      D(2018, 4, 2)),
    # Heads of service
    P("GC1007", "Catriona", "MacLeod", "Head of Communications", COMMUNICATIONS, "GC1001", D(2013, 6, 17),
      roles=(Role.COMMS_LEAD,)),
    P("GC1008", "Hamish", "Baird", "Head of Democratic Services", DEMOCRATIC, "GC1001", D(2009, 2, 2)),
    P("GC1009", "Iona", "Grant", "Head of Housing", HOUSING, "GC1002", D(2011, 10, 3)),
    P("GC1010", "Ruaridh", "Mackay", "Head of Libraries and Culture", LIBRARIES_AND_CULTURE, "GC1002", D(2017, 3, 13)),
    P("GC1011", "Eilidh", "Henderson", "Head of Schools", SCHOOLS, "GC1003", D(2012, 8, 13)),
    P("GC1012", "Fraser", "Kerr", "Head of Children and Families", CHILDREN_AND_FAMILIES, "GC1003", D(2019, 1, 7)),
    P("GC1013", "Gordon", "Mathieson", "Head of Roads and Transport", ROADS, "GC1004", D(2008, 11, 10)),
    P("GC1014", "Isla", "Drummond", "Head of Environmental Services", ENVIRONMENT, "GC1004", D(2014, 7, 21)),
    P("GC1015", "Moira", "Crawford", "Head of HR and Organisational Development", HR_AND_OD, "GC1005", D(2013, 1, 14)),
    P("GC1016", "Stuart", "Lindsay", "Head of Customer Services", CUSTOMER_SERVICES, "GC1005", D(2016, 5, 9)),
    P("GC1017", "Kirsty", "Ferguson", "Head of Adult Services", ADULT_SERVICES, "GC1006", D(2015, 2, 16)),
    P("GC1018", "Angus", "Buchanan", "Head of Mental Health Services", MENTAL_HEALTH, "GC1006", D(2017, 10, 2)),
    # Communications: the comms leads and the on-call incident leads
    P("GC1019", "Rhona", "Stewart", "Digital Communications Officer", DIGITAL, "GC1007", D(2019, 9, 2),
      roles=(Role.COMMS_LEAD,)),
    P("GC1020", "Jamie", "Wallace", "Social Media Officer", DIGITAL, "GC1007", D(2022, 2, 14)),
    P("GC1021", "Euan", "Robertson", "Communications Officer (on call)", MEDIA, "GC1007", D(2015, 11, 23),
      roles=(Role.INCIDENT_LEAD,)),
    P("GC1022", "Mhairi", "Campbell", "Senior Communications Officer (on call)", MEDIA, "GC1007", D(2012, 4, 30),
      roles=(Role.INCIDENT_LEAD,)),
    P("GC1023", "Lewis", "Anderson", "Committee Officer", COMMITTEES, "GC1008", D(2020, 6, 8)),
    # Housing
    P("GC1024", "Callum", "Fraser", "Tenancy Services Team Leader", TENANCY, "GC1009", D(2010, 9, 13)),
    P("GC1025", "Ailsa", "Munro", "Housing Officer", TENANCY, "GC1024", D(2018, 2, 5), public_facing=True),
    P("GC1026", "Ross", "Cunningham", "Housing Officer", TENANCY, "GC1024", D(2021, 8, 16), public_facing=True),
    P("GC1027", "Niamh", "Reid", "Housing Assistant", TENANCY, "GC1024", 5, public_facing=True),
    P("GC1028", "Heather", "Morrison", "Homelessness Team Leader", HOMELESSNESS, "GC1009", D(2013, 5, 27)),
    P("GC1029", "Scott", "Hamilton", "Homelessness Officer", HOMELESSNESS, "GC1028",
      D(2019, 11, 4), public_facing=True),
    # Libraries
    P("GC1030", "Fiona", "Gray", "Libraries Manager", LIBRARIES, "GC1010", D(2011, 3, 7), public_facing=True),
    P("GC1031", "Skye", "Murray", "Librarian", LIBRARIES, "GC1030", D(2020, 10, 12), public_facing=True),
    P("GC1032", "Donald", "MacKenzie", "Library Assistant", LIBRARIES, "GC1030", D(2007, 6, 25), public_facing=True,
      leaving_in_days=24),
    # Schools, children and families
    P("GC1033", "Morven", "Sinclair", "Early Years Team Leader", EARLY_YEARS, "GC1011", D(2014, 8, 18)),
    P("GC1034", "Kerry", "Walker", "Early Years Practitioner", EARLY_YEARS, "GC1033",
      D(2022, 8, 15), public_facing=True),
    P("GC1035", "Gregor", "Mitchell", "Quality Improvement Officer", SECONDARY, "GC1011", D(2016, 8, 15)),
    P("GC1036", "Jennifer", "Watt", "Family Support Team Leader", FAMILY_SUPPORT, "GC1012", D(2012, 10, 1)),
    P("GC1037", "Craig", "Allan", "Family Support Worker", FAMILY_SUPPORT, "GC1036", D(2020, 3, 2), public_facing=True),
    P("GC1038", "Shannon", "Boyd", "Social Worker", FAMILY_SUPPORT, "GC1036", 10, public_facing=True),
    # Roads and environment
    P("GC1039", "Colin", "Docherty", "Winter Maintenance Supervisor", WINTER, "GC1013", D(2005, 10, 17)),
    P("GC1040", "Kenny", "Brodie", "Roads Operative", WINTER, "GC1039", D(2016, 11, 7)),
    P("GC1041", "Alison", "Young", "Road Safety Officer", ROAD_SAFETY, "GC1013", D(2018, 6, 11), public_facing=True),
    P("GC1042", "Douglas", "Forbes", "Waste Services Team Leader", WASTE, "GC1014", D(2009, 4, 20)),
    P("GC1043", "Liam", "Milne", "Waste and Recycling Officer", WASTE, "GC1042", D(2021, 1, 18), public_facing=True),
    P("GC1044", "Catherine", "Johnstone", "Parks and Greenspace Officer", PARKS, "GC1014", D(2017, 4, 24)),
    # HR and organisational development: HR and the administrator
    P("GC1045", "Shona", "Paterson", "HR Business Partner", HR_ADVICE, "GC1015", D(2014, 2, 10), roles=(Role.HR,)),
    P("GC1046", "Gillian", "McLean", "HR Adviser (wellbeing)", HR_ADVICE, "GC1045", D(2019, 5, 13),
      roles=(Role.WELLBEING,)),
    P("GC1047", "Elaine", "Hunter", "Learning and Development Team Leader", LEARNING, "GC1015", D(2011, 1, 24)),
    P("GC1048", "Duncan", "Ross", "Learning Systems Officer", LEARNING, "GC1047", D(2017, 9, 18),
      roles=(Role.ADMINISTRATOR,)),
    P("GC1049", "Rachel", "Gibson", "Learning and Development Adviser", LEARNING, "GC1047", 2),
    # Customer services
    P("GC1050", "Marion", "Thomson", "Contact Centre Team Leader", CONTACT_CENTRE, "GC1016", D(2010, 7, 5)),
    P("GC1051", "Ryan", "McGregor", "Customer Service Adviser", CONTACT_CENTRE, "GC1050", D(2021, 5, 24),
      public_facing=True),
    P("GC1052", "Lesley", "Kennedy", "Customer Service Adviser", CONTACT_CENTRE, "GC1050", D(2015, 3, 16),
      public_facing=True, leaving_in_days=-45),
    P("GC1053", "Andrew", "Bruce", "Service Point Officer", SERVICE_POINTS, "GC1016",
      D(2013, 9, 9), public_facing=True),
    # Health and social care
    P("GC1054", "Karen", "Dunbar", "Care at Home Organiser", CARE_AT_HOME, "GC1017", D(2012, 6, 4)),
    P("GC1055", "Jean", "Rennie", "Home Carer", CARE_AT_HOME, "GC1054", D(2008, 1, 21), public_facing=True),
    P("GC1056", "Sean", "Mackintosh", "Home Carer", CARE_AT_HOME, "GC1054", D(2019, 7, 29), public_facing=True,
      leaving_in_days=-9),
    P("GC1057", "Laura", "Gemmell", "Occupational Therapist", OCCUPATIONAL_THERAPY, "GC1017", D(2016, 2, 29),
      public_facing=True),
    P("GC1058", "Martin", "Hay", "Community Mental Health Team Leader", COMMUNITY_MENTAL_HEALTH, "GC1018",
      D(2014, 11, 24)),
    P("GC1059", "Emma", "Cowan", "Community Psychiatric Nurse", COMMUNITY_MENTAL_HEALTH, "GC1058", D(2018, 9, 3),
      public_facing=True),
    P("GC1060", "Kieran", "Shearer", "Mental Health Officer", COMMUNITY_MENTAL_HEALTH, "GC1058", D(2020, 12, 7),
      public_facing=True),
)
# fmt: on

del D, P


@dataclass(frozen=True)
class DemoSignIn:
    """A demo sign-in to show: who to sign in as to see the platform through one role."""

    label: str
    email: str

    @property
    def password(self) -> str:
        return DEMO_PASSWORD

    @property
    def person(self) -> DemoPerson:
        return next(p for p in DEMO_PEOPLE if p.email == self.email)

    @property
    def needs_mfa(self) -> bool:
        """Whether the person's roles need an authenticator app (when MFA is required for roles)."""
        return bool(set(self.person.roles) & MFA_ROLES)


# One sign-in per role, plus a manager and a plain member of staff (who reports to that manager).
DEMO_SIGN_INS: tuple[DemoSignIn, ...] = (
    DemoSignIn("Member of staff", f"ailsa.munro@{DEMO_EMAIL_DOMAIN}"),
    DemoSignIn("Manager", f"callum.fraser@{DEMO_EMAIL_DOMAIN}"),
    DemoSignIn(Role.COMMS_LEAD.value, f"catriona.macleod@{DEMO_EMAIL_DOMAIN}"),
    DemoSignIn(Role.HR.value, f"shona.paterson@{DEMO_EMAIL_DOMAIN}"),
    DemoSignIn(Role.INCIDENT_LEAD.value, f"euan.robertson@{DEMO_EMAIL_DOMAIN}"),
    DemoSignIn(Role.WELLBEING.value, f"gillian.mclean@{DEMO_EMAIL_DOMAIN}"),
    DemoSignIn(Role.ADMINISTRATOR.value, f"duncan.ross@{DEMO_EMAIL_DOMAIN}"),
)


def demo_sign_ins_table(sign_ins: Iterable[DemoSignIn] = DEMO_SIGN_INS) -> list[str]:
    """The demo sign-ins as the lines of a plain-text table."""
    rows = [("Sign in as", "Email address", "Password")]
    rows += [(s.label, s.email, s.password) for s in sign_ins]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]

    def line(row: Sequence[str]) -> str:
        return " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

    return [line(rows[0]), "-+-".join("-" * width for width in widths), *(line(row) for row in rows[1:])]


# --- The people loader -----------------------------------------------------------


def demo_departments_load(context: DemoContext) -> dict[tuple[str, ...], Department]:
    """Every demo department, by path, created where missing."""
    before = Department.objects.count()
    departments: dict[tuple[str, ...], Department] = {}
    for team in DEMO_TEAMS:
        for depth in range(1, len(team) + 1):
            path = team[:depth]
            if path not in departments:
                departments[path] = department_get_or_create_path(names=path)
    created = Department.objects.count() - before
    context.result.record("Departments", created=created, unchanged=len(departments) - created)
    return departments


def demo_people_load(context: DemoContext) -> None:
    """The demo departments and people: roles, line management, starters and leavers."""
    departments = demo_departments_load(context)
    numbers = [spec.employee_number for spec in DEMO_PEOPLE]
    existing = {
        person.employee_number: person
        for person in User.objects.filter(employee_number__in=numbers).prefetch_related("groups", "emailaddress_set")
    }
    needs_password: list[User] = []
    for spec in DEMO_PEOPLE:
        if spec.manager is not None and spec.manager not in context.people:
            raise ValueError(f"{spec.employee_number}'s manager {spec.manager} must be listed before them.")
        person = existing.get(spec.employee_number) or _person_by_email(spec.email)
        fields = {
            "email": spec.email,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "employee_number": spec.employee_number,
            "job_title": spec.job_title,
            "department_id": departments[spec.department].pk,
            "line_manager_id": context.people[spec.manager].pk if spec.manager else None,
            "start_date": spec.start_date(context.today),
            "leaving_date": spec.leaving_date(context.today),
            "is_public_facing": spec.public_facing,
        }
        if person is None:
            person = person_provision(**fields)
            needs_password.append(person)
            if spec.roles:
                person_set_roles(person=person, roles=spec.roles)
            outcome = "created"
        else:
            changed = _person_update(person, spec, fields)
            if context.reset_passwords:
                needs_password.append(person)
            outcome = "updated" if changed else "unchanged"
        if spec.has_left and person.is_active:
            person_deactivate(person=person)
            if outcome == "unchanged":
                outcome = "updated"
        context.people[spec.employee_number] = person
        context.result.record("People", **{outcome: 1})

    if needs_password:
        # One hash for every demo person: hashing sixty times over would take half a minute or more.
        password = make_password(DEMO_PASSWORD)
        User.objects.filter(pk__in=[person.pk for person in needs_password]).update(password=password)
        for person in needs_password:
            person.password = password
    context.result.passwords_set += len(needs_password)
    context.result.passwords_kept += len(DEMO_PEOPLE) - len(needs_password)


def _person_by_email(email: str) -> User | None:
    """Someone who already has a demo address but no demo employee number: they become that demo person."""
    return User.objects.filter(email__iexact=email).prefetch_related("groups", "emailaddress_set").first()


def _person_update(person: User, spec: DemoPerson, fields: dict[str, object]) -> bool:
    """Put an existing demo person back to their demo values; True when anything changed."""
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    if not person.is_active and not spec.has_left:
        changed.append("is_active")
    for name in changed:
        setattr(person, name, True if name == "is_active" else fields[name])
    if changed:
        person.save(update_fields=changed)

    addresses = [(a.email, a.verified, a.primary) for a in person.emailaddress_set.all()]
    email_out_of_step = addresses != [(person.email, True, True)]
    if email_out_of_step:
        person_sync_email_address(person=person)

    held = {group.name for group in person.groups.all() if group.name in Role.values}
    is_admin = Role.ADMINISTRATOR in spec.roles
    roles_out_of_step = held != set(spec.roles) or person.is_staff != is_admin or person.is_superuser != is_admin
    if roles_out_of_step:
        person_set_roles(person=person, roles=spec.roles)

    return bool(changed) or email_out_of_step or roles_out_of_step
