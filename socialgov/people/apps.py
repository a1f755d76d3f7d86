from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "socialgov.people"
    label = "people"
    verbose_name = "People and organisation"

    def ready(self) -> None:
        from socialgov.notifications import registry
        from socialgov.people.reminders import AccountSetupSource

        registry.register(AccountSetupSource())
