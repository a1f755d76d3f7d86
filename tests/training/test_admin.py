"""Courses are written in the admin site: rules that cannot work are refused with a clear message."""

import pytest

from tests.training.conftest import make_course
from training.admin import CourseForm

pytestmark = pytest.mark.django_db


def form_for(course=None, **changes):
    base = {"title": "Course", "slug": "course", "summary": "About it.", "estimated_minutes": 20,
            "due_within_days": 28, "support_levels": "[]", "is_published": "on"}  # fmt: skip
    data = base | changes
    return CourseForm(data=data, instance=course)


def test_a_course_cannot_refresh_itself_or_close_a_circle(db):
    first = make_course("First")
    second = make_course("Second", refreshes=first)
    form = form_for(first, title="First", slug="first", refreshes=second.pk)
    assert not form.is_valid()
    assert form.errors["refreshes"] == ["Courses cannot refresh each other in a circle: Second → First."]


def test_an_onboarding_course_for_nobody_is_refused():
    form = form_for(is_onboarding="on")
    assert not form.is_valid()
    assert "An onboarding course needs an audience" in form.errors["is_onboarding"][0]
    assert form_for(is_onboarding="on", is_for_everyone="on").is_valid()


def test_unknown_support_levels_are_named():
    form = form_for(support_levels='["expert"]')
    assert not form.is_valid()
    assert form.errors["support_levels"][0].startswith("Unknown support levels: expert.")


def test_saving_a_course_in_the_admin_site_assigns_it_by_its_rules(client, administrator, staff, settings,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    from django.urls import reverse

    from training.models import Assignment

    client.force_login(administrator)
    data = {"title": "Everyone's course", "slug": "everyones-course", "summary": "For all.", "estimated_minutes": 20,
            "due_within_days": 28, "support_levels": "[]", "is_published": "on", "is_for_everyone": "on",
            "lessons-TOTAL_FORMS": 0, "lessons-INITIAL_FORMS": 0}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:training_course_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Assignment.objects.filter(person=staff, course__slug="everyones-course").exists()
