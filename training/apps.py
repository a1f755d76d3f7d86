from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        from socialgov.notifications.registry import register
        from socialgov.people.signals import staff_list_changed
        from training.reminders import AssignmentSource, LicenceSource

        register(AssignmentSource())
        register(LicenceSource())
        staff_list_changed.connect(_assign_after_import, dispatch_uid="training-assign-after-import")


def _assign_after_import(sender, staff_import, **kwargs):
    from training.tasks import sync_assignments

    sync_assignments.delay()
