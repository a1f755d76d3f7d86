"""Query parameters of the list endpoints, checked before any query runs.

Each list declares its parameters as a serializer, so the same declaration
checks a request (a wrong one is answered 400 naming the parameter and what
is wrong with it) and documents the endpoint in the OpenAPI schema.
"""

from __future__ import annotations

import datetime
import re

from rest_framework import exceptions, serializers

from socialgov.api.pagination import MAX_ID
from training.models import Assignment


class IdParameter(serializers.IntegerField):
    """An id: a positive whole number that fits the database's id column."""

    default_error_messages = {
        "invalid": "Give the id as a whole number, e.g. 42.",
        "min_value": "Ids start at 1.",
        "max_value": "No id is this large.",
        "max_string_length": "No id is this large.",
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, required=False, **kwargs)


class ChoiceParameter(serializers.ChoiceField):
    """One of a fixed set of values; a wrong one is answered with the values that would do."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices=choices, required=False, **kwargs)
        self.error_messages["invalid_choice"] = "“{input}” is not one of: " + ", ".join(self.choices) + "."


class BooleanParameter(serializers.BooleanField):
    default_error_messages = {"invalid": "Give true or false."}

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


class ChangedSince(serializers.DateTimeField):
    """An ISO 8601 date and time; without an offset it is taken as UK time."""

    default_error_messages = {
        "invalid": "Give an ISO 8601 date and time, e.g. 2026-03-01T09:30:00Z or 2026-03-01T09:30:00+01:00.",
        "overflow": "This date and time is out of range.",
        "plus_as_space": (
            "The date and time ends in a space and an offset: a “+” in a URL means a space, so write the offset "
            "as %2B (e.g. 2026-03-01T09:30:00%2B01:00) or give the time in UTC with Z."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(required=False, input_formats=["iso-8601"], **kwargs)

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except serializers.ValidationError:
            if isinstance(value, str) and PLUS_AS_SPACE.search(value):
                self.fail("plus_as_space")
            raise
        try:
            # The database stores UTC: a moment that cannot be said in UTC cannot be compared.
            moment.astimezone(datetime.UTC)
        except OverflowError:
            self.fail("overflow")
        return moment


# "2026-03-01T09:30:00 01:00": an offset whose "+" a URL turned into a space.
PLUS_AS_SPACE = re.compile(r"\d \d{2}(:?\d{2})?$")

UPDATED_SINCE_HELP = "Only rows that changed at or after this moment (ISO 8601), for copying changes since last time."


class Filters(serializers.Serializer):
    """Parameters every list takes."""

    updated_since = ChangedSince(help_text=UPDATED_SINCE_HELP)

    @classmethod
    def checked(cls, request) -> dict:
        """The request's parameters, checked; 400 naming each parameter that is wrong."""
        given = cls(data={key: request.query_params.get(key) for key in request.query_params if key in cls().fields})
        if not given.is_valid():
            raise exceptions.ValidationError(given.errors)
        return {key: value for key, value in given.validated_data.items() if value is not None}


class PersonFilters(Filters):
    department = IdParameter(help_text="Only people in this department (not those below it).")
    line_manager = IdParameter(help_text="Only people who report directly to this person.")
    is_active = BooleanParameter(help_text="true: current staff; false: leavers.")
    employee_number = serializers.CharField(required=False, max_length=40, help_text="The HR system's number.")


class DepartmentFilters(Filters):
    parent = IdParameter(help_text="Only the departments directly below this one.")


class PersonRecordFilters(Filters):
    """Records that belong to a person."""

    person = IdParameter(help_text="Only this person's records.")
    department = IdParameter(help_text="Only the records of people in this department (not those below it).")


class AssignmentFilters(PersonRecordFilters):
    course = IdParameter(help_text="Only assignments of this course.")
    status = ChoiceParameter(Assignment.Status.values, help_text="Only assignments in this state.")


class CompletionFilters(PersonRecordFilters):
    course = IdParameter(help_text="Only completions of this course.")


class AcknowledgementFilters(PersonRecordFilters):
    document = IdParameter(help_text="Only acknowledgements of versions of this policy or guidance document.")
    version = IdParameter(help_text="Only acknowledgements of this version.")


class LicenceFilters(PersonRecordFilters):
    is_in_force = BooleanParameter(help_text="true: licences not lapsed and not past their expiry date.")
