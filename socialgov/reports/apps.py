from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socialgov.reports"
    label = "reports"
    verbose_name = "Compliance reports"
