"""Personal data: email addresses, phone numbers, National Insurance numbers and home addresses."""

from __future__ import annotations

import pytest

from tests.training.checker.helpers import assert_span, excerpts, found
from training.checker import HouseRules

# --- Email addresses ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt", "severity"),
    [
        ("Email our officer at sarah.jones@kirkmoor.gov.uk today.", "sarah.jones@kirkmoor.gov.uk", "error"),
        ("Found a cat? Contact j.bloggs@example.com.", "j.bloggs@example.com", "error"),
        ("Tickets from the organiser, parkrunner77@gmail.com", "parkrunner77@gmail.com", "error"),
        ("Send your photos to parksphotos@kirkmoor.gov.uk", "parksphotos@kirkmoor.gov.uk", "warning"),
        ("Questions? planning.enquiries@kirkmoor.gov.uk.", "planning.enquiries@kirkmoor.gov.uk", "warning"),
    ],
)
def test_it_flags_email_addresses_personal_ones_as_errors(text, excerpt, severity):
    [finding] = found(text, "email")

    assert_span(text, finding, excerpt, severity)


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("Email counciltax@kirkmoor.gov.uk", ("CouncilTax@Kirkmoor.gov.uk",)),
        ("Email counciltax@kirkmoor.gov.uk", ("  counciltax@kirkmoor.gov.uk ",)),
        ("Follow @kirkmoor and @sam@mastodon.social", ()),
        ("No addresses here, just kirkmoor.gov.uk", ()),
    ],
)
def test_it_leaves_allowed_addresses_and_mentions_alone(text, allowed):
    assert found(text, "email", house=HouseRules(allowed_contacts=allowed)) == []


# --- Phone numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt", "severity"),
    [
        ("Call our ranger on 07700 900461 if you see it again.", "07700 900461", "error"),
        ("Text 07700900123 with your name.", "07700900123", "error"),
        ("Ring +44 7700 900461 after 6pm.", "+44 7700 900461", "error"),
        ("Call the depot on 0113 496 0123.", "0113 496 0123", "warning"),
        ("Call (0113) 496 0456 for the depot.", "(0113) 496 0456", "warning"),
        ("The London office is on 020 7946 0123.", "020 7946 0123", "warning"),
    ],
)
def test_it_flags_phone_numbers_mobiles_as_errors(text, excerpt, severity):
    [finding] = found(text, "phone")

    assert_span(text, finding, excerpt, severity)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Call 07700 900123 07700 900456 now", ["07700 900123", "07700 900456"]),
        ("Tel 0113 496 0000 07700 900456", ["0113 496 0000", "07700 900456"]),
        ("Call 0113 496 0000 0113 496 0001 today", ["0113 496 0000", "0113 496 0001"]),
        ("Ring +44 7700 900461 07700 900123", ["+44 7700 900461", "07700 900123"]),
        ("Call 0113 496 0000 12 times", ["0113 496 0000"]),
        ("Text 07700900123 or 0044 7700 900461", ["07700900123", "0044 7700 900461"]),
    ],
)
def test_numbers_side_by_side_are_each_found(text, numbers):
    findings = found(text, "phone")

    assert excerpts(findings) == numbers
    assert [f.severity for f in findings] == ["error" if n.replace(" ", "")[-10] == "7" else "warning" for n in numbers]


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("Call us on 0113 496 0000.", ("+44 113 496 0000",)),
        ("Call us on +44 (0)113 496 0000.", ("01134960000",)),
        ("Floodline: 0345 988 1188", ("03459 881188",)),
        ("In an emergency call 999; for non-emergencies call 101 or NHS 111.", ()),
        ("Reference 2026/12345, costs £12,500,000, open 9-5, 2026-27 budget.", ()),
        ("Order no. 01134960000123 and 0113 4960 00012 are not numbers to call.", ()),
        ("Call us on 0113 496 0000 07700 900461.", ("0113 496 0000", "07700 900461")),
    ],
)
def test_it_leaves_allowed_numbers_and_other_numbers_alone(text, allowed):
    assert found(text, "phone", house=HouseRules(allowed_contacts=allowed)) == []


# --- National Insurance numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("We have your number as AB 12 34 56 C.", "AB 12 34 56 C"),
        ("NI number: JG103759A", "JG103759A"),
        ("Is it CE123456D?", "CE123456D"),
    ],
)
def test_it_flags_national_insurance_numbers(text, excerpt):
    [finding] = found(text, "ni_number")

    assert_span(text, finding, excerpt, "error")


@pytest.mark.parametrize(
    "text",
    [
        "The example number QQ 12 34 56 C is never issued.",  # Q is never a first letter
        "Prefixes such as GB123456A and BG123456A are never used.",
        "DA123456A starts with D, which is never used.",
        "AO123456A has O second, which is never used.",
        "AB123456E ends in E, which is not a valid suffix.",
        "Our reference is ABC123456C and the bus is the X12.",
        "The form is at kirkmoor.gov.uk/forms/AB123456C",
    ],
)
def test_it_leaves_impossible_national_insurance_numbers_alone(text):
    assert found(text, "ni_number") == []


# --- A name with a postcode ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Thanks to Mrs Jones, 4 Elm Road, LS6 2AB for the report.", "Mrs Jones, 4 Elm Road, LS6 2AB"),
        ("Well done Jane Smith of 22 Oak Avenue, KM4 6TT.", "Jane Smith of 22 Oak Avenue, KM4 6TT"),
        ("Mr. Patel\n9 Mill Lane\nKirkmoor\nKM2 7PQ", "Mr. Patel\n9 Mill Lane\nKirkmoor\nKM2 7PQ"),
        ("Cllr Khan lives at Flat 2, 8 High Street, km1 1aa.", "Cllr Khan lives at Flat 2, 8 High Street, km1 1aa"),
    ],
)
def test_it_flags_a_name_next_to_a_postcode(text, excerpt):
    [finding] = found(text, "postcode_name", "facebook")

    assert_span(text, finding, excerpt, "error")


@pytest.mark.parametrize(
    "text",
    [
        "Millbridge Library, 4 Victoria Road, Kirkmoor KM1 2AB is open late on Thursdays.",
        "Visit us at the Civic Centre, KM1 1AA.",
        "Our Lord Mayor, Cllr Ann Smith, opens the library at 4 Elm Road, KM1 2AB on Saturday.",
        "Thanks to Mrs Jones for the report. The depot is at 1 Mill Lane, KM2 7PQ.",
        "George Square and Victoria Park, KM1 2AB, host the fair.",
        "Mrs Jones won the garden competition this year.",
        "Write to Councillor Patel, Civic Centre, Kirkmoor KM1 1AA.",
    ],
)
def test_it_leaves_postcodes_without_a_person_alone(text):
    assert found(text, "postcode_name", "facebook") == []


def test_two_addresses_are_two_findings():
    text = "Mrs Jones, 4 Elm Road, KM1 2AB and Mr Brown, 6 Elm Road, KM1 2AD both won."

    assert excerpts(found(text, "postcode_name", "facebook")) == [
        "Mrs Jones, 4 Elm Road, KM1 2AB",
        "Mr Brown, 6 Elm Road, KM1 2AD",
    ]
