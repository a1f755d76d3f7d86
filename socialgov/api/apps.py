from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "socialgov.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        # Registers the token scheme with drf-spectacular before any schema is generated.
        from socialgov.api import schema  # noqa: F401
