from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socialgov.reports"
    label = "reports"
    verbose_name = "Compliance reports"

    def ready(self) -> None:
        from socialgov.notifications import registry
        from socialgov.reports import signals
        from socialgov.reports.nudges import NUDGE

        signals.connect()
        registry.register_kind(NUDGE)
