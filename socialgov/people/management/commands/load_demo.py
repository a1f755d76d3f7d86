"""Load the demo organisation: safe to run any number of times; refuses production unless forced."""

import textwrap

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from socialgov.people.demo import DEMO_PASSWORD, DEMO_SIGN_INS, demo_organisation_load, demo_sign_ins_table


class Command(BaseCommand):
    help = (
        "Create or bring up to date the demo organisation (departments, people, roles). "
        f"Demo only: every demo person signs in with the password {DEMO_PASSWORD}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even though DEBUG is off. The demo passwords are published: never on a live site.",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set every demo person's password back to the demo password (new people always get it).",
        )

    def handle(self, *args, force: bool, reset_passwords: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load the demo organisation because DEBUG is off, so this may be a live site. "
                f"Every demo person signs in with the published password {DEMO_PASSWORD}. "
                "Turn DEBUG on for a local demo, or run with --force if you really mean to load it here."
            )

        result = demo_organisation_load(reset_passwords=reset_passwords)

        name = settings.ORGANISATION_NAME
        if result.changed:
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo organisation, {name}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"The demo organisation, {name}, was already up to date."))
        for line in result.summary_lines():
            self.stdout.write(f"  {line}")
        if result.passwords_set:
            self.stdout.write(f"  Passwords: {result.passwords_set} set to the demo password")

        self.stdout.write("")
        self.stdout.write("Demo sign-ins (demo only: every demo person shares this password):")
        self.stdout.write("")
        for line in demo_sign_ins_table():
            self.stdout.write(f"  {line}")
        self.stdout.write("")

        if result.passwords_kept:
            self._paragraph(
                f"{result.passwords_kept} demo people already existed and kept their passwords; "
                "run with --reset-passwords to set them back to the demo password."
            )
        mfa_labels = [sign_in.label for sign_in in DEMO_SIGN_INS if sign_in.needs_mfa]
        if settings.MFA_REQUIRED_FOR_ROLES:
            self._paragraph(
                f"MFA is required for the {_join(mfa_labels)} roles: those people will be asked to set up an "
                "authenticator app the first time they sign in and use their role. For a local demo, "
                "MFA_REQUIRED_FOR_ROLES=false in .env turns that off."
            )
        else:
            self._paragraph(
                "MFA_REQUIRED_FOR_ROLES is off, so no demo sign-in is asked to set up an authenticator app."
            )

    def _paragraph(self, text: str) -> None:
        self.stdout.write(textwrap.fill(text, width=100))


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
