from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "socialgov.web"
    label = "web"
    verbose_name = "Web shell"
