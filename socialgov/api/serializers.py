"""What the API takes and gives, as serializers so the schema documents exactly what is checked and sent."""

from __future__ import annotations

from rest_framework import serializers

from policies.models import Acknowledgement
from socialgov.people.models import Department, User
from training import checker
from training.models import Assignment, Completion, Licence


class JSONCharField(serializers.CharField):
    """Text that must arrive as a JSON string: a number or a list is a mistake in the caller, not a draft."""

    default_error_messages = {"not_a_string": "Send this as a JSON string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class JSONBooleanField(serializers.BooleanField):
    """true or false as JSON, not "yes", 1 or "on": what the schema promises is what is taken."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class PostCheckRequest(serializers.Serializer):
    text = JSONCharField(trim_whitespace=False, max_length=checker.MAX_DRAFT_CHARS)
    platform = serializers.ChoiceField(choices=[(p.code, p.name) for p in checker.PLATFORMS.values()])
    image_attached = JSONBooleanField(default=False)
    alt_text = JSONCharField(default="", allow_blank=True, trim_whitespace=False, max_length=2000)

    def validate_text(self, text: str) -> str:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise serializers.ValidationError("The draft is only spaces: send the text of the post to check.")
        return text


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's code, stable across releases.")
    title = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning", "advice"])
    start = serializers.IntegerField(help_text="Offset of the first character of the span, in code points.")
    end = serializers.IntegerField(help_text="Offset just past the span, in code points.")
    excerpt = serializers.CharField()
    message = serializers.CharField()
    why = serializers.CharField()
    fix = serializers.CharField()


class PostCheckResponse(serializers.Serializer):
    platform = serializers.CharField()
    platform_name = serializers.CharField()
    length = serializers.IntegerField(help_text="Counted the platform's way.")
    limit = serializers.IntegerField()
    limits_checked_on = serializers.DateField(help_text="When the platform's limits were last checked.")
    pre_election = serializers.BooleanField(help_text="Whether a pre-election period is on today.")
    findings = FindingSerializer(many=True)


# --- HR and learning records ---------------------------------------------------------------------------------
# Flat rows with ids for related records, so another system can copy each list into a table of its own.
# Nothing secret is ever listed: no password, sign-in times, authenticators or permissions.


class PersonSerializer(serializers.ModelSerializer):
    department = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="Department id.")
    line_manager = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The line manager's id."
    )
    anonymised_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="Set once a leaver's personal details were removed; the values shown are neutral.",
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "employee_number",
            "job_title",
            "department",
            "line_manager",
            "start_date",
            "leaving_date",
            "is_public_facing",
            "is_active",
            "anonymised_at",
            "updated_at",
        ]
        read_only_fields = fields


class DepartmentSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The department above, or null at the top."
    )
    path = serializers.CharField(read_only=True, help_text="Ids from the top department down to this one: /1/7/12/.")

    class Meta:
        model = Department
        fields = ["id", "name", "parent", "path", "depth", "updated_at"]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    course = serializers.PrimaryKeyRelatedField(read_only=True)
    course_slug = serializers.CharField(source="course.slug", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    assigned_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    closed_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    completion = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The completion that closed it."
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "person",
            "course",
            "course_slug",
            "course_title",
            "source",
            "status",
            "due_on",
            "assigned_at",
            "assigned_by",
            "closed_at",
            "closed_by",
            "completion",
            "reason",
            "updated_at",
        ]
        read_only_fields = fields


class CompletionSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    course = serializers.PrimaryKeyRelatedField(read_only=True)
    course_slug = serializers.CharField(source="course.slug", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)

    class Meta:
        model = Completion
        fields = [
            "id",
            "person",
            "course",
            "course_slug",
            "course_title",
            "completed_at",
            "expires_on",
            "certificate_number",
        ]
        read_only_fields = fields


class AcknowledgementSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    document = serializers.IntegerField(source="version.document_id", read_only=True)
    document_slug = serializers.CharField(source="version.document.slug", read_only=True)
    document_title = serializers.CharField(source="version.document.title", read_only=True)
    version = serializers.PrimaryKeyRelatedField(read_only=True)
    version_number = serializers.CharField(source="version.number", read_only=True, help_text="e.g. 2.1")
    recorded_by = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Who recorded it for the person, or null when they acknowledged it themselves.",
    )

    class Meta:
        model = Acknowledgement
        fields = [
            "id",
            "person",
            "document",
            "document_slug",
            "document_title",
            "version",
            "version_number",
            "kind",
            "acknowledged_at",
            "recorded_by",
            "reason",
        ]
        read_only_fields = fields


class LicenceSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    is_in_force = serializers.BooleanField(read_only=True, help_text="Not lapsed and not past its expiry date.")

    class Meta:
        model = Licence
        fields = ["id", "person", "granted_at", "expires_on", "lapsed_at", "lapse_reason", "is_in_force", "updated_at"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    """What a refusal says: 401 and 403 answers."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    required_scope = serializers.CharField(required=False, help_text="The scope the endpoint needs.")
    token_scopes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="The scopes the token has."
    )
