from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "Policies and guidance"

    def ready(self):
        from policies.reminders import AcknowledgementSource, ApprovalSource, ReviewSource
        from socialgov.notifications.registry import register

        register(AcknowledgementSource())
        register(ReviewSource())
        register(ApprovalSource())
