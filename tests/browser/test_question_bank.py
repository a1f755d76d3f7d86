"""The question bank in the browser: a comms lead uploads a broken GIFT file (nothing is imported, every problem
is listed with its line), then the hand-written GIFT file; the bank counts the new questions and links to the
quiz's item analysis, which shows the attempts made so far.

Every page visited is checked with axe (the ``page`` fixture fails a test that forgets one).
"""

from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.training.conftest import make_quiz
from training.models import Attempt, AttemptQuestion, Question

DATA = Path(__file__).resolve().parent.parent / "training" / "data"


def submit(page, control):
    with page.expect_navigation():
        control.click()


def test_a_comms_lead_imports_questions_and_reads_the_item_analysis(page, assert_accessible, sign_in_as, comms_lead,
                                                                    tmp_path):  # fmt: skip
    quiz = make_quiz("twitiquette", categories=1, per_category=2, draw=2)
    before = Question.objects.count()
    sign_in_as(page, comms_lead)
    page.goto("/training/")
    assert_accessible(page)
    page.get_by_role("link", name="Question bank").click()
    page.wait_for_url("**/training/bank/")
    expect(page.get_by_test_id("quizzes")).to_contain_text("Twitiquette quiz: item analysis")
    assert_accessible(page)

    # A broken file: a good question, then one with no right answer and one with an unclosed brace.
    broken = tmp_path / "broken.gift"
    broken.write_text(
        "::Good::Is this fine?{TRUE}\n\n::No right::Pick one{~a ~b}\n\n::Open::Never closed{=yes ~no\n",
        encoding="utf-8",
    )
    page.get_by_test_id("import-link").click()
    page.wait_for_url("**/training/bank/import/")
    assert_accessible(page)
    page.get_by_label("Question file").set_input_files(str(broken))
    submit(page, page.get_by_role("button", name="Import questions"))
    problems = page.get_by_test_id("problem")
    expect(problems.first).to_be_visible()
    expect(page.get_by_test_id("error-summary")).to_contain_text("No right")
    expect(page.get_by_test_id("error-summary")).to_contain_text("line 3")
    assert Question.objects.count() == before
    assert_accessible(page)

    # The hand-written file imports, skipping what the bank cannot hold.
    page.get_by_label("Question file").set_input_files(str(DATA / "bank.gift"))
    submit(page, page.get_by_role("button", name="Import questions"))
    expect(page.get_by_test_id("report")).to_be_visible()
    expect(page.get_by_test_id("skipped")).to_be_visible()
    assert Question.objects.count() > before
    assert_accessible(page)

    # Attempts so far, and the analysis of them.
    questions = list(Question.objects.filter(category__in=quiz.draws.values("category")))
    for n in range(3):
        attempt = Attempt.objects.create(quiz=quiz, person=UserFactory(), number=1, submitted_at=timezone.now(),
                                         score=n % 2 + 1, max_score=2)  # fmt: skip
        for order, question in enumerate(questions, start=1):
            AttemptQuestion.objects.create(attempt=attempt, question=question, order=order,
                                           is_correct=order == 1 or n % 2 == 1)  # fmt: skip
    page.goto("/training/bank/")
    page.get_by_role("link", name="Twitiquette quiz: item analysis").click()
    page.wait_for_url("**/training/quizzes/twitiquette/analysis/")
    expect(page.get_by_test_id("quiz-summary")).to_contain_text("3")
    expect(page.get_by_test_id("score-distribution")).to_be_visible()
    expect(page.get_by_test_id("items").locator("tbody tr")).to_have_count(2)
    assert_accessible(page)
