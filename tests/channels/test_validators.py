"""Passwords are kept out of the register: where a password is kept passes, anything that looks like one does not."""

import pytest
from django.core.exceptions import ValidationError

from socialgov.channels.validators import looks_like_a_password, validate_not_a_password

# Where a password is kept: entry names, paths, links, addresses and plain descriptions.
ALLOWED = [
    "Keeper › Comms › Council X account",
    "Keeper > Digital > Leisure Instagram (2FA codes in Authy)",
    "1Password › Social media vault › Glenmorven Council (X)",
    "LastPass: Shared-Comms/Facebook main page",
    "Bitwarden › Comms collection › Libraries Facebook",
    "Keeper record SM-Account-2024",
    "Keeper: Comms/Jobs LinkedIn",
    "Password manager › Comms › YouTube",
    "The password is in Keeper › Comms",
    "Password is kept in the comms vault",
    "Passwords are in Keeper › Comms",
    "https://keeper.example.gov.uk/vault/#detail/Ab3xY9qPz",
    "comms-team@glenmorven.gov.uk",
    "GlenmorvenCouncilFacebookPage",
    "Keeper › Comms › @GlenmorvenCC",
    "GC-Comms-SM01",
    "KeePass database on the comms drive, entry 'TikTok 2024-25'",
]

# Passwords, labelled or not, and keys.
REFUSED = [
    "password: hunter2",
    "Password=Summer",
    "Keeper, pwd: x",
    "pwd hunter2",
    "pass: Glenmorven1",
    "pw=abc",
    "the password is letmein",
    "Tr0ub4dor&3",
    "Xk9#mP2$vL",
    "P@ssw0rd",
    "P@ssw0rd!",
    "Summer2024!",
    "aB3$dE6^",
    "correcthorse9Battery!",
    "Keeper › Comms › Council X account P@ssw0rd",
    "9f86d081884c7d659a2feaa0c55ad015",
    "dGhpcyBpcyBhIHNlY3JldA==",
]


@pytest.mark.parametrize("value", ALLOWED)
def test_where_a_password_is_kept_is_allowed(value):
    assert not looks_like_a_password(value)
    validate_not_a_password(value)


@pytest.mark.parametrize("value", REFUSED)
def test_anything_that_looks_like_a_password_is_refused(value):
    assert looks_like_a_password(value)
    with pytest.raises(ValidationError):
        validate_not_a_password(value)


def test_the_refusal_says_what_to_enter_instead():
    with pytest.raises(ValidationError) as labelled:
        validate_not_a_password("password: hunter2")
    assert labelled.value.messages == [
        "Do not write a password here. Enter where the password is kept instead, such as the password manager "
        "entry (for example “Keeper › Comms › Council X account”)."
    ]
    with pytest.raises(ValidationError) as generated:
        validate_not_a_password("Tr0ub4dor&3")
    assert generated.value.messages[0].startswith("This looks like a password. Never store passwords in the register.")
    assert "Keeper › Comms › Council X account" in generated.value.messages[0]
