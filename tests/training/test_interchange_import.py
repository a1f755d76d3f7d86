"""Importing Moodle XML and GIFT files into the question bank: exactly what they hold, or nothing at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.interchange import MAX_PROBLEMS, MAX_UPLOAD_BYTES, BankImportError, bank_import
from training.models import Option, Question, QuestionCategory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def import_file(name: str, *, data: bytes | None = None, fmt: str | None = None, default_category: str = "Imported"):
    content = (DATA / name).read_bytes() if data is None else data
    return bank_import(data=content, filename=name, fmt=fmt, default_category=default_category)


def bank_contents() -> list[dict]:
    """The whole bank as plain data, in a stable order, to compare with what a file says."""
    return [
        {
            "category": q.category.name,
            "kind": q.kind,
            "text": q.text,
            "explanation": q.explanation,
            "options": [(o.text, o.is_correct) for o in q.options.order_by("order")],
        }
        for q in Question.objects.select_related("category").order_by("pk")
    ]


def counts() -> tuple[int, int, int]:
    return QuestionCategory.objects.count(), Question.objects.count(), Option.objects.count()


def test_a_moodle_xml_file_imports_exactly_its_multiple_choice_and_true_false_questions():
    report = import_file("bank.xml")

    assert report.format == "Moodle XML"
    assert report.created == {"Tone": 1, "Accessibility": 3}
    assert report.new_categories == ["Tone", "Accessibility"]
    assert bank_contents() == [
        {
            "category": "Tone",
            "kind": "single",
            "text": "A resident's bin has been missed for the third week. Which reply has the right tone?",
            "explanation": "Say sorry & say what happens next.",
            "options": [
                ("Sorry about that – send us your address and we'll collect it.", True),
                ("As stated on our website, collections may be delayed.", False),
                ("Not our fault & the crews are doing their best!!", False),
            ],
        },
        {
            "category": "Accessibility",
            "kind": "multiple",
            "text": "Which of these make a post more accessible?",
            "explanation": "Alt text and CamelCase hashtags help screen readers.",
            "options": [
                ("Alt text on images", True),
                ("Hashtags written in CamelCase, like #BinDay", True),
                ("Emoji between every word", False),
                ("Text inside images <only>", False),
            ],
        },
        {
            "category": "Accessibility",
            "kind": "true_false",
            "text": "Animated GIFs need alt text too.\nEven short ones.",
            "explanation": "Every image needs a description.",
            "options": [("True", True), ("False", False)],
        },
        {
            "category": "Accessibility",
            "kind": "true_false",
            "text": "Videos can go out without captions if they are under 30 seconds.",
            "explanation": "",
            "options": [("True", False), ("False", True)],
        },
    ]
    assert [str(skipped) for skipped in report.skipped] == [
        "Question “Describe our tone” (line 62): It is an essay question, which the question bank cannot hold.",
        "Question “Alt text acronym” (line 148): It is a short-answer question, which the question bank cannot hold.",
    ]
    assert report.describe() == "Imported 4 questions: 1 into Tone, 3 into Accessibility. 2 skipped."


def test_a_gift_file_imports_exactly_its_questions_with_weights_feedback_and_escapes():
    report = import_file("bank.gift")

    assert report.format == "GIFT"
    assert report.created == {"Tone": 3, "Accessibility": 4}
    assert bank_contents() == [
        {
            "category": "Tone",
            "kind": "single",
            "text": "A resident's bin has been missed for the third week. Which reply has the right tone?",
            "explanation": "Say sorry and say what happens next.",
            "options": [
                ("Sorry about that : send us your address and we'll collect it.", True),
                ("As stated on our website, collections may be delayed.", False),
                ("Not our fault = the crews are doing their best!!", False),
            ],
        },
        {
            "category": "Tone",
            "kind": "true_false",
            "text": "A little light humour is fine on a corporate account.",
            "explanation": "Never at anyone's expense.",
            "options": [("True", True), ("False", False)],
        },
        {
            "category": "Tone",
            "kind": "multiple",
            "text": "Which of these are **too formal** for a post?",
            "explanation": "",
            "options": [
                ('"utilise"', True),
                ('"unforeseen circumstances"', True),
                ('"use"', False),
                ('"today"', False),
            ],
        },
        {
            "category": "Accessibility",
            "kind": "single",
            "text": "Which hashtag is easiest for a screen reader & why?",
            "explanation": "",
            "options": [("#BinDay", True), ("#binday", False), ("#BINDAY", False)],
        },
        {
            "category": "Accessibility",
            "kind": "true_false",
            "text": "Put emoji at the end of a post, not between words.",
            "explanation": "",
            "options": [("True", True), ("False", False)],
        },
        {
            "category": "Accessibility",
            "kind": "true_false",
            "text": "Screen readers read text inside images aloud.",
            "explanation": "",
            "options": [("True", False), ("False", True)],
        },
        {
            "category": "Accessibility",
            "kind": "single",
            "text": "Which of these needs escaping in GIFT: { } ~ = # and a backslash \\ ?",
            "explanation": "",
            "options": [("All of them", True), ("None of them", False)],
        },
    ]
    assert [str(skipped) for skipped in report.skipped] == [
        "Question “Capacity” (line 40): It is a numerical question, which the question bank cannot hold.",
        "Question “Match the platform” (line 42): It is a matching question, which the question bank cannot hold.",
        "Question “Describe” (line 47): It has no answers in { }: it is a description, not a question.",
    ]


@pytest.mark.parametrize("name", ["bank.xml", "bank.gift"])
def test_importing_the_same_file_twice_adds_nothing_and_says_why(name):
    first = import_file(name)
    before = counts()

    again = import_file(name)

    assert counts() == before
    assert again.created == {}
    assert again.describe() == "No questions were added: every question in the file was skipped."
    already = [s for s in again.skipped if "already in the bank" in s.reason]
    assert len(already) == first.total
    assert str(already[0]).endswith("It is already in the bank, in Tone.")


def test_a_question_repeated_in_the_file_is_imported_once():
    gift = b"::One::Is this the same?{T}\n\n::Two::Is   this the same?{T}\n"
    report = import_file("repeat.gift", data=gift)

    assert report.total == 1
    assert [str(s) for s in report.skipped] == [
        "Question “Two” (line 3): It is the same as the question on line 1, earlier in this file."
    ]


def test_spot_questions_with_the_same_text_but_different_posts_are_not_duplicates():
    def spot(post: str) -> str:
        return (
            '::S::[html]<p>What is wrong?</p><blockquote class\\="socialgov-sample-post">'
            f"<p>{post}</p></blockquote>{{~%100%Caps ~%-100%Nothing}}"
        )

    report = import_file("spot.gift", data=f"{spot('CLOSED TODAY')}\n\n{spot('OPEN TODAY')}\n".encode())

    assert report.total == 2
    assert sorted(Question.objects.values_list("sample_post", flat=True)) == ["CLOSED TODAY", "OPEN TODAY"]


def test_questions_without_a_category_go_into_the_category_the_importer_chose():
    report = import_file("plain.gift", data=b"Is this uncategorised?{T}\n", default_category="  From Moodle ")

    assert report.created == {"From Moodle": 1}
    assert Question.objects.get().category.name == "From Moodle"


def test_a_category_in_the_file_is_matched_to_the_bank_whatever_its_case():
    tone = QuestionCategory.objects.create(name="Tone")
    report = import_file("tone.gift", data=b"$CATEGORY: $course$/top/tone\n\nBe kind?{T}\n")

    assert report.new_categories == []
    assert Question.objects.get().category == tone


def test_moodle_category_paths_use_their_last_part_and_a_doubled_slash_is_part_of_a_name():
    xml = """<?xml version="1.0"?>
