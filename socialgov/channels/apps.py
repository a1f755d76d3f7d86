from django.apps import AppConfig
from django.db import transaction


class ChannelsConfig(AppConfig):
    name = "socialgov.channels"
    label = "channels"
    verbose_name = "Corporate accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from socialgov.channels import reminders
        from socialgov.notifications import registry
        from socialgov.people.models import User
        from training.models import Licence

        for source in (
            reminders.AccessReviewSource(),
            reminders.TwoStepSource(),
            reminders.CoverSource(),
            reminders.AccessRequestSource(),
            reminders.PauseSource(),
        ):
            registry.register(source)
        registry.register_kind(reminders.REQUEST_DECIDED)
        registry.register_kind(reminders.GRANT_LAPSED)
        post_save.connect(_licence_saved, sender=Licence, dispatch_uid="channels-lapse-after-licence")
        post_save.connect(_person_saved, sender=User, dispatch_uid="channels-lapse-after-leaving")


def _lapse_grants_of(person_id: int) -> None:
    """After the change that caused it commits; a failure here never undoes it, and the nightly run catches up."""
    from socialgov.channels.services import grants_lapse
    from socialgov.people.models import User

    person = User.objects.filter(pk=person_id).first()
    if person is not None:
        grants_lapse(person=person)


def _licence_saved(sender, instance, update_fields=None, **kwargs):
    """A licence lapsed (training writes ``lapsed_at``): the holder's access to accounts lapses at once."""
    if instance.lapsed_at is not None and (update_fields is None or "lapsed_at" in update_fields):
        person_id = instance.person_id
        transaction.on_commit(lambda: _lapse_grants_of(person_id), robust=True)


def _person_saved(sender, instance, update_fields=None, **kwargs):
    """A leaver was deactivated (``person_deactivate`` writes ``is_active``): their access lapses at once."""
    if not instance.is_active and (update_fields is None or "is_active" in update_fields):
        person_id = instance.pk
        transaction.on_commit(lambda: _lapse_grants_of(person_id), robust=True)
