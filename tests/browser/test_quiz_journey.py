"""The Twitiquette quiz in the browser: failed, then passed, completing the course and granting the licence.

A member of staff has acknowledged the social media policy; what stands
between them and the licence to post is the "Social media at work" course and
its quiz. They read both lessons, start the quiz, try to submit it empty, save
one answer and come back to it, fail it (every answer wrong), read the
feedback, try again and pass. The pass completes the course (with a
certificate) and grants the licence. A replayed submission of either attempt
changes nothing. The options whose text starts with "Right" are the correct
ones: that is how the test knows which to click; the attempt page itself must
not say. Every page visited is checked with axe (the ``page`` fixture fails a
test that forgets one).
"""

import re

import pytest
from playwright.sync_api import expect

from policies.models import Category
from policies.services import acknowledgement_record
from tests.policies.conftest import publish_document
from tests.training.conftest import make_course, make_quiz
from training.models import Attempt, AttemptQuestion, Completion, Licence, Option

COURSE = "Social media at work"
COURSE_SLUG = "social-media-at-work"
QUIZ = "Twitiquette quiz"
QUIZ_SLUG = "twitiquette"
POLICY_SLUG = "social-media-policy"
QUESTIONS = 4  # two categories, two questions drawn from each


@pytest.fixture
def licence_rules(settings):
    settings.LICENCE_POLICY_SLUG = POLICY_SLUG
    settings.LICENCE_COURSE_SLUGS = [COURSE_SLUG]
    settings.LICENCE_QUIZ_SLUGS = [QUIZ_SLUG]


def submit(page, control):
    """Click a control that submits a form; returns the response for the page the server sends back."""
    with page.expect_navigation() as navigation:
        control.click()
    return navigation.value


def success_message(page):
    return page.locator(".govuk-notification-banner--success[data-testid=message]")


def questions(page):
    return page.locator("[data-testid=attempt-form] fieldset.govuk-fieldset")


def choose(question, starting: str) -> str:
    """Click the first answer label of ``question`` whose text starts with ``starting``; returns its input's id."""
    label = question.locator("label").filter(has_text=re.compile(rf"^{starting}\b")).first
    label.click()
    input_id = label.get_attribute("for")
    expect(question.locator(f"#{input_id}")).to_be_checked()
    return input_id


def answer_every_question(page, starting: str) -> None:
    expect(questions(page)).to_have_count(QUESTIONS)
    for index in range(QUESTIONS):
        choose(questions(page).nth(index), starting)


def licence_item(page, label: str):
    return page.get_by_test_id("licence").locator("li").filter(has_text=label)


def replay(page, attempt: Attempt, token: str, *, right: bool):
    """Post ``attempt``'s form again by hand, every question answered right (or wrong), as a replay would."""
    form = {"csrfmiddlewaretoken": token, "action": "submit"}
    for aq in attempt.questions.all():
        form[f"q-{aq.pk}"] = str(Option.objects.filter(pk__in=aq.option_order, is_correct=right).first().pk)
    return page.request.post(f"/training/attempts/{attempt.pk}/", form=form)


def answers_of(attempt: Attempt):
    return list(AttemptQuestion.objects.filter(attempt=attempt).order_by("order").values_list("selected", "is_correct"))


