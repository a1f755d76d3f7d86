"""What the API takes and gives, as serializers so the schema documents exactly what is checked."""

from __future__ import annotations

from rest_framework import serializers

from training import checker


class PostCheckRequest(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, max_length=checker.MAX_DRAFT_CHARS)
    platform = serializers.ChoiceField(choices=[(p.code, p.name) for p in checker.PLATFORMS.values()])
    image_attached = serializers.BooleanField(default=False)
    alt_text = serializers.CharField(default="", allow_blank=True, trim_whitespace=False, max_length=2000)

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
