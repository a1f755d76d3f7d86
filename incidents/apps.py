from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        from incidents.escalation import BREACH, PAGE
        from incidents.reminders import ReviewActionSource
        from socialgov.notifications import registry

        registry.register_kind(PAGE)
        registry.register_kind(BREACH)
        registry.register(ReviewActionSource())
