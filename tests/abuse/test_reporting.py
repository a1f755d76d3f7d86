"""Reporting abuse: the form, its files, what the person sees afterwards and who is told."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socialgov.abuse.models import AbuseReport, Evidence
from socialgov.abuse.notices import report_new_tell, report_received_tell
from socialgov.notifications.models import Message, Notification
from tests.abuse.conftest import WHAT_HAPPENED, form_data, image_bytes, make_report, pdf_bytes, png, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = reverse("abuse:new")


def test_the_form_works_without_javascript_as_one_multipart_post(client, staff):
    client.force_login(staff)

    page = client.get(NEW).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="files"' in page
    assert "multiple" in page
    assert "If you are in danger or have been threatened, call 999" in page


def test_a_member_of_staff_reports_abuse_with_screenshots_and_a_pdf(client, staff, media_root):
    client.force_login(staff)
    files = [png("shot.png"), upload("photo.jpg", image_bytes("JPEG"), "image/jpeg"),
             upload("thread.pdf", pdf_bytes(), "application/pdf")]  # fmt: skip

    response = client.post(NEW, form_data(files=files))

    report = AbuseReport.objects.get()
    assert response.url == reverse("abuse:submitted", kwargs={"pk": report.pk})
    assert (report.reporter, report.what_happened, report.status) == (staff, WHAT_HAPPENED, "received")
    assert report.link_list == ["https://www.facebook.com/groups/glenmorvenvoice/posts/1"]
    assert report.is_contact_wanted is True
    evidence = list(report.evidence.all())
    assert [(e.original_name, e.content_type) for e in evidence] == [
        ("shot.png", "image/png"), ("photo.jpg", "image/jpeg"), ("thread.pdf", "application/pdf")]  # fmt: skip
    for item in evidence:
        # Random names with no extension, under MEDIA_ROOT: nothing of the person's file name reaches the disk.
        assert item.file.name.startswith("abuse/evidence/")
        stored = media_root / item.file.name
        assert stored.is_file()
        assert "." not in stored.name
        assert len(stored.name) == 32
        assert stored.stat().st_size == item.size


def test_afterwards_the_person_sees_where_to_find_support(client, staff):
    client.force_login(staff)

    response = client.post(NEW, form_data(), follow=True)

    page = response.content.decode()
    assert "Report sent" in page
    assert "If you are in danger or have been threatened, call 999; for non-emergencies report to Police " \
           "Scotland on 101." in page  # fmt: skip
    assert "Employee assistance programme" in page
    assert "Morag Manager" in page  # their line manager, by name
    assert "HR wellbeing" in page


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (upload("evil.png", b"<html><script>alert(1)</script></html>", "image/png"),
         "“evil.png” is not a screenshot (PNG, JPEG, GIF or WebP) or a PDF"),
        (upload("cut.png", image_bytes("PNG", (300, 200))[:300]), "“cut.png” could not be read as a PNG image"),
        (upload("huge.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024) + b"%%EOF", "application/pdf"),
         "“huge.pdf” is 5.0\xa0MB: each file must be 5.0\xa0MB or smaller"),
    ],
)  # fmt: skip
def test_a_refused_file_names_it_and_keeps_everything_typed(client, staff, media_root, bad, message):
    client.force_login(staff)
    typed = form_data(what_happened="They said they know where I live.", links="https://x.com/someone/status/1\n")

    response = client.post(NEW, typed | {"files": [png("fine.png"), bad]})

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "There is a problem" in page
    assert page.count(message) == 2  # in the error summary and by the field
    assert "They said they know where I live.</textarea>" in page
    assert "https://x.com/someone/status/1" in page
    assert 'value="unsure" checked' in page
    choose_again = response.context["choose_again"]
    assert choose_again == ["fine.png"]
    assert "Choose these files again" in page
    assert not AbuseReport.objects.exists()
    assert not Evidence.objects.exists()
    assert not (media_root / "abuse").exists()


def test_more_than_ten_files_are_refused_and_the_text_kept(client, staff):
    client.force_login(staff)

    response = client.post(NEW, form_data(files=[png(f"shot-{n}.png") for n in range(11)]))

    assert response.status_code == 400
    page = response.content.decode()
    assert "A report can have up to 10 files: you chose 11. Choose 10 or fewer" in page
    assert f"{WHAT_HAPPENED}</textarea>" in page
    assert "Choose your files again" in page
    assert not AbuseReport.objects.exists()


def test_a_text_problem_asks_for_the_good_files_again(client, staff):
    client.force_login(staff)

    response = client.post(NEW, form_data(what_happened="", files=[png("shot.png")]))

    assert response.status_code == 400
    assert "Say what happened" in response.content.decode()
    assert response.context["choose_again"] == ["shot.png"]


def test_links_must_be_web_addresses_one_a_line(client, staff):
    client.force_login(staff)

    response = client.post(NEW, form_data(links="https://www.facebook.com/a\n\njavascript:alert(1)\nftp://x.org/f"))

    errors = response.context["form"].errors["links"]
    assert errors == [
        "The link on line 3, “javascript:alert(1)”, is not a web address: links start with https:// or http://",
        "The link on line 4, “ftp://x.org/f”, is not a web address: links start with https:// or http://",
    ]


def test_the_required_answers_are_asked_for(client, staff):
    client.force_login(staff)

    response = client.post(NEW, {})

    assert set(response.context["form"].errors) == {"platform", "what_happened", "safety", "is_contact_wanted"}


def test_the_person_and_hr_wellbeing_are_told_once(staff, wellbeing, django_capture_on_commit_callbacks):
    second = UserFactory(roles=["HR wellbeing"])
    UserFactory(roles=["HR wellbeing"], is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(staff)
    report_received_tell(report)  # a repeat sends nothing more
    report_new_tell(report)

    expected = [(staff.email, "abuse.received"), (wellbeing.email, "abuse.new_report"),
                (second.email, "abuse.new_report")]  # fmt: skip
    assert sorted(Message.objects.values_list("to_email", "kind")) == sorted(expected)
    assert Notification.objects.count() == 3
    url = reverse("abuse:detail", kwargs={"pk": report.pk})
    assert set(Notification.objects.values_list("url", flat=True)) == {url}


def test_hr_wellbeing_email_holds_only_a_link(staff, wellbeing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(staff, how_it_affects="I cannot sleep.")

    message = Message.objects.get(kind="abuse.new_report")
    for text in (message.subject, message.body_text, message.body_html):
        assert WHAT_HAPPENED not in text
        assert "I cannot sleep" not in text
        assert "facebook" not in text.lower()
        assert staff.get_full_name() not in text
        assert staff.email not in text
    assert f"/abuse-reports/{report.pk}/" in message.body_text


def test_the_confirmation_email_has_no_details_but_has_support(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_report(staff)

    message = Message.objects.get(kind="abuse.received")
    assert WHAT_HAPPENED not in message.body_text
    assert "call 999" in message.body_text
    assert "Police Scotland on 101" in message.body_text


def test_a_report_that_is_not_saved_tells_nobody(client, staff, wellbeing, django_capture_on_commit_callbacks):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, form_data(what_happened=""))

    assert not Message.objects.exists()


def test_my_reports_lists_only_my_own(client, staff, manager):
    mine = make_report(staff)
    make_report(manager)
    client.force_login(staff)

    response = client.get(reverse("abuse:mine"))

    assert [report.pk for report in response.context["reports"]] == [mine.pk]


def test_a_report_that_fails_to_save_leaves_no_files_behind(staff, media_root, monkeypatch):
    saved = []
    original = Evidence.save

    def fail_on_the_second(self, *args, **kwargs):
        saved.append(self.file.name)
        if len(saved) == 2:
            raise RuntimeError("The database went away")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "save", fail_on_the_second)

    with pytest.raises(RuntimeError):
        make_report(staff, files=[png("one.png"), png("two.png")])

    assert len(saved) == 2
    assert not any((media_root / name).exists() for name in saved)
    assert not AbuseReport.objects.exists()
