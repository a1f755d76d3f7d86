"""The admin site for reminders: policies, people's preferences, notifications and the outbox.

Failed deliveries are the thing administrators most need to find: the outbox
list says how many there are, links straight to them, shows why each failed,
and has an action to send them again once the cause is fixed.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from socialgov.notifications import registry
from socialgov.notifications.models import Message, Notification, Preference, ReminderPolicy, parse_offsets
from socialgov.notifications.services import messages_retry


def kind_label(key: str) -> str:
    kind = registry.kind(key)
    return kind.label if kind else key


class KindFilter(admin.SimpleListFilter):
    """Filter by kind of reminder, listed by label."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(((kind.key, kind.label) for kind in registry.kinds()), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class ReminderPolicyForm(forms.ModelForm):
    kind = forms.ChoiceField(label="Kind of reminder", choices=registry.kind_choices)

    class Meta:
        model = ReminderPolicy
        fields = ["kind", "offsets", "overdue_every_days", "escalate_after_days", "is_enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.kind if self.instance.pk else ""
        known = dict(registry.kind_choices())
        if stored and stored not in known:
            # A policy for a kind no app sends any more shows that kind, not another one; it can be deleted.
            self.fields["kind"].choices = [*registry.kind_choices(), (stored, f"{stored} (no longer sent)")]

    def clean_offsets(self) -> str:
        """Store the days in one form, largest first: "7, 1, 0"."""
        return ", ".join(str(days) for days in parse_offsets(self.cleaned_data["offsets"]))


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(SimpleHistoryAdmin):
    form = ReminderPolicyForm
    list_display = ["kind_label", "offsets", "overdue_every_days", "escalate_after_days", "is_enabled"]
    list_filter = ["is_enabled"]

    @admin.display(description="kind of reminder", ordering="kind")
    def kind_label(self, policy: ReminderPolicy) -> str:
        return kind_label(policy.kind)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "digest_time", "switched_off"]
    search_fields = ["person__email", "person__first_name", "person__last_name"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]

    @admin.display(description="reminders switched off")
    def switched_off(self, preference: Preference) -> str:
        return ", ".join(kind_label(key) for key in preference.opted_out_kinds) or "None"


class WrittenByTheEngine(admin.ModelAdmin):
    """Records only the engine writes: nobody adds them by hand, so there is no page for adding one."""

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        return [url for url in super().get_urls() if not (url.name or "").endswith("_add")]


@admin.register(Notification)
class NotificationAdmin(WrittenByTheEngine):
    """Administrators look at notifications; they do not edit them."""

    list_display = ["title", "recipient", "kind_label", "due_on", "created_at", "read_at"]
    list_filter = [KindFilter, ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__email", "key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="kind", ordering="kind")
    def kind_label(self, notification: Notification) -> str:
        return kind_label(notification.kind)


@admin.register(Message)
class MessageAdmin(WrittenByTheEngine):
    """The outbox: every email, whether it was sent, and if not, why not."""

    list_display = ["to", "kind_label", "subject", "status", "attempts", "reason", "created_at", "sent_at"]
    list_filter = ["status", KindFilter, "is_urgent"]
    search_fields = ["to_email", "subject", "idempotency_key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in Message._meta.fields]
    fieldsets = [
        (None, {"fields": ["status", "last_error", "attempts", "recipient", "to_email", "kind", "subject"]}),
        ("Timing", {"fields": ["created_at", "send_after", "claimed_at", "sent_at", "digest_date", "is_urgent"]}),
        ("Content", {"classes": ["collapse"], "fields": ["body_text", "body_html"]}),
        ("Identity", {"classes": ["collapse"], "fields": ["idempotency_key", "claim_token"]}),
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        # A message is never edited; sending failed ones again is a change to the list as a whole.
        return obj is None and super().has_change_permission(request)

    @admin.display(description="to", ordering="to_email")
    def to(self, message: Message) -> str:
        name = message.recipient.get_full_name() if message.recipient else ""
        if name and message.to_email:
            return f"{name} <{message.to_email}>"
        return name or message.to_email or "No address"

    @admin.display(description="kind", ordering="kind")
    def kind_label(self, message: Message) -> str:
        return kind_label(message.kind)

    @admin.display(description="last error")
    def reason(self, message: Message) -> str:
        return Truncator(message.last_error).chars(80) or "–"

    @admin.action(description="Send again now", permissions=["change"])
    def send_again(self, request, queryset):
        chosen = list(queryset.values_list("pk", "status"))
        retried = messages_retry(ids=[pk for pk, status in chosen if status == Message.Status.FAILED])
        if retried:
            self.message_user(
                request,
                f"{retried} failed message{'' if retried == 1 else 's'} will be sent again at the next delivery run, "
                "within a minute.",
                messages.SUCCESS,
            )
        if len(chosen) > retried:
            self.message_user(
                request,
                f"Only failed messages can be sent again: {len(chosen) - retried} of the selected messages "
                "had not failed and were left as they were.",
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        failed = Message.objects.filter(status=Message.Status.FAILED).count()
        return super().changelist_view(request, extra_context={**(extra_context or {}), "failed_count": failed})
