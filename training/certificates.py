"""Certificates: finding a completion by its number, and the certificate as a PDF.

A certificate is a view of a ``Completion``; nothing is stored besides the
completion itself. Its number is what people read aloud, type from a printout
or paste from an email, so the lookup forgives case, spaces, dashes and a
missing "SG-" prefix. The PDF is rendered from a template of its own with
WeasyPrint, which is never allowed to fetch anything: everything it needs is
inline, and a certificate must come out the same with or without a network.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from training.models import CERTIFICATE_ALPHABET, CERTIFICATE_LENGTH, Completion

ALPHABET = frozenset(CERTIFICATE_ALPHABET)
CERTIFICATE_PREFIX = "SG"
# What people put between the groups when they copy a number: dashes of every kind, spaces, dots.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._/]+")


def normalise_certificate_number(text: str) -> str:
    """The number as it is printed (SG-7KQ4-MX2P-9TRW), or the cleaned-up text when it cannot be one.

    Typing is forgiving because numbers are copied by hand: lower case, spaces or
    no dashes, with or without the prefix. Text that is not twelve characters
    of the alphabet comes back upper-cased and trimmed, so an error message can
    show the person what was looked for.
    """
    cleaned = (text or "").strip().upper()
    compact = _SEPARATORS.sub("", cleaned)
    # Twelve characters may themselves start with "SG": only a fourteenth and thirteenth make a prefix.
    if len(compact) == CERTIFICATE_LENGTH + len(CERTIFICATE_PREFIX) and compact.startswith(CERTIFICATE_PREFIX):
        compact = compact[len(CERTIFICATE_PREFIX) :]
    if len(compact) != CERTIFICATE_LENGTH or not set(compact) <= ALPHABET:
        return cleaned
    return f"{CERTIFICATE_PREFIX}-{compact[:4]}-{compact[4:8]}-{compact[8:]}"


def is_certificate_number(text: str) -> bool:
    """Whether ``text`` is a number in its printed form (what ``normalise_certificate_number`` makes)."""
    return bool(re.fullmatch(r"SG-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", text))


def completion_by_number(number: str) -> Completion | None:
    """The completion with this certificate number, however it was typed, or None.

    Person and course come with it (one query), because every page that
    shows a certificate names both. Text that cannot be a number is not
    looked up at all.
    """
    normalised = normalise_certificate_number(number)
    if not is_certificate_number(normalised):
        return None
    return Completion.objects.select_related("person", "course").filter(certificate_number=normalised).first()


def verify_url(completion: Completion | None = None) -> str:
    """The full address of the verify page, which the printed certificate sends readers to.

    It is absolute (``SITE_URL``) because it is read off paper and PDFs, away
    from the site. With a completion, the number is filled in.
    """
    url = settings.SITE_URL.rstrip("/") + reverse("training:verify")
    if completion is not None:
        url += "?" + urlencode({"number": completion.certificate_number})
    return url


def certificate_context(completion: Completion) -> dict:
    """What a certificate says, the same on the page and in the PDF."""
    return {
        "completion": completion,
        "person_name": completion.person.get_full_name() or completion.person.email,
        "course_title": completion.course.title,
        "completed_on": timezone.localdate(completion.completed_at),
        "expires_on": completion.expires_on,
        "is_current": completion.is_current(),
        "number": completion.certificate_number,
        "organisation_name": settings.ORGANISATION_NAME,
        "service_name": settings.SERVICE_NAME,
        "verify_url": verify_url(),
        "verify_link": verify_url(completion),
    }


def _refuse_fetch(url: str, *args, **kwargs):
    """WeasyPrint's URL fetcher: nothing is fetched, so a certificate cannot reach the network or the disk."""
    raise ValueError(f"Certificates are rendered without fetching anything (asked for {url[:100]})")


def certificate_pdf_bytes(completion: Completion) -> bytes:
    """The certificate as an A4 landscape PDF.

    Rendered from ``training/certificate_pdf.html``, a standalone document
    with its CSS inline. WeasyPrint is imported here, not at module level: it
    loads Pango and friends, which only this download needs.
    """
    from weasyprint import HTML

    html = render_to_string("training/certificate_pdf.html", certificate_context(completion))
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
