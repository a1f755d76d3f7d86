from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socialgov.reports"
    label = "reports"
    verbose_name = "Compliance reports"

    def ready(self) -> None:
        from socialgov.reports import signals

        signals.connect()
