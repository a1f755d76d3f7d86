"""factory_boy factories: the one way tests make people and departments."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from socialgov.people.models import Department, User
from socialgov.people.services import department_create, person_set_roles

PASSWORD = "Correct-horse-battery-9"
# A fixed base32 secret so tests can compute codes for the authenticator (pyotp).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return department_create(name=kwargs["name"], parent=kwargs.get("parent"))


class UserFactory(factory.django.DjangoModelFactory):
    """A current member of staff with a verified email address and a known password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@glenmorven.gov.uk")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    job_title = "Officer"
    department = None
    line_manager = None

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            person_set_roles(person=obj, roles=extracted)

    @factory.post_generation
    def with_mfa(obj, create, extracted, **kwargs):
        """Pass ``with_mfa=True`` to give the person an authenticator app."""
        if create and extracted:
            TOTP.activate(obj, TOTP_SECRET)
