from django.urls import reverse

from socialgov.people.roles import Role
from tests.factories import UserFactory


def test_an_administrator_without_an_authenticator_is_sent_to_set_one_up(client, db):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_an_administrator_with_an_authenticator_manages_people(client, administrator, staff):
    client.force_login(administrator)
    response = client.get(reverse("admin:people_user_changelist"))
    assert response.status_code == 200
    assert staff.email in response.content.decode()


def test_the_admin_login_form_is_replaced_by_the_normal_sign_in(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_other_roles_cannot_use_the_admin_site(client, hr):
    client.force_login(hr)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
