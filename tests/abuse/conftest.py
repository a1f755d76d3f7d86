"""Builders for abuse report tests: real small files made with Pillow, and reports made as the form makes them.

Every test here stores evidence under its own temporary ``MEDIA_ROOT``.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from socialgov.abuse.models import AbuseReport, Platform, Safety
from socialgov.abuse.services import report_assign, report_submit
from socialgov.abuse.uploads import file_check

WHAT_HAPPENED = "Someone posted my photo in a local group and told people to find me on my visits."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """A real one-page PDF, as Pillow writes it."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (255, 255, 255)).save(buffer, "PDF")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    """A file as a browser sends it: the name and type it claims are whatever it likes."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def png(name: str = "screenshot.png", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG", size))


def form_data(**fields) -> dict:
    """What the "Report abuse" form posts, with anything overridden."""
    return {
        "platform": Platform.FACEBOOK,
        "links": "https://www.facebook.com/groups/glenmorvenvoice/posts/1",
        "what_happened": WHAT_HAPPENED,
        "how_it_affects": "I am anxious about going out on visits.",
        "safety": Safety.UNSURE,
        "is_contact_wanted": "yes",
    } | fields


def make_report(reporter, *, files: list[SimpleUploadedFile] = (), **fields) -> AbuseReport:
    """A report made through the service, with files checked as the form checks them."""
    values = {
        "platform": Platform.FACEBOOK,
        "links": ["https://www.facebook.com/groups/glenmorvenvoice/posts/1"],
        "what_happened": WHAT_HAPPENED,
        "how_it_affects": "I am anxious about going out on visits.",
        "is_contact_wanted": True,
        "safety": Safety.UNSURE,
    } | fields
    return report_submit(reporter=reporter, files=[file_check(item) for item in files], **values)


@pytest.fixture
def report(staff, comms_lead, wellbeing):
    """``staff``'s report with one screenshot, given by HR wellbeing to ``comms_lead``."""
    made = make_report(staff, files=[png()])
    return report_assign(report=made, comms_lead=comms_lead, by=wellbeing)
