from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from socialgov.people.models import Department, StaffImport, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "employee_number", "department", "is_active"]
    list_filter = ["is_active", "is_public_facing", "groups"]
    search_fields = ["email", "first_name", "last_name", "employee_number"]
    list_select_related = ["department"]
    autocomplete_fields = ["department", "line_manager"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "employee_number", "job_title", "is_public_facing"]}),
        ("Organisation", {"fields": ["department", "line_manager", "start_date", "leaving_date"]}),
        ("Access", {"fields": ["is_active", "groups", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "parent", "depth"]
    search_fields = ["name"]
    readonly_fields = ["path", "depth"]
    list_select_related = ["parent"]


@admin.register(StaffImport)
class StaffImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "uploaded_by", "created_at", "applied_by", "applied_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in StaffImport._meta.fields]
