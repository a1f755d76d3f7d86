"""People, departments and line management.

A person signs in by email. Departments form a tree of any depth
(directorate, service, team); each keeps a materialised ``path`` of ancestor
ids so "this department and everything under it" is one indexed prefix
query, whatever the size of the organisation.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

PATH_SEPARATOR = " > "


class Department(models.Model):
    name = models.CharField(max_length=150)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # "/1/7/12/": the ids from the root down to this department, inclusive.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # For other systems that copy changes since their last call.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "parent", name="department_unique_name_per_parent"),
            models.UniqueConstraint(
                Lower("name"),
                condition=models.Q(parent__isnull=True),
                name="department_unique_root_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def subtree(self) -> models.QuerySet[Department]:
        """This department and every department below it."""
        return Department.objects.filter(path__startswith=self.path)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class UserQuerySet(models.QuerySet):
    def current(self) -> UserQuerySet:
        """People still working here: active accounts."""
        return self.filter(is_active=True)

    def in_department(self, department: Department) -> UserQuerySet:
        """People in a department or any department below it."""
        return self.filter(department__path__startswith=department.path)

    def managers(self) -> UserQuerySet:
        return self.filter(reports__isnull=False).distinct()

    def below(self, manager: User) -> UserQuerySet:
        """Everyone who reports to ``manager``, directly or further down; one query."""
        sql = reports_subquery_sql(self.model._meta.db_table)
        # The table name comes from the model, the id is a parameter: nothing user-typed.
        return self.filter(pk__in=RawSQL(sql, [manager.pk]))  # noqa: S611


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("A person needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Leavers are deactivated, never deleted."""

    email = models.EmailField("email address", unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    employee_number = models.CharField(max_length=40, null=True, blank=True, unique=True)
    job_title = models.CharField(max_length=200, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    line_manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    start_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(null=True, blank=True)
    is_public_facing = models.BooleanField(
        "public-facing", default=False, help_text="Deals with the public as part of their job."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "can use the admin site", default=False, help_text="Set from the Administrator role."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # For other systems that copy changes since their last call; not moved by signing in.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    anonymised_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When a leaver's personal details were removed."
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login", "updated_at"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_unique_email_ci"),
            models.CheckConstraint(
                condition=models.Q(leaving_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(leaving_date__gte=models.F("start_date")),
                name="user_leaves_after_starting",
            ),
            models.CheckConstraint(condition=~models.Q(line_manager=models.F("pk")), name="user_not_own_manager"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def has_left(self) -> bool:
        return self.leaving_date is not None and self.leaving_date <= timezone.localdate()


class StaffImport(models.Model):
    """One upload of the HR system's staff CSV: previewed first, then applied whole or not at all."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        INVALID = "invalid", "Has errors"
        APPLIED = "applied", "Applied"

    file_name = models.CharField(max_length=255)
    content = models.TextField(help_text="The uploaded file, decoded, kept so the applied change can be audited.")
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    summary = models.JSONField(default=dict, blank=True, help_text="Counts of new, updated, leavers, unchanged.")
    errors = models.JSONField(default=list, blank=True, help_text="Problems found: line, column, message.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


def reports_subquery_sql(table: str) -> str:
    """SQL for the ids of everyone below a manager (direct and indirect), one parameter."""
    # The table name comes from model metadata, never from input.
    return (
        f"WITH RECURSIVE chain(id) AS ("  # noqa: S608
        f" SELECT id FROM {table} WHERE line_manager_id = %s"
        f" UNION SELECT u.id FROM {table} u JOIN chain c ON u.line_manager_id = c.id"
        f") SELECT id FROM chain"
    )
