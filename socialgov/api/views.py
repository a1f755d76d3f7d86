"""API views: thin wrappers over the same services the pages use."""

from __future__ import annotations

import dataclasses

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from socialgov.api.serializers import PostCheckRequest, PostCheckResponse
from training import checker
from training.post_checks import house_rules_for, post_check


class PostCheckView(APIView):
    """Check a draft post; nothing is stored."""

    @extend_schema(
        request=PostCheckRequest,
        responses={200: PostCheckResponse},
        summary="Check a draft post",
        description=(
            "Counts the draft the platform's way and returns every finding with its severity, exact span "
            "(code-point offsets into `text`), why it matters and a suggested fix. Uses the organisation's "
            "house rules and today's pre-election switch."
        ),
        examples=[
            OpenApiExample(
                "A draft with text-speak",
                value={"text": "Thx 4 coming 2 the library open day!", "platform": "x"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        given = PostCheckRequest(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            house = house_rules_for()
            report = post_check(**given.validated_data, house=house)
        except checker.DraftError as problem:
            return Response({"text": [str(problem)]}, status=status.HTTP_400_BAD_REQUEST)
        titles = {rule.code: rule.title for rule in checker.RULES}
        body = {
            "platform": report.platform.code,
            "platform_name": report.platform.name,
            "length": report.length,
            "limit": report.limit,
            "limits_checked_on": report.platform.checked_on,
            "pre_election": house.pre_election,
            "findings": [dataclasses.asdict(f) | {"title": titles[f.rule]} for f in report.findings],
        }
        return Response(PostCheckResponse(body).data)
