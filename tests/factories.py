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


class CourseFactory(factory.django.DjangoModelFactory):
    """A published course with no lessons (add them with ``LessonFactory``)."""

    class Meta:
        model = "training.Course"

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A short course."


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Lesson"

    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    body = "Text."


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An open assignment, written straight to the table (past the services' rules)."""

    class Meta:
        model = "training.Assignment"

    person = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    source = "manual"
    due_on = factory.Faker("date_between", start_date="+30d", end_date="+60d")


class CompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Completion"

    person = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Licence"

    person = factory.SubFactory(UserFactory)
    expires_on = factory.Faker("date_between", start_date="+300d", end_date="+365d")


class PublishedVersionFactory(factory.django.DjangoModelFactory):
    """Version 1.0 of a guidance document, published as the writing pages would; ``author`` is a comms lead."""

    class Meta:
        model = "policies.DocumentVersion"

    author = factory.SubFactory(UserFactory, roles=["Comms lead"])
    title = factory.Sequence(lambda n: f"Guidance {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.utils.text import slugify

        from policies.models import Category
        from policies.services import document_create, draft_for, version_publish

        author, title = kwargs["author"], kwargs["title"]
        document = document_create(author=author, title=title, slug=slugify(title), summary=f"About {title}.",
                                   category=Category.GUIDANCE, owner=author, body="## Text\n\nWords.")  # fmt: skip
        return version_publish(version=draft_for(document), actor=author)


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "policies.Acknowledgement"

    version = factory.SubFactory(PublishedVersionFactory)
    person = factory.SubFactory(UserFactory)
