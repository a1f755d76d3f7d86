from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "socialgov.notifications"
    label = "notifications"
    verbose_name = "Reminders and notifications"
