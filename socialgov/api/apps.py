from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "socialgov.api"
    label = "api"
    verbose_name = "API"
