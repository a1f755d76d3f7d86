from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        from socialgov.notifications.registry import register
        from training.reminders import AssignmentSource, LicenceSource

        register(AssignmentSource())
        register(LicenceSource())
