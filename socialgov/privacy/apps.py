from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "socialgov.privacy"
    label = "privacy"
    verbose_name = "Data protection"
