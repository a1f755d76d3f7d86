"""What changes a standing: every save of a compliance record, of a person, or of what applies to people.

Records that belong to one person refresh that person when the transaction
commits; a change that can move anyone (a policy published or retired, an
audience, a course withdrawn, a department moved) refreshes everyone in the
background. Bulk writes that skip signals call ``people_changed`` themselves.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from policies.models import Acknowledgement, Document, DocumentVersion
from socialgov.people.models import Department
from socialgov.reports.rollups import everyone_changed, people_changed
from training.models import Assignment, Completion, Course, LessonProgress, Licence

PERSONAL_RECORDS = [Assignment, Completion, LessonProgress, Acknowledgement, Licence]
# Saving only these leaves every standing as it was (signing in saves ``last_login``).
IRRELEVANT_USER_FIELDS = {"last_login", "password", "updated_at"}
DRAFTING = {DocumentVersion.Status.DRAFT, DocumentVersion.Status.SUBMITTED}


def _record_changed(sender, instance, **kwargs):
    people_changed([instance.person_id])


def _person_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= IRRELEVANT_USER_FIELDS:
        return
    people_changed([instance.pk])


def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # people added to or removed from a role, from the role's side
        people_changed(pk_set or [])
    else:
        people_changed([instance.pk])


def _applies_changed(sender, instance=None, created=False, **kwargs):
    """A published document, a course or a department moved: anyone may stand differently."""
    if sender is DocumentVersion and instance.status in DRAFTING:
        return  # drafts are saved as they are written; only publishing, superseding or retiring counts
    if sender is Document and instance.current_version_id is None:
        return  # not published: nobody is asked to acknowledge it
    everyone_changed()


def _department_saving(sender, instance, **kwargs):
    instance._path_before = (
        Department.objects.filter(pk=instance.pk).values_list("path", flat=True).first() if instance.pk else None
    )


def _department_saved(sender, instance, created=False, **kwargs):
    """Only a move changes anyone's scope; a new department (its path set just after creation) has nobody in it."""
    before = getattr(instance, "_path_before", None)
    if before and before != instance.path:
        everyone_changed()


def _audience_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        everyone_changed()


def connect() -> None:
    for model in PERSONAL_RECORDS:
        post_save.connect(_record_changed, sender=model, dispatch_uid=f"reports-{model.__name__}-saved")
        post_delete.connect(_record_changed, sender=model, dispatch_uid=f"reports-{model.__name__}-deleted")
    user = get_user_model()
    post_save.connect(_person_saved, sender=user, dispatch_uid="reports-person-saved")
    m2m_changed.connect(_roles_changed, sender=user.groups.through, dispatch_uid="reports-roles-changed")
    for model in (Document, DocumentVersion, Course):
        post_save.connect(_applies_changed, sender=model, dispatch_uid=f"reports-{model.__name__}-applies")
    pre_save.connect(_department_saving, sender=Department, dispatch_uid="reports-department-saving")
    post_save.connect(_department_saved, sender=Department, dispatch_uid="reports-department-saved")
    for through in (
        Document.audience_departments.through,
        Document.audience_roles.through,
    ):
        m2m_changed.connect(_audience_changed, sender=through, dispatch_uid=f"reports-{through.__name__}")