<quiz>
  <question type="category"><category><text>$module$/top/Training/Before//after</text></category></question>
  <question type="truefalse">
    <questiontext format="html"><text>Yes?</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
  </question>
  <question type="category"><category><text>$course$/top</text></category></question>
  <question type="truefalse">
    <questiontext format="html"><text>No?</text></questiontext>
    <answer fraction="0"><text>true</text></answer><answer fraction="100"><text>false</text></answer>
  </question>
</quiz>"""
    report = import_file("paths.xml", data=xml.encode())

    assert report.created == {"Before/after": 1, "Imported": 1}


def test_single_choice_counts_only_the_full_mark_answer_as_right_and_hidden_questions_stay_out_of_quizzes():
    xml = """<quiz><question type="multichoice"><name><text>Partial</text></name>
<questiontext format="plain_text"><text>Pick the best reply</text></questiontext><hidden>1</hidden>
<single>true</single>
<answer fraction="100"><text>Best</text></answer><answer fraction="50"><text>Fair</text></answer>
<answer fraction="0"><text>Poor</text></answer></question></quiz>"""
    import_file("partial.xml", data=xml.encode())

    question = Question.objects.get()
    assert [(o.text, o.is_correct) for o in question.options.order_by("order")] == [
        ("Best", True),
        ("Fair", False),
        ("Poor", False),
    ]
    assert question.is_active is False


def test_html_is_reduced_to_plain_text_and_scripts_never_reach_the_bank():
    xml = """<quiz><question type="multichoice"><questiontext format="html"><text><![CDATA[
<p>Is <script>alert("x")</script><b>this</b> safe&nbsp;&amp; sound?</p><p>Second <i>paragraph</i></p>
]]></text></questiontext><answer fraction="100"><text>&lt;img src=x onerror=alert(1)&gt;Yes</text></answer>
<answer fraction="0"><text>No</text></answer></question></quiz>"""
    import_file("html.xml", data=xml.encode())

    question = Question.objects.get()
    assert question.text == "Is this safe & sound?\n\nSecond paragraph"
    assert list(question.options.values_list("text", flat=True)) == ["Yes", "No"]


GOOD_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Good one</text></name>
    <questiontext format="html"><text>This is fine.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
"""
GOOD_GIFT = "::Good one::This is fine.{T}\n\n"

