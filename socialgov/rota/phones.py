"""On-call phone numbers: typed however people like, kept in one form (E.164), shown the way people read them."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "GB"


def phone_parse(text: str) -> str:
    """The number in E.164 ("+447700900123"); raises ValueError with what to do when it cannot be one."""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValueError("Enter a phone number, like 07700 900123 or +44 7700 900123") from error
    # Possible rather than valid: reserved ranges used in training and drama (07700 900xxx) must still be accepted.
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise ValueError("Enter a full phone number with its area code, like 07700 900123")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """UK numbers as dialled here ("07700 900123"); others in international form."""
    number = phonenumbers.parse(e164, DEFAULT_REGION)
    if number.country_code == phonenumbers.country_code_for_region(DEFAULT_REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
