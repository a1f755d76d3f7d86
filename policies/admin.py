"""The admin site for documents: for administrators to look things up, not to edit content.

Text, approval and acknowledgements go through the policy pages, where the
rules live; here every field that carries a rule is read-only.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from policies.models import Acknowledgement, Document, DocumentVersion, Event


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ["major", "minor", "status", "change", "author", "approver", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "owner", "current_version", "review_on", "is_retired"]
    list_filter = ["category", "is_retired", "requires_acknowledgement"]
    search_fields = ["title", "summary"]
    readonly_fields = ["slug", "current_version", "is_retired", "created_at"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["audience_departments", "audience_roles"]
    inlines = [VersionInline]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = ["document", "major", "minor", "status", "author", "published_at"]
    list_filter = ["status", "change"]
    search_fields = ["document__title"]
    list_select_related = ["document", "author"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in DocumentVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Acknowledgement)
class AcknowledgementAdmin(SimpleHistoryAdmin):
    list_display = ["person", "version", "kind", "acknowledged_at", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["person__email", "person__last_name", "version__document__title"]
    list_select_related = ["person", "version__document", "recorded_by"]
    readonly_fields = ["version", "person", "kind", "acknowledged_at", "recorded_by", "reason"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["at", "document", "action", "actor", "note"]
    list_filter = ["action"]
    search_fields = ["document__title", "actor__email", "note"]
    list_select_related = ["document", "actor"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