MALFORMED = [
    pytest.param(
        "bad.xml",
        GOOD_XML + '  <question type="multichoice">\n    <name><text>Broken</text></name>\n    <questiontext>'
        "<text>Oops</questiontext>\n  </question>\n</quiz>\n",
        "Question “Broken” (line 11): The file is not well-formed XML: mismatched tag.",
        id="xml-not-well-formed",
    ),
    pytest.param(
        "bad.xml",
        '<?xml version="1.0"?>\n<questions>\n</questions>\n',
        "Line 2: This is not a Moodle XML question file: it starts with <questions>, not <quiz>.",
        id="xml-not-a-quiz",
    ),
    pytest.param(
        "bad.xml",
        GOOD_XML + '  <question type="multichoice">\n    <name><text>No answer</text></name>\n'
        '    <questiontext format="html"><text>Which?</text></questiontext>\n'
        '    <answer fraction="0"><text>This</text></answer>\n    <answer fraction="0"><text>That</text></answer>\n'
        "  </question>\n</quiz>\n",
        "Question “No answer” (line 9): No option is marked as correct.",
        id="xml-no-correct-answer",
    ),
    pytest.param(
        "bad.xml",
        GOOD_XML + '  <question type="multichoice">\n    <name><text>Blank</text></name>\n'
        '    <questiontext format="html"><text>Which?</text></questiontext>\n'
        '    <answer fraction="100"><text>This</text></answer>\n    <answer fraction="0"><text> </text></answer>\n'
        "  </question>\n</quiz>\n",
        "Question “Blank” (line 13): Option 2 has no text.",
        id="xml-option-without-text",
    ),
    pytest.param(
        "bad.xml",
        GOOD_XML + '  <question type="category">\n    <category><text>$elsewhere$/top/Tone</text></category>\n'
        "  </question>\n</quiz>\n",
        "Line 9: The category path “$elsewhere$/top/Tone” starts with $elsewhere$, which is not a Moodle context",
        id="xml-unknown-category-path",
    ),
    pytest.param(
        "bad.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;">\n]>\n'
        "<quiz>&lol2;</quiz>\n",
        "Line 2: The file declares a document type or entities, which question files do not use",
        id="xml-entities-refused",
    ),
    pytest.param(
        "bad.gift",
        GOOD_GIFT + "// a comment\n::Unbalanced::Which one?{\n=This\n~That\n\n::Next::Fine?{T}\n",
        "Question “Unbalanced” (line 4): The { that opens the answers is never closed with }.",
        id="gift-unclosed-brace",
    ),
    pytest.param(
        "bad.gift",
        GOOD_GIFT + "::Stray::Which one? =This ~That}\n",
        "Question “Stray” (line 3): There is a } with no { before it.",
        id="gift-stray-closing-brace",
    ),
    pytest.param(
        "bad.gift",
        GOOD_GIFT + "Which one?{\n~This\n~That\n}\n",
        "Question 2 (line 3): No option is marked as correct.",
        id="gift-no-correct-answer",
    ),
    pytest.param(
        "bad.gift",
        GOOD_GIFT + "::Empty option::Which one?{\n=This\n~\n}\n",
        "Question “Empty option” (line 5): Option 2 has no text.",
        id="gift-option-without-text",
    ),
    pytest.param(
        "bad.gift",
        GOOD_GIFT + "$CATEGORY: $course$/top/ /Tone\n\n::After::Fine?{T}\n",
        "Line 3: The category path “$course$/top/ /Tone” has an empty part between its slashes.",
        id="gift-unknown-category-path",
    ),
]


