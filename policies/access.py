"""Who may do what with a document: each view takes exactly one of these rules.

Reading published documents is open to every signed-in person. Writing is
for comms leads. A document's reports and history are for its owner, comms
leads, HR and administrators. The rule is stored on the view function, like
``socialgov.people.access``, for the MFA middleware and the access-matrix test.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from policies.models import Document
from socialgov.people.roles import Role, has_role

WRITER_ROLES = frozenset({Role.COMMS_LEAD})
OVERSIGHT_ROLES = frozenset({Role.COMMS_LEAD, Role.HR, Role.ADMINISTRATOR})
RECORDER_ROLES = frozenset({Role.HR, Role.COMMS_LEAD})


def _document(slug: str) -> Document:
    return get_object_or_404(Document.objects.select_related("owner", "current_version"), slug=slug)


def document_reader(view):
    """Any signed-in person may read a document that has been published, even once retired."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        document = _document(slug)
        if document.current_version_id is None and not has_role(request.user, *WRITER_ROLES):
            raise PermissionDenied("This document has not been published yet.")
        return view(request, document, *args, **kwargs)

    return wrapper


def document_writer(view):
    """Comms leads write and publish documents."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not has_role(request.user, *WRITER_ROLES):
            raise PermissionDenied("Only comms leads can write and publish documents.")
        return view(request, _document(slug), *args, **kwargs)

    wrapper.access_roles = WRITER_ROLES
    return wrapper


def document_overseer(view):
    """The document's owner, comms leads, HR and administrators see its reports and history."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        document = _document(slug)
        if document.owner_id != request.user.pk and not has_role(request.user, *OVERSIGHT_ROLES):
            raise PermissionDenied("This page is for the document's owner, comms leads and HR.")
        return view(request, document, *args, **kwargs)

    wrapper.access_roles = OVERSIGHT_ROLES
    return wrapper


def document_recorder(view):
    """HR and comms leads record acknowledgements on someone's behalf, and exemptions."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not has_role(request.user, *RECORDER_ROLES):
            raise PermissionDenied("Only HR and comms leads can record acknowledgements for someone else.")
        return view(request, _document(slug), *args, **kwargs)

    wrapper.access_roles = RECORDER_ROLES
    return wrapper
