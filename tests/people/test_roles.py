from socialgov.people.models import User
from socialgov.people.roles import Role, has_role, is_manager, user_roles
from socialgov.people.services import person_set_roles
from tests.factories import UserFactory


def test_a_manager_is_anyone_with_current_reports(staff, manager):
    assert is_manager(manager)
    assert not is_manager(staff)


def test_administrators_may_use_the_admin_site_and_lose_it_with_the_role(db):
    person = UserFactory(roles=[Role.ADMINISTRATOR])
    assert person.is_staff
    assert person.is_superuser
    person_set_roles(person=person, roles=[Role.HR])
    person.refresh_from_db()
    assert not person.is_staff
    assert user_roles(User.objects.get(pk=person.pk)) == {Role.HR}


def test_role_lookups_cost_one_query_per_request(hr, django_assert_num_queries):
    person = User.objects.get(pk=hr.pk)
    with django_assert_num_queries(1):
        assert has_role(person, Role.HR)
        assert not has_role(person, Role.COMMS_LEAD)
        assert user_roles(person) == {Role.HR}


def test_everyone_below_a_manager_is_found_in_one_query(staff, manager, django_assert_num_queries):
    director = UserFactory()
    manager.line_manager = director
    manager.save()
    with django_assert_num_queries(1):
        below = set(User.objects.below(director))
    assert below == {manager, staff}
