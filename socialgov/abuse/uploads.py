"""Checking evidence files by what they contain, not by what they are called.

Only screenshots (PNG, JPEG, GIF, WebP) and PDFs are kept. An image must be
one Pillow recognises as one of those formats *and* can decode to the end, so
an HTML page or a program renamed ``.png`` is refused, and so is a screenshot
cut short by a failed transfer. A PDF must start with ``%PDF-`` and end with
``%%EOF``. The name and type the browser sent are never trusted; the name is
kept only to show and to offer when the file is downloaded.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageFile

from socialgov.abuse.models import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, Evidence

FileType = Evidence.FileType

IMAGE_FORMATS = {"PNG": FileType.PNG, "JPEG": FileType.JPEG, "GIF": FileType.GIF, "WEBP": FileType.WEBP}
EXTENSIONS = {
    FileType.PNG: (".png",),
    FileType.JPEG: (".jpg", ".jpeg"),
    FileType.GIF: (".gif",),
    FileType.WEBP: (".webp",),
    FileType.PDF: (".pdf",),
}
# Decoding a picture needs memory in proportion to its pixels: a full-page screenshot is a few million; a
# 5 MB file claiming far more is refused before it is decoded.
MAX_PIXELS = 40_000_000
# A PDF ends with "%%EOF", give or take trailing whitespace or a few bytes a tool added after it.
PDF_TAIL_BYTES = 1024
MAX_NAME_LENGTH = 200
ALLOWED_KINDS = "a screenshot (PNG, JPEG, GIF or WebP) or a PDF"


_strict_decoding = threading.Lock()


@contextmanager
def _refusing_truncated_images() -> Iterator[None]:
    """Decode as if Pillow had never been told to accept truncated images.

    ``ImageFile.LOAD_TRUNCATED_IMAGES`` is one setting for the whole process,
    and WeasyPrint (the certificate PDFs) turns it on when it is imported; with
    it on, a JPEG or GIF cut short decodes without complaint. It is turned off
    only while a file is checked, one check at a time, and put back after.
    """
    with _strict_decoding:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


class UploadRefused(ValueError):
    """A file that is not kept; the message names it and says what to do."""


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    size: int


def clean_name(name: str) -> str:
    """The file's own name without any folders, control characters or excess length."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base)
    base = re.sub(r"\s+", " ", base).strip(" .") or "file"
    if len(base) > MAX_NAME_LENGTH:
        stem, extension = os.path.splitext(base)
        extension = extension[:10]
        base = stem[: MAX_NAME_LENGTH - len(extension)] + extension
    return base


def download_name(name: str, content_type: str) -> str:
    """The name to save a download as: its extension always says what the file really is."""
    extensions = EXTENSIONS.get(content_type, ())
    if extensions and not name.lower().endswith(extensions):
        return name + extensions[0]
    return name


def _detect_pdf(upload: UploadedFile, name: str) -> str | None:
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        return None
    upload.seek(max(0, upload.size - PDF_TAIL_BYTES))
    if b"%%EOF" not in upload.read():
        raise UploadRefused(f"“{name}” is not a complete PDF: it may be damaged or not fully downloaded")
    return FileType.PDF


def _detect_image(upload: UploadedFile, name: str) -> str | None:
    upload.seek(0)
    try:
        image = Image.open(upload, formats=list(IMAGE_FORMATS))
    except Exception:  # Pillow's format plugins raise many kinds of error on bytes that are not theirs.
        return None
    with image:
        file_type = IMAGE_FORMATS.get(image.format)
        if file_type is None:
            return None
        if image.width * image.height > MAX_PIXELS:
            raise UploadRefused(f"“{name}” is too large a picture to check: choose a smaller screenshot")
    damaged = f"“{name}” could not be read as a {image.format} image: it may be damaged or cut short"
    try:
        with _refusing_truncated_images():
            upload.seek(0)
            with Image.open(upload, formats=[image.format]) as check:
                check.verify()
            # verify() checks little beyond a PNG's chunks: decoding every pixel finds a JPEG, GIF or WebP cut short.
            upload.seek(0)
            with Image.open(upload, formats=[image.format]) as check:
                if check.format == "JPEG":
                    # Decoded at an eighth of the size: every byte is still read, in far less memory.
                    check.draft("RGB", (max(1, check.width // 8), max(1, check.height // 8)))
                check.load()
    except Exception as error:
        raise UploadRefused(damaged) from error
    return file_type


def file_check(upload: UploadedFile) -> CheckedFile:
    """Keep a file only if its bytes are a screenshot or a PDF within the size limit."""
    name = clean_name(upload.name)
    if not upload.size:
        raise UploadRefused(f"“{name}” is empty: choose the file again, or another one")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise UploadRefused(
            f"“{name}” is {filesizeformat(upload.size)}: each file must be {filesizeformat(MAX_EVIDENCE_BYTES)} "
            "or smaller"
        )
    content_type = _detect_pdf(upload, name) or _detect_image(upload, name)
    upload.seek(0)
    if content_type is None:
        raise UploadRefused(f"“{name}” is not {ALLOWED_KINDS}: it was not added")
    return CheckedFile(upload=upload, name=name, content_type=content_type, size=upload.size)


def files_check(uploads: list[UploadedFile], *, already: int = 0) -> tuple[list[CheckedFile], list[str]]:
    """Every file checked; the accepted ones and a problem for each refused one (or one for too many files)."""
    room = MAX_EVIDENCE_FILES - already
    if len(uploads) > room:
        chosen = f"you chose {len(uploads)}" + (f" and it already has {already}" if already else "")
        if room <= 0:
            return [], [f"A report can have up to {MAX_EVIDENCE_FILES} files and this one already has {already}"]
        return [], [f"A report can have up to {MAX_EVIDENCE_FILES} files: {chosen}. Choose {room} or fewer"]
    accepted, problems = [], []
    for upload in uploads:
        try:
            accepted.append(file_check(upload))
        except UploadRefused as refusal:
            problems.append(str(refusal))
    return accepted, problems
