from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        from policies.signals import acknowledgement_recorded
        from socialgov.notifications.registry import register
        from socialgov.people.signals import staff_list_changed
        from training.reminders import AssignmentSource, LicenceSource

        register(AssignmentSource())
        register(LicenceSource())
        staff_list_changed.connect(_assign_after_import, dispatch_uid="training-assign-after-import")
        acknowledgement_recorded.connect(_review_licence, dispatch_uid="training-licence-after-acknowledgement")


def _assign_after_import(sender, staff_import, **kwargs):
    from training.tasks import sync_assignments

    sync_assignments.delay()


def _review_licence(sender, acknowledgement, **kwargs):
    """The licence policy acknowledged: if that was the last thing missing, the licence is granted now."""
    from django.conf import settings

    from training.licensing import licence_review

    if acknowledgement.version.document.slug == settings.LICENCE_POLICY_SLUG:
        licence_review(person=acknowledgement.person)
