"""Evidence files are judged by their bytes: screenshots and PDFs in, anything else out, each refusal naming it."""

from __future__ import annotations

import re

import pytest

from socialgov.abuse.models import MAX_EVIDENCE_BYTES
from socialgov.abuse.uploads import UploadRefused, clean_name, download_name, file_check, files_check
from tests.abuse.conftest import image_bytes, pdf_bytes, png, upload

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("screenshot.png", image_bytes("PNG"), "image/png"),
        ("photo.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("animation.gif", image_bytes("GIF"), "image/gif"),
        ("capture.webp", image_bytes("WEBP"), "image/webp"),
        ("thread.pdf", pdf_bytes(), "application/pdf"),
    ],
)
def test_it_accepts_screenshots_and_pdfs_by_their_bytes(name, data, expected):
    checked = file_check(upload(name, data, content_type="application/octet-stream"))

    assert (checked.name, checked.content_type, checked.size) == (name, expected, len(data))


def test_the_type_comes_from_the_bytes_not_the_name_or_the_browser():
    checked = file_check(upload("screenshot.jpg", image_bytes("PNG"), content_type="image/jpeg"))

    assert checked.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "data"),
    [("screenshot.png", HTML), ("screenshot.png", EXE), ("report.pdf", b"PK\x03\x04 a zip file"),
     ("picture.png", image_bytes("BMP")), ("notes.png", b"just some text\n")],
)  # fmt: skip
def test_it_refuses_anything_else_naming_the_file(name, data):
    with pytest.raises(UploadRefused, match=f"“{name}” is not a screenshot \\(PNG, JPEG, GIF or WebP\\) or a PDF"):
        file_check(upload(name, data))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_it_refuses_an_image_cut_short(fmt):
    data = image_bytes(fmt, (300, 200))

    with pytest.raises(UploadRefused, match=r"“cut\.png” (could not be read|is not a screenshot)"):
        file_check(upload("cut.png", data[: len(data) // 2]))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_an_image_cut_short_is_refused_even_when_pillow_was_told_to_accept_them(fmt, monkeypatch):
    """WeasyPrint tells Pillow, for the whole process, to accept truncated images when it is imported."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = image_bytes(fmt, (300, 200))

    with pytest.raises(UploadRefused, match=r"“cut\.png” (could not be read|is not a screenshot)"):
        file_check(upload("cut.png", data[: len(data) // 2]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    assert file_check(upload("whole.png", data)).size == len(data)


def test_a_truncated_png_is_called_damaged():
    data = image_bytes("PNG", (300, 200))

    with pytest.raises(UploadRefused, match=re.escape("“cut.png” could not be read as a PNG image: it may be damaged")):
        file_check(upload("cut.png", data[: len(data) // 2]))


def test_it_refuses_a_pdf_cut_short():
    data = pdf_bytes()

    with pytest.raises(UploadRefused, match=re.escape("“thread.pdf” is not a complete PDF")):
        file_check(upload("thread.pdf", data[: len(data) - 40]))


def test_it_refuses_a_file_over_5_mb_before_reading_it():
    data = b"%PDF-" + b"0" * MAX_EVIDENCE_BYTES + b"%%EOF"

    with pytest.raises(
        UploadRefused, match=re.escape("“big.pdf” is 5.0\xa0MB: each file must be 5.0\xa0MB or smaller")
    ):
        file_check(upload("big.pdf", data))


def test_it_refuses_an_empty_file():
    with pytest.raises(UploadRefused, match=re.escape("“empty.png” is empty")):
        file_check(upload("empty.png", b""))


def test_it_refuses_a_picture_too_large_to_decode_safely():
    with pytest.raises(UploadRefused, match=re.escape("“huge.png” is too large a picture")):
        file_check(png("huge.png", size=(8000, 6000)))


def test_more_than_ten_files_are_refused_together():
    accepted, problems = files_check([png(f"{n}.png") for n in range(11)])

    assert accepted == []
    assert problems == ["A report can have up to 10 files: you chose 11. Choose 10 or fewer"]


def test_the_limit_counts_the_files_a_report_already_has():
    _accepted, problems = files_check([png("a.png"), png("b.png")], already=9)

    assert problems == ["A report can have up to 10 files: you chose 2 and it already has 9. Choose 1 or fewer"]
    assert files_check([png("a.png")], already=9)[1] == []


def test_good_files_are_kept_and_each_bad_one_named():
    accepted, problems = files_check([png("good.png"), upload("bad.png", HTML), png("also-good.png")])

    assert [checked.name for checked in accepted] == ["good.png", "also-good.png"]
    assert problems == ["“bad.png” is not a screenshot (PNG, JPEG, GIF or WebP) or a PDF: it was not added"]


@pytest.mark.parametrize(
    ("given", "kept"),
    [("C:\\Users\\ailsa\\Desktop\\shot 1.png", "shot 1.png"), ("../../etc/passwd", "passwd"),
     ("bad\x00name\n.png", "badname.png"), ("", "file"), ("x" * 300 + ".png", "x" * 196 + ".png")],
)  # fmt: skip
def test_names_lose_folders_and_control_characters(given, kept):
    assert clean_name(given) == kept


def test_a_download_name_always_ends_as_what_the_file_is():
    assert download_name("screenshot.png", "image/png") == "screenshot.png"
    assert download_name("Screenshot.JPEG", "image/jpeg") == "Screenshot.JPEG"
    assert download_name("screenshot.jpg", "image/png") == "screenshot.jpg.png"
    assert download_name("evil.html", "application/pdf") == "evil.html.pdf"
