from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "socialgov.rota"
    label = "rota"
    verbose_name = "On-call rota"
