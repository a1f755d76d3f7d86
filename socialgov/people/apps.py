from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "socialgov.people"
    label = "people"
    verbose_name = "People and organisation"
