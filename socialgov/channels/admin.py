"""The admin site for the register: accounts can be corrected here, with their history.

Access requests, grants, absences and pauses are made on the register's own
pages, where their rules are checked, so they are not offered here.
"""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from socialgov.channels.models import Account


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["handle", "platform", "team", "has_two_step", "last_access_review_on", "is_active"]
    list_filter = ["platform", "has_two_step", "is_active"]
    search_fields = ["handle", "url"]
    list_select_related = ["team"]
    autocomplete_fields = ["team", "owners"]
    readonly_fields = ["two_step_off_since", "last_access_review_by", "created_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
