"""Exporting the bank and importing it into an empty one gives the same questions, spot questions included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.interchange import bank_export, bank_import, bank_parse, bank_questions
from training.interchange.richtext import SAMPLE_POST_CLASS
from training.models import Option, Question, QuestionCategory

pytestmark = pytest.mark.django_db

DEMO_BANK = Path(__file__).resolve().parents[2] / "training" / "demo_content" / "twitiquette.json"


def add(category: str, kind: str, text: str, options: list[tuple[str, bool]], **fields) -> Question:
    question = Question.objects.create(
        category=QuestionCategory.objects.get_or_create(name=category)[0], kind=kind, text=text, **fields
    )
    Option.objects.bulk_create(
        Option(question=question, text=option, is_correct=correct, order=order)
        for order, (option, correct) in enumerate(options)
    )
    return question


@pytest.fixture
def bank():
    """The demo twitiquette bank, and questions written to trip up an exporter."""
    for item in json.loads(DEMO_BANK.read_text(encoding="utf-8")):
        add(item["category"], item["kind"], item["text"], [(o["text"], o["correct"]) for o in item["options"]],
            sample_post=item.get("sample_post", ""), explanation=item.get("explanation", ""))  # fmt: skip
    add(
        "Before/after",
        "spot",
        "What is wrong with this post?\n\nChoose every problem.",
        [("ALL CAPS", True), ("A {hashtag} ~ = # : \\ problem", True), ("%50% off", False), ("Nothing", False)],
        sample_post="VOTE for our <b>new</b> leisure centre & pool!!!\nOpening {soon} ~ #BinDay: 50% = half",
        platform="facebook",
        during_pre_election=True,
        explanation="Line one.\nLine two & <three>.",
    )
    add("Before/after", "single", "Is 100% = {all}? Use \\n for a new line: ok", [("%50% off", True), ("No", False)],
        explanation="CDATA ends with ]]> & that is fine.")  # fmt: skip
    add("Before/after", "multiple", "Pick three", [("a", True), ("b", True), ("c", True), ("d", False)])
    add("Before/after", "true_false", "Hidden and false", [("True", False), ("False", True)], is_active=False)


def snapshot(*, with_hidden: bool) -> list[tuple]:
    rows = []
    for q in Question.objects.select_related("category").prefetch_related("options"):
        spot = q.kind == "spot"
        rows.append(
            (
                q.category.name,
                q.kind,
                q.text,
                q.explanation,
                q.sample_post,
                q.platform if spot else "",
                q.during_pre_election if spot else False,
                q.is_active if with_hidden else True,
                tuple((o.text, o.is_correct) for o in sorted(q.options.all(), key=lambda o: o.order)),
            )
        )
    return sorted(rows)


def empty_the_bank() -> None:
    Question.objects.all().delete()
    QuestionCategory.objects.all().delete()


@pytest.mark.parametrize(("fmt", "filename", "keeps_hidden"), [("xml", "bank.xml", True), ("gift", "bank.gift", False)])
def test_the_bank_exported_and_imported_into_an_empty_bank_is_the_same_bank(bank, fmt, filename, keeps_hidden):
    before = snapshot(with_hidden=keeps_hidden)
    exported = bank_export(bank_questions(), fmt)
    empty_the_bank()

    report = bank_import(data=exported.encode(), filename=filename, fmt=None, default_category="Imported")

    assert report.skipped == []
    assert report.total == len(before) == 46
    assert snapshot(with_hidden=keeps_hidden) == before
    assert Question.objects.filter(kind="spot").count() == 9


@pytest.mark.parametrize("fmt", ["xml", "gift"])
def test_an_exported_file_imported_again_into_the_same_bank_adds_nothing(bank, fmt):
    exported = bank_export(Question.objects.all(), fmt)
    count = Question.objects.count()

    report = bank_import(data=exported.encode(), filename=f"bank.{fmt}", fmt=fmt, default_category="Imported")

    assert report.total == 0
    assert len(report.skipped) == count
    assert Question.objects.count() == count


@pytest.mark.parametrize("fmt", ["xml", "gift"])
def test_exporting_one_category_writes_only_its_questions(bank, fmt):
    tone = QuestionCategory.objects.get(name="Tone")
    exported = bank_export(bank_questions(tone), fmt)

    _, parsed = bank_parse(data=exported.encode(), filename="", fmt=fmt)
    assert parsed.problems == []
    assert {q.category for q in parsed.questions} == {"Tone"}
    assert len(parsed.questions) == tone.questions.count()


def test_the_moodle_xml_export_is_what_moodle_expects(bank):
    exported = bank_export(bank_questions(QuestionCategory.objects.get(name="Before/after")), "xml")

    assert exported.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    assert "<text>$course$/top/Before//after</text>" in exported
    # A spot question is a multiple-answer multichoice question whose text quotes the sample post.
    assert exported.count("<single>false</single>") == 2
    marked = f'<blockquote class="{SAMPLE_POST_CLASS}" data-platform="facebook" data-pre-election="true">'
    assert marked in exported
    assert '<answer fraction="50" format="html">' in exported
    assert '<answer fraction="-100" format="html">' in exported
    assert '<answer fraction="33.3333333" format="html">' in exported
    assert "<hidden>1</hidden>" in exported
    assert '<question type="truefalse">' in exported


def test_the_gift_export_is_what_moodle_expects(bank):
    exported = bank_export(bank_questions(QuestionCategory.objects.get(name="Before/after")), "gift")

    assert "$CATEGORY: $course$/top/Before//after\n" in exported
    assert "::Is 100% \\= \\{all\\}? Use \\\\n for a new line\\: ok::[plain]Is 100% \\= \\{all\\}?" in exported
    assert "\t=%100%%50% off\n" in exported
    assert "\t~%33.33333%a\n\t~%33.33333%b\n\t~%33.33333%c\n\t~%-100%d\n" in exported
    assert "[plain]Hidden and false{FALSE}" in exported
    spot = "[html]<p>What is wrong with this post?</p><p>Choose every problem.</p>"
    assert f'{spot}<blockquote class\\="{SAMPLE_POST_CLASS}" data-platform\\="facebook"' in exported


def test_a_spot_question_written_by_hand_in_moodle_xml_imports_as_a_spot_question():
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Shouting</text></name>
    <questiontext format="html"><text><![CDATA[<p>What is wrong with this post?</p>
<blockquote class="socialgov-sample-post" data-platform="x"><p>CLOSED TODAY!!!</p><p>Sorry.</p></blockquote>]]></text>
    </questiontext>
    <single>false</single>
    <answer fraction="100"><text>ALL CAPS</text></answer>
    <answer fraction="-100"><text>Nothing is wrong</text></answer>
  </question>
</quiz>"""
    bank_import(data=xml.encode(), filename="spot.xml", fmt=None, default_category="Tone")

    question = Question.objects.get()
    assert (question.kind, question.text, question.sample_post) == (
        "spot",
        "What is wrong with this post?",
        "CLOSED TODAY!!!\n\nSorry.",
    )
    assert (question.platform, question.during_pre_election) == ("x", False)
