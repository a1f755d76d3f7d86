from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "socialgov.rota"
    label = "rota"
    verbose_name = "On-call rota"

    def ready(self) -> None:
        from socialgov.notifications import registry
        from socialgov.rota.reminders import KINDS

        for kind in KINDS:
            registry.register_kind(kind)