def test_a_quiz_taken_to_failure_then_to_a_pass_completes_the_course_and_grants_the_licence(
    page, assert_accessible, sign_in_as, licence_rules, staff, comms_lead, second_comms_lead
):
    policy = publish_document(
        comms_lead, approver=second_comms_lead, title="Social media policy", category=Category.POLICY
    )
    acknowledgement_record(version=policy.current_version, person=staff)
    course = make_course(COURSE, slug=COURSE_SLUG, lessons=2)
    quiz = make_quiz(
        QUIZ_SLUG, course=course, categories=2, per_category=3, draw=2, pass_mark_percent=75, max_attempts=3
    )
    assert quiz.title == QUIZ
    sign_in_as(page, staff)

    # --- Before anything: no licence, the course and the quiz still to do. ---
    page.goto("/training/")
    expect(page.get_by_test_id("licence-status")).to_have_text("No licence yet")
    expect(licence_item(page, "Acknowledge the social media policy")).to_contain_text("Done:")
    expect(licence_item(page, f"Complete {COURSE}")).to_contain_text("Still to do:")
    expect(licence_item(page, f"Pass the {QUIZ}")).to_contain_text("Still to do:")
    expect(licence_item(page, f"Pass the {QUIZ}").get_by_role("link")).to_have_attribute(
        "href", f"/training/quizzes/{QUIZ_SLUG}/"
    )
    assert_accessible(page)

    # --- Both lessons read; the last one leads to the quiz. ---
    licence_item(page, f"Complete {COURSE}").get_by_role("link", name=f"Complete {COURSE}").click()
    page.wait_for_url(f"**/training/courses/{COURSE_SLUG}/")
    expect(page.get_by_test_id("course-quiz")).to_contain_text(f"After the lessons, pass the {QUIZ}")
    expect(page.get_by_test_id("completed")).to_have_count(0)
    assert_accessible(page)
    page.get_by_test_id("continue").click()
    page.wait_for_url(f"**/training/courses/{COURSE_SLUG}/lessons/1/")
    expect(page.get_by_test_id("mark-read")).to_have_text("I have read this: next lesson")
    assert_accessible(page)
    submit(page, page.get_by_test_id("mark-read"))
    assert page.url.endswith(f"/training/courses/{COURSE_SLUG}/lessons/2/")
    expect(page.get_by_test_id("mark-read")).to_have_text("I have read this: go to the quiz")
    assert_accessible(page)
    submit(page, page.get_by_role("button", name="I have read this: go to the quiz"))
    assert page.url.endswith(f"/training/quizzes/{QUIZ_SLUG}/")
    expect(success_message(page)).to_contain_text(
        f"You have read every lesson. Now take the quiz to complete {COURSE}."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ)
    expect(page.get_by_text(f"{QUESTIONS} questions, drawn at random for each attempt.")).to_be_visible()
    expect(page.get_by_text("You pass with 75% or more.")).to_be_visible()
    expect(page.get_by_text("You have 3 attempts (3 left).")).to_be_visible()
    assert_accessible(page)
    # Reading every lesson does not complete a course that has a quiz.
    assert not Completion.objects.filter(person=staff).exists()

    # --- Attempt 1: nothing on the page says which answer is right. ---
    submit(page, page.get_by_test_id("start"))
    first = Attempt.objects.get(person=staff, quiz=quiz)
    assert page.url.endswith(f"/training/attempts/{first.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Attempt 1")
    expect(questions(page)).to_have_count(QUESTIONS)
    assert "Right answer" not in page.content()
    expect(page.get_by_text("Not right")).to_have_count(0)
    assert_accessible(page)

    # Submitting with nothing answered names every question, and marks nothing.
    response = submit(page, page.get_by_role("button", name="Submit your answers"))
    assert response.status == 400
    assert page.url.endswith(f"/training/attempts/{first.pk}/")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text([f"Answer question {n}" for n in range(1, QUESTIONS + 1)])
    expect(summary.get_by_role("link", name="Answer question 1")).to_have_attribute("href", "#question-1")
    expect(page.locator(".govuk-form-group--error")).to_have_count(QUESTIONS)
    assert_accessible(page)
    first.refresh_from_db()
    assert first.submitted_at is None
    assert answers_of(first) == [([], None)] * QUESTIONS

    # One answer saved, to finish later.
    saved_id = choose(questions(page).first, "Wrong")
    submit(page, page.get_by_role("button", name="Save and finish later"))
    assert page.url.endswith(f"/training/quizzes/{QUIZ_SLUG}/")
    expect(success_message(page)).to_contain_text("Your answers are saved. Come back to finish at any time.")
    expect(page.get_by_test_id("resume")).to_have_text("Carry on with attempt 1")
    assert_accessible(page)
    first.refresh_from_db()
    assert first.submitted_at is None
    assert [bool(selected) for selected, _ in answers_of(first)] == [True] + [False] * (QUESTIONS - 1)

    # Resumed: the same attempt, the saved answer still chosen.
    submit(page, page.get_by_role("button", name="Carry on with attempt 1"))
    assert page.url.endswith(f"/training/attempts/{first.pk}/")
    expect(page.locator(f"#{saved_id}")).to_be_checked()
    expect(page.locator("input:checked")).to_have_count(1)
    assert_accessible(page)
    assert Attempt.objects.filter(person=staff).count() == 1

    # --- Every answer wrong: not passed, with feedback and the right answers shown now. ---
    answer_every_question(page, "Wrong")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    submit(page, page.get_by_role("button", name="Submit your answers"))
    assert page.url.endswith(f"/training/attempts/{first.pk}/result/")
    expect(page.get_by_test_id("result")).to_have_text("You did not pass this time")
    expect(page.get_by_text(f"You scored 0 of {QUESTIONS} (0%). The pass mark is 75%.")).to_be_visible()
    for number in range(1, QUESTIONS + 1):
        feedback = page.get_by_test_id(f"feedback-{number}")
        expect(feedback).to_contain_text("You did not get this right.")
        expect(feedback).to_contain_text(re.compile(r"Because \d\.\d\."))
    expect(page.locator(".govuk-tag--green", has_text="Right answer")).to_have_count(QUESTIONS)
    expect(page.locator(".govuk-tag--red", has_text="Not right")).to_have_count(QUESTIONS)
    expect(page.locator("input:disabled")).to_have_count(3 * QUESTIONS)
    assert_accessible(page)
    first.refresh_from_db()
    assert (first.score, first.max_score, first.is_passed) == (0, QUESTIONS, False)
    assert not Licence.objects.filter(person=staff).exists()

    # A replay of the failed attempt with every answer right is refused: it stays failed.
    before = answers_of(first)
    replayed = replay(page, first, token, right=True)
    assert replayed.ok
    assert replayed.url.endswith(f"/training/attempts/{first.pk}/result/")
    assert "You did not pass this time" in replayed.text()
    first.refresh_from_db()
    assert (first.score, first.is_passed) == (0, False)
    assert answers_of(first) == before

    # --- Attempt 2, every answer right: passed, the course completed, the licence granted. ---
    page.get_by_role("link", name="try again").click()
    page.wait_for_url(f"**/training/quizzes/{QUIZ_SLUG}/")
    attempts = page.get_by_test_id("attempts")
    expect(attempts.get_by_role("link", name="Attempt 1")).to_be_visible()
    expect(attempts).to_contain_text(f"0 of {QUESTIONS}")
    expect(attempts).to_contain_text("Not passed")
    expect(page.get_by_text("You have 3 attempts (2 left).")).to_be_visible()
    assert_accessible(page)
    submit(page, page.get_by_role("button", name="Try again"))
    second = Attempt.objects.get(person=staff, quiz=quiz, number=2)
    assert page.url.endswith(f"/training/attempts/{second.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Attempt 2")
    expect(page.locator("input:checked")).to_have_count(0)
    assert "Right answer" not in page.content()
    assert_accessible(page)
    answer_every_question(page, "Right")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    submit(page, page.get_by_role("button", name="Submit your answers"))
    assert page.url.endswith(f"/training/attempts/{second.pk}/result/")
    passed = page.get_by_test_id("result")
    expect(passed).to_have_class(re.compile(r"govuk-panel--confirmation"))
    expect(passed.get_by_role("heading", level=1)).to_have_text("You passed")
    expect(passed).to_contain_text(f"{QUESTIONS} of {QUESTIONS} (100%)")
    for number in range(1, QUESTIONS + 1):
        expect(page.get_by_test_id(f"feedback-{number}")).to_contain_text("You got this right.")
    expect(page.get_by_role("link", name="try again")).to_have_count(0)
    assert_accessible(page)
    second.refresh_from_db()
    assert (second.score, second.is_passed) == (QUESTIONS, True)
    completion = Completion.objects.get(person=staff, course=course)
    licence = Licence.objects.get(person=staff, lapsed_at__isnull=True)

    # A replay of the passed attempt with every answer wrong changes nothing.
    before = answers_of(second)
    replayed = replay(page, second, token, right=False)
    assert replayed.ok
    assert replayed.url.endswith(f"/training/attempts/{second.pk}/result/")
    assert "You passed" in replayed.text()
    second.refresh_from_db()
    assert (second.score, second.is_passed) == (QUESTIONS, True)
    assert answers_of(second) == before
    assert Completion.objects.filter(person=staff).count() == 1
    assert Licence.objects.filter(person=staff).count() == 1

    # Going back to the attempt in the browser shows its result, not the form.
    page.goto(f"/training/attempts/{second.pk}/")
    assert page.url.endswith(f"/training/attempts/{second.pk}/result/")
    expect(page.get_by_test_id("result")).to_contain_text("You passed")
    expect(page.locator("[data-testid=attempt-form]")).to_have_count(0)
    assert_accessible(page)

    # The quiz says so, and no more attempts are offered.
    page.goto(f"/training/quizzes/{QUIZ_SLUG}/")
    expect(page.get_by_test_id("quiz-passed")).to_have_text("You have passed this quiz")
    expect(page.get_by_test_id("start")).to_have_count(0)
    expect(page.get_by_test_id("resume")).to_have_count(0)
    assert_accessible(page)

    # --- Licensed to post, with every requirement done. ---
    page.goto("/training/")
    expect(page.get_by_test_id("licence-status")).to_have_text("Licensed to post")
    for label in ("Acknowledge the social media policy", f"Complete {COURSE}", f"Pass the {QUIZ}"):
        expect(licence_item(page, label)).to_contain_text("Done:")
    expect(page.get_by_test_id("licence")).not_to_contain_text("Still to do")
    expect(page.get_by_test_id("completions")).to_contain_text(completion.certificate_number)
    assert_accessible(page)
    assert licence.lapsed_at is None

    # --- The course is completed, with its certificate. ---
    page.goto(f"/training/courses/{COURSE_SLUG}/")
    completed = page.get_by_test_id("completed")
    expect(completed).to_contain_text("Completed")
    expect(completed.get_by_role("link", name=completion.certificate_number)).to_have_attribute(
        "href", f"/training/certificates/{completion.certificate_number}/"
    )
    expect(page.get_by_test_id("course-quiz")).to_contain_text("Passed")
    assert_accessible(page)
