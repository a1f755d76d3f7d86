"""The support level: scoring, recording an assessment, the path it assigns, the spread by department, the pages."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from training.models import Assignment, Course, SupportAssessment, SupportLevel
from training.support import (
    CONFIDENT_FROM,
    MAX_SCORE,
    NEW_UP_TO,
    QUESTIONS,
    assessment_record,
    latest_level,
    level_for,
    levels_by_department,
    levels_total,
)

pytestmark = pytest.mark.django_db

LOWEST = {question.key: question.answers[0].key for question in QUESTIONS}
HIGHEST = {question.key: question.answers[-1].key for question in QUESTIONS}
# The answer scoring 2 to every question: 6 of 9, Developing.
MIDDLE = {question.key: next(a.key for a in question.answers if a.score == 2) for question in QUESTIONS}


def assess(person, level: str, *, days_ago: int = 0) -> SupportAssessment:
    """An assessment at a known level and time, written directly: for counting, not for the rules."""
    return SupportAssessment.objects.create(
        person=person, answers={}, score=0, level=level, taken_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


# --- Questions and scoring ----------------------------------------------------------


def test_there_are_three_to_five_questions_each_with_three_or_four_answers_scored_from_0_to_3():
    assert 3 <= len(QUESTIONS) <= 5
    assert len({question.key for question in QUESTIONS}) == len(QUESTIONS)
    for question in QUESTIONS:
        assert question.text.endswith("?")
        assert 3 <= len(question.answers) <= 4
        assert len({answer.key for answer in question.answers}) == len(question.answers)
        assert [answer.score for answer in question.answers] == sorted(answer.score for answer in question.answers)
        assert {answer.score for answer in question.answers} <= {0, 1, 2, 3}
        assert question.answers[0].score == 0
        assert question.answers[-1].score == 3
    assert 3 * len(QUESTIONS) == MAX_SCORE


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, SupportLevel.NEW),
        (NEW_UP_TO, SupportLevel.NEW),
        (NEW_UP_TO + 1, SupportLevel.DEVELOPING),
        (CONFIDENT_FROM - 1, SupportLevel.DEVELOPING),
        (CONFIDENT_FROM, SupportLevel.CONFIDENT),
        (MAX_SCORE, SupportLevel.CONFIDENT),
    ],
)
def test_the_level_follows_the_score(score, level):
    assert level_for(score) == level


@pytest.mark.parametrize("score", [-1, MAX_SCORE + 1])
def test_a_score_out_of_range_is_refused(score):
    with pytest.raises(ValueError, match="A score must be between"):
        level_for(score)


def test_nobody_who_gives_a_lowest_answer_is_confident_and_the_middle_answers_are_developing():
    for combination in itertools.product(*[question.answers for question in QUESTIONS]):
        score = sum(answer.score for answer in combination)
        if any(answer.score == 0 for answer in combination):
            assert level_for(score) != SupportLevel.CONFIDENT, combination
    assert level_for(0) == SupportLevel.NEW
    assert level_for(2 * len(QUESTIONS)) == SupportLevel.DEVELOPING


# --- Recording an assessment --------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "score", "level"),
    [(LOWEST, 0, SupportLevel.NEW), (MIDDLE, 6, SupportLevel.DEVELOPING), (HIGHEST, 9, SupportLevel.CONFIDENT)],
)
def test_an_assessment_stores_the_answers_the_score_and_the_level(staff, answers, score, level):
    assessment = assessment_record(person=staff, answers=answers)
    assessment.refresh_from_db()
    assert assessment.person == staff
    assert assessment.answers == answers
    assert (assessment.score, assessment.level) == (score, level)
    assert latest_level(staff) == assessment


def test_a_missing_answer_is_refused_naming_the_question_and_nothing_is_saved(staff):
    answers = dict(HIGHEST)
    del answers[QUESTIONS[1].key]
    with pytest.raises(ValueError, match=f"Answer: {QUESTIONS[1].text}"):
        assessment_record(person=staff, answers=answers)
    with pytest.raises(ValueError, match=f"Answer: {QUESTIONS[0].text}"):
        assessment_record(person=staff, answers={**HIGHEST, QUESTIONS[0].key: ""})
    assert not SupportAssessment.objects.exists()
    assert latest_level(staff) is None


def test_an_unknown_answer_or_question_is_refused_and_nothing_is_saved(staff):
    with pytest.raises(ValueError, match=f"Choose one of the answers given for: {QUESTIONS[2].text}"):
        assessment_record(person=staff, answers={**HIGHEST, QUESTIONS[2].key: "always"})
    with pytest.raises(ValueError, match="Unknown question: shoe_size"):
        assessment_record(person=staff, answers={**HIGHEST, "shoe_size": "9"})
    assert not SupportAssessment.objects.exists()


def test_taking_it_again_adds_an_assessment_and_the_latest_one_counts(staff):
    first = assessment_record(person=staff, answers=LOWEST)
    second = assessment_record(person=staff, answers=HIGHEST)
    assert SupportAssessment.objects.filter(person=staff).count() == 2
    assert latest_level(staff) == second
    assert latest_level(staff).level == SupportLevel.CONFIDENT
    # Even taken in the same instant, the later row wins.
    SupportAssessment.objects.filter(pk=first.pk).update(taken_at=second.taken_at)
    assert latest_level(staff) == second


def test_an_assessment_assigns_the_courses_on_its_levels_path_at_once(staff, manager):
    for_new = Course.objects.create(
        title="Your first posts", slug="your-first-posts", summary="The basics.", support_levels=["new"]
    )
    for_confident = Course.objects.create(
        title="Helping colleagues", slug="helping-colleagues", summary="Mentoring.", support_levels=["confident"]
    )
    assessment_record(person=staff, answers=LOWEST)
    assignment = Assignment.objects.get(person=staff)
    assert assignment.course == for_new
    assert assignment.source == Assignment.Source.SUPPORT
    assert assignment.status == Assignment.Status.OPEN
    assert not Assignment.objects.filter(person=manager).exists()

    assessment_record(person=manager, answers=HIGHEST)
    assert list(Assignment.objects.filter(person=manager).values_list("course", flat=True)) == [for_confident.pk]


# --- The spread by department ------------------------------------------------------


def rows(lines):
    return [
        (line.department, line.depth, line.counts.new, line.counts.developing, line.counts.confident,
         line.counts.not_assessed)
        for line in lines
    ]  # fmt: skip


def test_levels_by_department_counts_each_persons_latest_level_in_their_own_department(staff, manager, department):
    housing = department.parent
    finance = DepartmentFactory(name="Finance")
    DepartmentFactory(name="Empty office")  # nobody here or below: not listed
    assess(staff, SupportLevel.NEW, days_ago=30)
    assess(staff, SupportLevel.CONFIDENT, days_ago=1)  # the latest counts
    assess(manager, SupportLevel.DEVELOPING)
    housing_officer = UserFactory(department=housing)
    assess(housing_officer, SupportLevel.NEW)
    UserFactory(department=finance)  # not assessed
    leaver = UserFactory(department=finance, is_active=False)
    assess(leaver, SupportLevel.NEW)  # has left: not counted
    UserFactory()  # no department, not assessed

    lines = levels_by_department()

    assert rows(lines) == [
        ("Communities", 0, 0, 0, 0, 0),
        ("Housing", 1, 1, 0, 0, 0),
        ("Tenancy team", 2, 0, 1, 1, 0),
        ("Finance", 0, 0, 0, 0, 1),
        ("No department", 0, 0, 0, 0, 1),
    ]
    total = levels_total(lines)
    assert (total.total, total.new, total.developing, total.confident, total.not_assessed) == (5, 1, 1, 1, 2)
    assert total.assessed == 3
    assert total.assessed_percent == 60
    assert [(level, count, percent) for level, _label, count, percent in total.levels] == [
        ("new", 1, 20),
        ("developing", 1, 20),
        ("confident", 1, 20),
        ("not_assessed", 2, 40),
    ]


def test_levels_by_department_with_nobody_assessed(staff):
    lines = levels_by_department()
    assert rows(lines) == [("Communities", 0, 0, 0, 0, 0), ("Housing", 1, 0, 0, 0, 0), ("Tenancy team", 2, 0, 0, 0, 2)]
    assert levels_total(lines).assessed_percent == 0


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_levels_by_department_runs_the_same_queries_for_five_people_or_fifty():
    levels = [SupportLevel.NEW, SupportLevel.DEVELOPING, SupportLevel.CONFIDENT, None]
    root = DepartmentFactory(name="Root")
    for n in range(5):
        person = UserFactory(department=root)
        if levels[n % 4]:
            assess(person, levels[n % 4])
    small = count_queries(levels_by_department)
    assert sum(line.counts.total for line in levels_by_department()) == 5

    parents = [root]
    for n in range(6):
        parents.append(DepartmentFactory(name=f"Team {n}", parent=parents[n // 2]))
    for n in range(45):
        person = UserFactory(department=parents[n % len(parents)])
        if levels[n % 4]:
            assess(person, levels[n % 4], days_ago=2)
            assess(person, levels[(n + 1) % 4] or SupportLevel.NEW, days_ago=1)

    assert count_queries(levels_by_department) == small
    assert sum(line.counts.total for line in levels_by_department()) == 50


# --- The pages --------------------------------------------------------------------


def page_text(response) -> str:
    return response.content.decode()


def test_someone_who_has_not_taken_it_sees_the_questions_as_radios(client, staff):
    client.force_login(staff)
    response = client.get(reverse("training:support"))
    assert response.status_code == 200
    text = page_text(response)
    assert text.count('type="radio"') == sum(len(question.answers) for question in QUESTIONS)
    for question in QUESTIONS:
        assert question.text in text
        assert f'id="id_{question.key}"' in text
    assert "Take it again" not in text
    assert [label for label, _url in response.context["breadcrumbs"]] == ["Home", "Your learning", "Support level"]


def test_answering_nothing_shows_the_error_summary_and_saves_nothing(client, staff):
    client.force_login(staff)
    response = client.post(reverse("training:support"), {})
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text
    assert "<title>Error: " in text
    for question in QUESTIONS:
        assert f'<a href="#id_{question.key}">Answer: {question.text}</a>' in text
    assert not SupportAssessment.objects.exists()


def test_one_question_left_out_is_named_and_the_other_answers_are_kept(client, staff):
    client.force_login(staff)
    answers = {key: value for key, value in HIGHEST.items() if key != QUESTIONS[2].key}
    response = client.post(reverse("training:support"), answers)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [QUESTIONS[2].key]
    assert f"Answer: {QUESTIONS[2].text}" in page_text(response)
    assert page_text(response).count(" checked>") == len(QUESTIONS) - 1


def test_an_answer_that_is_not_offered_is_refused(client, staff):
    client.force_login(staff)
    response = client.post(reverse("training:support"), {**HIGHEST, QUESTIONS[0].key: "daily"})
    assert response.status_code == 400
    assert f"Answer: {QUESTIONS[0].text}" in page_text(response)
    assert not SupportAssessment.objects.exists()


def test_answering_records_the_level_and_shows_the_path_and_who_to_ask(client, staff, comms_lead):
    comms_lead.first_name, comms_lead.last_name = "Catriona", "Comms"
    comms_lead.save()
    on_path = Course.objects.create(
        title="Replying to the public", slug="replying", summary="Replies.", support_levels=["developing", "new"]
    )
    Course.objects.create(title="Mentoring", slug="mentoring", summary="Help others.", support_levels=["confident"])
    Course.objects.create(
        title="Draft course", slug="draft", summary="Not ready.", support_levels=["developing"], is_published=False
    )
    client.force_login(staff)

    response = client.post(reverse("training:support"), MIDDLE, follow=True)

    assert response.redirect_chain == [(reverse("training:support"), 302)]
    text = page_text(response)
    assert "Your support level is Developing" in text
    assert SupportAssessment.objects.get(person=staff).level == SupportLevel.DEVELOPING
    assert response.context["courses"] == [on_path]
    assert "Replying to the public" in text
    assert "Mentoring" not in text
    assert "Draft course" not in text
    assert "Catriona Comms" in text
    assert 'href="mailto:comms@glenmorven.gov.uk"' in text
    assert 'href="?retake=1"' in text
    assert Assignment.objects.filter(person=staff, course=on_path, source=Assignment.Source.SUPPORT).exists()


def test_the_result_page_without_courses_or_comms_leads_says_what_to_do(client, staff):
    assess(staff, SupportLevel.NEW)
    client.force_login(staff)
    text = page_text(client.get(reverse("training:support")))
    assert "There are no courses for your level yet" in text
    assert "Nobody is listed as a comms lead yet" in text


def test_taking_it_again_starts_from_the_last_answers_and_the_new_level_counts(client, staff):
    client.force_login(staff)
    client.post(reverse("training:support"), LOWEST)
    response = client.get(reverse("training:support") + "?retake=1")
    assert response.status_code == 200
    assert response.context["form"].initial == LOWEST
    assert "Your answers from last time are already chosen" in page_text(response)

    response = client.post(reverse("training:support"), HIGHEST, follow=True)
    assert "Your support level is Confident" in page_text(response)
    assert SupportAssessment.objects.filter(person=staff).count() == 2
    assert latest_level(staff).level == SupportLevel.CONFIDENT


def test_the_levels_page_is_for_comms_leads_hr_and_administrators(client, staff, manager, comms_lead, hr):
    url = reverse("training:support-levels")
    for person in (staff, manager):
        client.force_login(person)
        assert client.get(url).status_code == 403
    assess(staff, SupportLevel.NEW)
    for person in (comms_lead, hr):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        text = page_text(response)
        assert "<caption" in text
        assert "By department" in text
        assert "Tenancy team" in text
        assert 'class="sg-bar__fill" style="width: 50%"' in text  # Tenancy team: 1 of 2 assessed


def test_the_levels_page_says_when_nobody_has_taken_it(client, comms_lead):
    client.force_login(comms_lead)
    response = client.get(reverse("training:support-levels"))
    assert response.status_code == 200
    assert "Nobody has taken the self-assessment yet" in page_text(response)


def test_the_levels_page_runs_the_same_queries_for_five_people_or_fifty(client, comms_lead):
    client.force_login(comms_lead)
    url = reverse("training:support-levels")
    root = DepartmentFactory(name="Root")
    for n in range(4):
        assess(UserFactory(department=root), [SupportLevel.NEW, SupportLevel.CONFIDENT][n % 2])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    small = len(queries)
    for n in range(45):
        department = DepartmentFactory(name=f"Team {n}", parent=root) if n % 9 == 0 else root
        assess(UserFactory(department=department), SupportLevel.DEVELOPING)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == small