def bank_with_a_question() -> None:
    category = QuestionCategory.objects.create(name="Tone")
    question = Question.objects.create(category=category, kind="true_false", text="Already here?")
    Option.objects.create(question=question, text="True", is_correct=True, order=0)
    Option.objects.create(question=question, text="False", order=1)


@pytest.mark.parametrize(("name", "content", "message"), MALFORMED)
def test_a_malformed_file_is_refused_with_the_question_and_line_and_nothing_is_imported(name, content, message):
    bank_with_a_question()
    before = counts()

    with pytest.raises(BankImportError) as refused:
        import_file(name, data=content.encode())

    assert counts() == before
    shown = [str(problem) for problem in refused.value.problems]
    assert any(line.startswith(message) for line in shown), shown
    assert str(refused.value).startswith("Nothing was imported: the file has")


@pytest.mark.parametrize(
    ("data", "name", "fmt", "message"),
    [
        (b"", "empty.gift", None, "The file is empty."),
        (b"  \n\n ", "empty.xml", None, "The file is empty."),
        (GOOD_GIFT.encode() + "::Café::Ça va?{T}\n".encode("latin-1"), "latin.gift", None,
         "Line 3: The file is not saved as UTF-8: this line has a character that cannot be read (byte 0xE9)."),
        (b"x" * (MAX_UPLOAD_BYTES + 1), "huge.gift", None, "The file is larger than 2 MB: split it into smaller"),
        (GOOD_GIFT.encode(), "bank.docx", None, "The file name does not end in .xml, .gift or .txt"),
        (GOOD_GIFT.encode(), "bank.gift", "csv", "“csv” is not a format the bank reads"),
        (b"Just a sentence with no questions.\n", "words.xml", None, "Line 1: The file is not well-formed XML"),
        (b"// only a comment\n", "comment.gift", None, "The file has no questions in it: is it a GIFT file?"),
    ],
)  # fmt: skip
def test_files_that_cannot_be_read_are_refused_with_a_clear_reason(data, name, fmt, message):
    with pytest.raises(BankImportError) as refused:
        bank_import(data=data, filename=name, fmt=fmt, default_category="Imported")

    assert str(refused.value.problems[0]).startswith(message)
    assert counts() == (0, 0, 0)


def test_every_problem_is_reported_not_just_the_first_and_the_good_questions_are_not_saved():
    gift = (
        "::Good::Fine?{T}\n\n"
        "::First bad::Which?{~a ~b}\n\n"
        "::Also good::Fine too?{F}\n\n"
        "::Second bad::Which?{=a ~}\n\n"
        "::Third bad::Which?{=a ~b\n"
    )
    with pytest.raises(BankImportError) as refused:
        import_file("bad.gift", data=gift.encode())

    assert [str(problem) for problem in refused.value.problems] == [
        "Question “First bad” (line 3): No option is marked as correct.",
        "Question “Second bad” (line 7): Option 2 has no text.",
        "Question “Third bad” (line 9): The { that opens the answers is never closed with }.",
    ]
    assert counts() == (0, 0, 0)


def test_problems_are_capped_and_the_rest_counted():
    gift = "\n\n".join(f"::Q{n}::Which?{{~a ~b}}" for n in range(MAX_PROBLEMS + 10))
    with pytest.raises(BankImportError) as refused:
        import_file("many.gift", data=gift.encode())

    assert len(refused.value.problems) == MAX_PROBLEMS
    assert refused.value.total == MAX_PROBLEMS + 10
    assert refused.value.more == 10


def test_a_single_choice_question_with_two_full_mark_answers_is_refused():
    with pytest.raises(BankImportError) as refused:
        import_file("two.gift", data=b"::Two right::Which?{=a =b ~c}\n")

    assert str(refused.value.problems[0]).startswith(
        "Question “Two right” (line 1): 2 options are marked fully correct, but a single-choice question has one"
    )


def test_a_default_category_that_is_too_long_is_refused():
    with pytest.raises(BankImportError) as refused:
        import_file("plain.gift", data=b"Fine?{T}\n", default_category="x" * 101)

    assert "must be 100 characters or fewer" in str(refused.value.problems[0])
