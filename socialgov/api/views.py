"""API views: thin wrappers over the same services and queries the pages use.

Every view declares who may use it: ``required_scope`` for API tokens and
``person_roles`` for people signed in (see ``permissions.ScopeOrRole``).
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from policies.models import Acknowledgement
from socialgov.api import filters, serializers
from socialgov.api.authentication import ApiTokenAuthentication
from socialgov.api.models import ApiToken
from socialgov.api.pagination import KeysetPagination
from socialgov.api.permissions import ScopeOrRole
from socialgov.api.scopes import Scope
from socialgov.api.serializers import PostCheckRequest, PostCheckResponse
from socialgov.people.models import Department, User
from socialgov.people.roles import Role
from training import checker
from training.models import Assignment, Completion, Licence
from training.post_checks import house_rules_for, post_check

HR_ROLES = (Role.HR, Role.ADMINISTRATOR)

BAD_PARAMETER = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
        "example": {"updated_since": ["Give an ISO 8601 date and time, e.g. 2026-03-01T09:30:00Z."]},
    },
    description="A parameter or field is wrong: each key names one, with what is wrong with it.",
)
REFUSALS = {
    401: OpenApiResponse(
        serializers.ErrorSerializer,
        description="No credentials, or a key that is not recognised, revoked or expired (see `code`).",
    ),
    403: OpenApiResponse(
        serializers.ErrorSerializer,
        description="The token lacks the endpoint's scope, or the person signed in lacks its role.",
    ),
    429: OpenApiResponse(serializers.ErrorSerializer, description="Too many requests: wait and try again."),
}


class ApiTokenMixin:
    """What every view that takes API tokens needs beyond authenticating them.

    A token is a system, not a person: once DRF has authenticated it, the
    underlying Django request goes on as anonymous, so nothing outside the
    API (change history, page templates, error pages) mistakes it for a
    person. And a failed bearer key is answered with a Bearer challenge,
    whichever authentication class comes first.
    """

    def perform_authentication(self, request):
        super().perform_authentication(request)
        if isinstance(request.auth, ApiToken):
            request._request.user = AnonymousUser()

    def get_authenticate_header(self, request):
        if getattr(request, "_api_token_error", None):
            return ApiTokenAuthentication().authenticate_header(request)
        return super().get_authenticate_header(request)


class RecordList(ApiTokenMixin, generics.ListAPIView):
    """A list another system copies: keyset pages in change order, filtered by checked parameters.

    Tokens and signed-in sessions only: the older DRF tokens belong to a
    person and carry no scope, so they do not open HR records.
    """

    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [ScopeOrRole]
    pagination_class = KeysetPagination
    person_roles = HR_ROLES
    required_scope: str
    # The field rows are ordered and filtered by for ``updated_since``.
    change_field = "updated_at"
    filter_class: type[filters.Filters]
    # Checked parameter -> the queryset lookup it filters on.
    lookups: dict[str, str] = {}

    def get_queryset(self):
        params = self.filter_class.checked(self.request)
        queryset = self.rows()
        since = params.pop("updated_since", None)
        if since is not None:
            queryset = queryset.filter(**{f"{self.change_field}__gte": since})
        return self.narrow(queryset, params)

    def narrow(self, queryset, params: dict):
        """The rows the remaining checked parameters ask for."""
        return queryset.filter(**{self.lookups[name]: value for name, value in params.items()})

    def rows(self):
        """Every row of the list, with what its serializer reads joined in, so a page is one query."""
        raise NotImplementedError


def list_schema(*, summary: str, description: str, serializer, filter_class, tag: str):
    """The schema of a list: its parameters from its filters, and every answer it can give, for clients and fuzzing."""
    return extend_schema(
        summary=summary,
        description=description,
        tags=[tag],
        parameters=[filter_class],
        responses={200: serializer(many=True), 400: BAD_PARAMETER, **REFUSALS},
    )


PERSON_LOOKUPS = {"person": "person_id", "department": "person__department_id"}


@list_schema(
    summary="People",
    description=(
        "Everyone with an account, leavers included (`is_active` false). Leavers whose details were removed after "
        "the retention period (`anonymised_at` set) are listed with the neutral values that replaced them. "
        "Scope: `people:read`."
    ),
    serializer=serializers.PersonSerializer,
    filter_class=filters.PersonFilters,
    tag="people",
)
class PersonList(RecordList):
    required_scope = Scope.PEOPLE_READ
    serializer_class = serializers.PersonSerializer
    filter_class = filters.PersonFilters
    lookups = {
        "department": "department_id",
        "line_manager": "line_manager_id",
        "is_active": "is_active",
        "employee_number": "employee_number",
    }

    def rows(self):
        return User.objects.all()


@list_schema(
    summary="Departments",
    description="The department tree: each department with its parent and path of ancestor ids. Scope: `people:read`.",
    serializer=serializers.DepartmentSerializer,
    filter_class=filters.DepartmentFilters,
    tag="people",
)
class DepartmentList(RecordList):
    required_scope = Scope.PEOPLE_READ
    serializer_class = serializers.DepartmentSerializer
    filter_class = filters.DepartmentFilters
    lookups = {"parent": "parent_id"}

    def rows(self):
        return Department.objects.all()


@list_schema(
    summary="Training assignments",
    description="Courses assigned to people, open and closed. Scope: `training:read`.",
    serializer=serializers.AssignmentSerializer,
    filter_class=filters.AssignmentFilters,
    tag="training",
)
class AssignmentList(RecordList):
    required_scope = Scope.TRAINING_READ
    serializer_class = serializers.AssignmentSerializer
    filter_class = filters.AssignmentFilters
    lookups = PERSON_LOOKUPS | {"course": "course_id", "status": "status"}

    def rows(self):
        return Assignment.objects.select_related("course")


@list_schema(
    summary="Course completions",
    description=(
        "Finished courses, the records behind certificates. A completion never changes, so `updated_since` "
        "filters on `completed_at`. Scope: `training:read`."
    ),
    serializer=serializers.CompletionSerializer,
    filter_class=filters.CompletionFilters,
    tag="training",
)
class CompletionList(RecordList):
    required_scope = Scope.TRAINING_READ
    serializer_class = serializers.CompletionSerializer
    filter_class = filters.CompletionFilters
    change_field = "completed_at"
    lookups = PERSON_LOOKUPS | {"course": "course_id"}

    def rows(self):
        return Completion.objects.select_related("course")


@list_schema(
    summary="Policy acknowledgements",
    description=(
        "Who acknowledged which version of which policy or guidance document, or was recorded or exempted by HR. "
        "An acknowledgement never changes, so `updated_since` filters on `acknowledged_at`. Scope: `policies:read`."
    ),
    serializer=serializers.AcknowledgementSerializer,
    filter_class=filters.AcknowledgementFilters,
    tag="policies",
)
class AcknowledgementList(RecordList):
    required_scope = Scope.POLICIES_READ
    serializer_class = serializers.AcknowledgementSerializer
    filter_class = filters.AcknowledgementFilters
    change_field = "acknowledged_at"
    lookups = PERSON_LOOKUPS | {"document": "version__document_id", "version": "version_id"}

    def rows(self):
        return Acknowledgement.objects.select_related("version__document")


@list_schema(
    summary="Posting licences",
    description="Each grant of the licence to post for the organisation, from grant to lapse. Scope: `training:read`.",
    serializer=serializers.LicenceSerializer,
    filter_class=filters.LicenceFilters,
    tag="training",
)
class LicenceList(RecordList):
    required_scope = Scope.TRAINING_READ
    serializer_class = serializers.LicenceSerializer
    filter_class = filters.LicenceFilters
    lookups = PERSON_LOOKUPS

    def narrow(self, queryset, params):
        in_force = params.pop("is_in_force", None)
        queryset = super().narrow(queryset, params)
        if in_force is None:
            return queryset
        in_force_now = {"lapsed_at__isnull": True, "expires_on__gte": timezone.localdate()}
        return queryset.filter(**in_force_now) if in_force else queryset.exclude(**in_force_now)

    def rows(self):
        return Licence.objects.all()


class PostCheckView(ApiTokenMixin, APIView):
    """Check a draft post; nothing is stored.

    Open to anyone signed in, to the older DRF tokens (which act as their
    person) and to API tokens with the ``post-checks`` scope. DRF's token
    comes first so existing callers keep their ``Token`` challenge.
    """

    authentication_classes = [TokenAuthentication, ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [ScopeOrRole]
    required_scope = Scope.POST_CHECKS
    person_roles = ()

    @extend_schema(
        request=PostCheckRequest,
        responses={
            200: PostCheckResponse,
            400: BAD_PARAMETER,
            **REFUSALS,
            415: OpenApiResponse(serializers.ErrorSerializer, description="The body is not JSON."),
        },
        summary="Check a draft post",
        tags=["post checks"],
        description=(
            "Counts the draft the platform's way and returns every finding with its severity, exact span "
            "(code-point offsets into `text`), why it matters and a suggested fix. Uses the organisation's "
            "house rules and today's pre-election switch. Scope: `post-checks`."
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


class SchemaView(ApiTokenMixin, SpectacularAPIView):
    """The OpenAPI schema, for any token (whatever its scopes) and anyone signed in: it describes, never reveals."""

    authentication_classes = [ApiTokenAuthentication, TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI for people signed in, from the site's own static files (no CDN, no inline script or style)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = f"{settings.SERVICE_NAME} API"
