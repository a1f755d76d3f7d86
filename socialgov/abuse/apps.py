from django.apps import AppConfig


class AbuseConfig(AppConfig):
    name = "socialgov.abuse"
    label = "abuse"
    verbose_name = "Abuse reports"

    def ready(self) -> None:
        from socialgov.abuse.notices import KINDS
        from socialgov.notifications import registry

        for kind in KINDS:
            registry.register_kind(kind)
