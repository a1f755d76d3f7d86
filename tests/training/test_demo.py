"""The demo training: three courses, and demo people in every state a course or licence can be in."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from socialgov.people import demo as people_demo
from socialgov.people.models import User
from training.demo import CONTENT, course_texts, lesson_texts
from training.licensing import licence_in_force, requirements_for
from training.models import Assignment, Completion, Course, Lesson, LessonProgress, Licence
from training.selectors import team_of

LOADER = "training.demo.demo_training_load"
DOMAIN = people_demo.DEMO_EMAIL_DOMAIN


@pytest.fixture
def demo(db, settings):
    """The whole demo, in its own order (the policy is there before licences are reviewed)."""
    settings.DEBUG = True
    loaders = people_demo.DEMO_LOADERS
    assert loaders.index("policies.demo.demo_policies_load") < loaders.index(LOADER)
    call_command("load_demo", stdout=StringIO())


def person(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{DOMAIN}")


def main_course() -> Course:
    return Course.objects.get(slug="social-media-at-work")


def read_count(someone, course) -> int:
    return LessonProgress.objects.filter(person=someone, lesson__course=course).count()


def test_the_demo_has_three_courses_with_their_lessons(demo):
    lessons = {course.slug: course.lessons.count() for course in Course.objects.all()}
    assert lessons == {"social-media-at-work": 6, "social-media-refresher": 3, "handling-abuse-online": 4}
    main = main_course()
    assert main.is_for_everyone
    assert main.refresher_months == 12
    abuse = Course.objects.get(slug="handling-abuse-online")
    assert abuse.is_for_public_facing
    assert [d.name for d in abuse.audience_departments.all()] == ["Communications"]
    titles = list(main.lessons.order_by("order").values_list("title", flat=True))
    assert titles[0] == "Why we open social media to all staff"
    assert titles[3] == "Twitiquette and grammar standards"
    for lesson in Lesson.objects.all():
        assert not lesson.body.startswith("Title:")
        assert "<h2" in lesson.body_html
        assert "<h1" not in lesson.body_html


def test_the_lessons_are_plain_markdown_of_the_right_length():
    assert [course.slug for course in course_texts()] == [
        "social-media-at-work",
        "social-media-refresher",
        "handling-abuse-online",
    ]
    for course in course_texts():
        for title, body in lesson_texts(course.slug):
            words = len(body.split())
            assert 250 <= words <= 500, (course.slug, title, words)
            assert not re.search(r"^#(?!#)", body, flags=re.MULTILINE), title
            assert "<" not in body, title
            assert "![" not in body, title
    assert len(list(CONTENT.glob("*/*.md"))) == 13


def test_every_state_is_in_the_demo(demo):
    today = timezone.localdate()
    main = main_course()
    open_main = Assignment.objects.open().filter(course=main).select_related("person")
    not_started = [a for a in open_main if read_count(a.person, main) == 0 and not a.is_overdue(today)]
    in_progress = [a for a in open_main if 0 < read_count(a.person, main) < 6]
    assert not_started
    assert in_progress
    assert Assignment.objects.overdue(today).filter(course=main).exists()
    assert Assignment.objects.filter(status=Assignment.Status.EXEMPT).exists()

    current = Completion.objects.filter(course=main).current(today)
    assert current.count() > 30
    complete = Assignment.objects.filter(course=main, status=Assignment.Status.COMPLETED, completion__in=current)
    assert complete.exists()

    expired = Completion.objects.filter(course=main, expires_on__lte=today)
    assert expired.exists()
    for completion in expired:
        assert not Completion.objects.filter(person=completion.person, course=main).current(today).exists()

    assert Licence.objects.filter(lapsed_at__isnull=True, expires_on__gte=today).count() > 30
    lapsed = Licence.objects.filter(lapsed_at__isnull=False)
    assert lapsed.exists()
    assert all(licence_in_force(licence.person) is None for licence in lapsed)


def test_the_member_of_staff_is_halfway_through_and_has_no_licence_yet(demo):
    ailsa, main = person("ailsa.munro"), main_course()
    assignment = Assignment.objects.open().get(person=ailsa, course=main)
    assert read_count(ailsa, main) == 3
    assert not assignment.is_overdue()
    assert not Completion.objects.filter(person=ailsa, course=main).exists()
    assert licence_in_force(ailsa) is None
    unmet = [r.label for r in requirements_for(ailsa) if not r.is_met]
    assert unmet == ["Complete Social media at work", "Pass the Twitiquette quiz"]


def test_the_managers_team_has_overdue_training_to_chase(demo):
    callum = person("callum.fraser")
    team = {member.person.first_name: member for member in team_of(callum)}
    assert set(team) == {"Ailsa", "Ross", "Niamh"}
    assert team["Ross"].overdue
    assert team["Ailsa"].overdue
    assert team["Niamh"].open
    assert not team["Niamh"].overdue


def test_the_comms_leads_are_licensed(demo):
    for local_part in ("rhona.stewart", "catriona.macleod"):
        licence = licence_in_force(person(local_part))
        assert licence is not None
        assert licence.is_in_force
        assert licence.granted_at < timezone.now() - datetime.timedelta(days=100)


def test_an_expired_completion_brings_a_refresher_and_a_lapsed_licence(demo):
    today = timezone.localdate()
    jean, main = person("jean.rennie"), main_course()
    completion = Completion.objects.get(person=jean, course=main)
    assert completion.expires_on < today
    # The main course is renewed by its shorter refresher course.
    refresher = Assignment.objects.open().get(person=jean, course=main.refreshers.get())
    assert refresher.source == Assignment.Source.REFRESHER
    assert refresher.is_overdue(today)
    [licence] = Licence.objects.filter(person=jean)
    assert licence.lapsed_at is not None
    assert "Social media at work" in licence.lapse_reason
    assert licence.granted_at == completion.completed_at

    # Nearly a year on: the refresher is due the day the completion expires, and the licence holds until then.
    fiona = person("fiona.gray")
    completion = Completion.objects.get(person=fiona, course=main)
    refresher = Assignment.objects.open().get(person=fiona, course=main.refreshers.get())
    assert refresher.source == Assignment.Source.REFRESHER
    assert refresher.due_on == completion.expires_on > today
    assert licence_in_force(fiona) is not None


def test_loading_the_demo_again_changes_no_training_row(demo):
    models = (Course, Lesson, LessonProgress, Assignment, Completion, Licence)
    before = [model.objects.count() for model in models]
    call_command("load_demo", stdout=StringIO())
    assert [model.objects.count() for model in models] == before


def test_the_twitiquette_bank_covers_every_topic_and_licence_holders_passed_its_quiz(demo):
    from training.models import Attempt, Question, Quiz

    quiz = Quiz.objects.get(slug="twitiquette")
    assert quiz.course == main_course()
    assert Question.objects.count() >= 30
    categories = set(Question.objects.values_list("category__name", flat=True))
    assert {"Tone", "Accessibility", "Personal data", "The pre-election period", "Responding to abuse"} <= categories
    assert set(Question.objects.values_list("kind", flat=True)) == {"single", "multiple", "true_false", "spot"}
    holders = set(Licence.objects.filter(lapsed_at__isnull=True).values_list("person_id", flat=True))
    passed = set(Attempt.objects.filter(quiz=quiz, is_passed=True).values_list("person_id", flat=True))
    assert holders
    assert holders <= passed


def test_the_checker_agrees_with_every_demo_spot_question_author():
    """Each option naming a rule was written with an expected answer; the post checker must give the same one."""
    import dataclasses
    import json

    from training import checker
    from training.demo import DEMO_BANNED, DEMO_CAUTIONED, DEMO_CONTACTS

    house = checker.HouseRules(
        banned=tuple(DEMO_BANNED), cautioned=tuple(DEMO_CAUTIONED), allowed_contacts=tuple(DEMO_CONTACTS)
    )
    disagreements = []
    spot = [q for q in json.loads((CONTENT / "twitiquette.json").read_text()) if q["kind"] == "spot"]
    for item in spot:
        draft = checker.Draft(text=item["sample_post"], platform=item["platform"])
        report = checker.check(draft, dataclasses.replace(house, pre_election=item.get("during_pre_election", False)))
        author_marked = any(o["correct"] for o in item["options"] if "rule" not in o)
        for option in item["options"]:
            if "rule" not in option:
                continue
            said = option["rule"] in report.rules_flagged if option["rule"] != "none" else (
                not report.rules_flagged and not author_marked)  # fmt: skip
            if said != option["correct"]:
                disagreements.append(f"{item['sample_post'][:40]}… {option['rule']}: author {option['correct']}")
    assert len(spot) >= 8
    assert disagreements == []


def test_demo_spot_questions_are_decided_by_the_checker_and_the_bank_has_item_analysis(demo):
    from training.analysis import item_analysis
    from training.models import Option, Quiz

    assert Option.objects.exclude(rule="").count() >= 30
    assert not Option.objects.filter(rule="none", is_correct=True).exists()
    items = item_analysis(Quiz.objects.get(slug="twitiquette"))
    answered = [item for item in items if item.answers]
    assert answered
    assert any(item.facility is not None and item.facility < 1 for item in answered)
