from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "socialgov.channels"
    label = "channels"
    verbose_name = "Corporate accounts"
