"""The question bank pages: comms leads see the bank, import files whole or not at all, and export them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from training.interchange import bank_parse
from training.models import Option, Question, QuestionCategory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def text(response) -> str:
    return response.content.decode()


def upload(client, name: str, data: bytes | None = None, *, fmt: str = "auto", default_category: str = "Imported"):
    content = (DATA / name).read_bytes() if data is None else data
    return client.post(
        reverse("training:bank-import"),
        {"file": SimpleUploadedFile(name, content), "format": fmt, "default_category": default_category},
    )


def test_a_comms_lead_imports_a_moodle_file_and_sees_what_was_added_and_skipped(client, comms_lead):
    client.force_login(comms_lead)

    response = upload(client, "bank.xml")

    assert response.status_code == 200
    page = text(response)
    assert "Imported 4 questions: 1 into Tone, 3 into Accessibility. 2 skipped." in page
    assert 'data-testid="report"' in page
    assert "Question “Describe our tone”" in page
    assert "It is an essay question, which the question bank cannot hold." in page
    assert ">148<" in page  # the short-answer question's line
    assert Question.objects.count() == 4


def test_a_gift_file_named_txt_is_read_as_gift_and_the_chosen_format_wins(client, comms_lead):
    client.force_login(comms_lead)
    gift = (DATA / "bank.gift").read_bytes()

    upload(client, "bank.txt", gift)
    assert Question.objects.count() == 7
    upload(client, "questions.dat", b"Fine?{T}\n", fmt="gift", default_category="Odds and ends")
    assert Question.objects.filter(category__name="Odds and ends").count() == 1


def test_a_refused_file_keeps_the_form_lists_every_problem_and_saves_nothing(client, comms_lead):
    client.force_login(comms_lead)
    gift = b"::Good::Fine?{T}\n\n::No right answer::Which?{~a ~b}\n\n::Unclosed::Which?{=a ~b\n"

    response = upload(client, "bad.gift", gift, default_category="From Moodle")

    assert response.status_code == 200
    page = text(response)
    assert "Error: Import questions" in page
    assert "Nothing was imported: the file has 2 problems. Fix them and upload the file again." in page
    assert "Question “No right answer” (line 3): No option is marked as correct." in page
    assert "Question “Unclosed” (line 5): The { that opens the answers is never closed with }." in page
    assert page.count('data-testid="problem"') == 2
    assert 'value="From Moodle"' in page
    assert 'data-testid="bank-import-form"' in page
    assert (QuestionCategory.objects.count(), Question.objects.count(), Option.objects.count()) == (0, 0, 0)


def test_the_form_says_what_is_missing(client, comms_lead):
    client.force_login(comms_lead)

    page = text(client.post(reverse("training:bank-import"), {"format": "auto", "default_category": ""}))

    assert "Select a question file" in page
    assert "Enter a category for questions without one" in page


def test_the_bank_page_counts_questions_by_kind_in_a_fixed_number_of_queries(
    client, comms_lead, django_assert_max_num_queries
):
    client.force_login(comms_lead)
    upload(client, "bank.gift")
    QuestionCategory.objects.create(name="Empty")

    with django_assert_max_num_queries(9):
        response = client.get(reverse("training:bank"))

    page = text(response)
    assert "7 questions in 3 categories" in page
    tone = QuestionCategory.objects.get(name="Tone")
    row = page.split(f'data-testid="category-{tone.pk}"')[1].split("</tr>")[0]
    cells = [cell.split("<")[0] for cell in row.split('govuk-table__cell--numeric">')[1:]]
    assert cells == ["1", "1", "1", "0", "3"]  # single, multiple, true or false, spot, all
    assert f"{reverse('training:bank-export')}?format=gift&amp;category={tone.pk}" in page
    assert f"{reverse('training:bank-export')}?format=xml" in page
    assert reverse("training:bank-import") in page


def test_the_bank_page_says_when_it_is_empty(client, administrator):
    client.force_login(administrator)

    page = text(client.get(reverse("training:bank")))

    assert 'data-testid="empty-bank"' in page
    assert "There is nothing to export yet." in page


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"), [("xml", "application/xml", "xml"), ("gift", "text/plain", "gift")]
)
def test_a_comms_lead_downloads_the_bank_or_a_category(client, comms_lead, fmt, content_type, extension):
    client.force_login(comms_lead)
    upload(client, "bank.gift")
    tone = QuestionCategory.objects.get(name="Tone")

    whole = client.get(reverse("training:bank-export"), {"format": fmt})
    one = client.get(reverse("training:bank-export"), {"format": fmt, "category": tone.pk})

    assert whole["Content-Type"].startswith(content_type)
    assert whole["Content-Disposition"] == f'attachment; filename="question-bank.{extension}"'
    assert one["Content-Disposition"] == f'attachment; filename="question-bank-tone.{extension}"'
    _, parsed = bank_parse(data=whole.content, filename="", fmt=fmt)
    assert len(parsed.questions) == 7
    _, parsed = bank_parse(data=one.content, filename="", fmt=fmt)
    assert {q.category for q in parsed.questions} == {"Tone"}
    assert len(parsed.questions) == 3


def test_the_export_without_parameters_is_the_whole_bank_in_moodle_xml(client, comms_lead):
    client.force_login(comms_lead)

    response = client.get(reverse("training:bank-export"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="question-bank.xml"'


@pytest.mark.parametrize(
    "params",
    [
        {"format": "pdf"},
        {"format": ""},
        {"category": "abc"},
        {"category": "²"},
        {"category": "-1"},
        {"category": "999999"},
        {"category": "9" * 40},
        {"format": "gift", "category": "1 OR 1=1"},
    ],
)
def test_bad_export_parameters_get_a_friendly_400_not_an_error(client, comms_lead, params):
    client.force_login(comms_lead)

    response = client.get(reverse("training:bank-export"), params)

    assert response.status_code == 400
    page = text(response)
    assert 'data-testid="export-error"' in page
    assert "Question bank" in page


@pytest.mark.parametrize("persona", ["staff", "manager", "hr", "incident_lead"])
def test_people_who_do_not_write_quizzes_cannot_see_import_or_export_the_bank(client, personas, persona):
    client.force_login(personas[persona])

    assert client.get(reverse("training:bank")).status_code == 403
    assert client.get(reverse("training:bank-export"), {"format": "gift"}).status_code == 403
    assert upload(client, "bank.gift").status_code == 403
    assert Question.objects.count() == 0


def test_comms_leads_find_the_bank_in_the_header_and_staff_do_not(client, comms_lead, staff):
    bank_link = f'href="{reverse("training:bank")}"'
    client.force_login(comms_lead)
    assert bank_link in text(client.get(reverse("web:home")))
    client.force_login(staff)
    assert bank_link not in text(client.get(reverse("web:home")))
