"""Issuing and revoking API tokens in the admin site.

The key is shown once, on the page that answers the form that issued it,
and never stored: it is not put in a message (messages may travel in a
cookie) and the page is not cached. Tokens are revoked, not deleted, so the
record of which systems held access stays.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from socialgov.api.models import ApiToken
from socialgov.api.scopes import Scope
from socialgov.api.services import api_token_issue, api_token_revoke


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Give only what the system needs.",
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scopes", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future.")
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "prefix", "scope_list", "created_at", "last_used_at", "expires_at", "state"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description="Scopes")
    def scope_list(self, token: ApiToken) -> str:
        return ", ".join(token.ordered_scopes)

    @admin.display(description="State")
    def state(self, token: ApiToken) -> str:
        if token.is_revoked:
            return "Revoked"
        if token.is_expired():
            return "Expired"
        return "Active"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_revoked:
            return [*self.readonly_fields, "name", "scopes", "expires_at"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = api_token_issue(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            created_by=request.user,
            expires_at=form.cleaned_data.get("expires_at"),
        )
        obj.pk = token.pk
        obj.__dict__.update({f.attname: getattr(token, f.attname) for f in ApiToken._meta.concrete_fields})
        request._api_token_key = key

    def save_related(self, request, form, formsets, change):
        """Nothing relates to a token; the issuing service has saved it whole."""

    def response_add(self, request, obj, post_url_continue=None):
        """Show the key now, on this page only: it cannot be seen again."""
        response = TemplateResponse(
            request,
            "admin/api/apitoken/key_issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "token": obj,
                "key": request._api_token_key,
                "title": "Copy the key now",
            },
        )
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = sum(api_token_revoke(token=token) for token in queryset)
        messages.success(request, f"Revoked {revoked} token{'s' if revoked != 1 else ''}.")
