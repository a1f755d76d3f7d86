"""Certificates: the printable page, the PDF, and checking a number someone shows you.

A certificate belongs to the person who earned it. It is open to them, to
anyone above them, to HR and administrators (who may see any record), and to
comms leads (who check who may post for the organisation). Anyone else gets
"not found", not "forbidden": a number that exists is not given away. The
verify page is for every signed-in person: whoever holds a number may check it.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from socialgov.people.access import can_see_person
from socialgov.people.roles import Role, has_role
from training.certificates import (
    certificate_context,
    certificate_pdf_bytes,
    completion_by_number,
    normalise_certificate_number,
)
from training.models import Completion

# Roles that see anyone's certificate; managers see those of the people below them.
CERTIFICATE_ROLES = frozenset({Role.HR, Role.ADMINISTRATOR, Role.COMMS_LEAD})


def may_see_certificate(viewer, completion: Completion) -> bool:
    """The person, anyone above them, HR, administrators and comms leads."""
    return can_see_person(viewer, completion.person) or has_role(viewer, Role.COMMS_LEAD)


def certificate_access_required(view):
    """Load the completion named by ``number``; anyone who may not see it is told it does not exist.

    The rule is stored on the view, like ``socialgov.people.access``, for the
    MFA middleware and the access-matrix test.
    """

    @wraps(view)
    def wrapper(request, number, *args, **kwargs):
        completion = completion_by_number(number)
        if completion is None or not may_see_certificate(request.user, completion):
            raise Http404("No certificate has this number.")
        return view(request, completion, *args, **kwargs)

    wrapper.access_roles = CERTIFICATE_ROLES
    wrapper.access_managers = True
    return wrapper


@certificate_access_required
def certificate(request, completion: Completion):
    """The certificate as a page, to read, print, or download as a PDF."""
    context = certificate_context(completion) | {
        "breadcrumbs": [
            ("Home", reverse("web:home")),
            ("Your learning", reverse("training:mine")),
            (f"Certificate {completion.certificate_number}", None),
        ],
    }
    return render(request, "training/certificate.html", context)


@certificate_access_required
def certificate_pdf(request, completion: Completion):
    """The certificate as an A4 PDF, shown in the browser (inline) with a filename for saving it."""
    response = HttpResponse(certificate_pdf_bytes(completion), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{completion.certificate_number}.pdf"'
    return response


class VerifyForm(forms.Form):
    """One certificate number, however it was typed; valid when a completion has it."""

    number = forms.CharField(
        label="Certificate number",
        help_text="It is on the certificate, for example SG-7KQ4-MX2P-9TRW.",
        max_length=60,
        error_messages={
            "required": "Enter a certificate number",
            "max_length": "Enter a certificate number of 12 letters and numbers, for example SG-7KQ4-MX2P-9TRW",
        },
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-20",
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
    )

    def clean_number(self) -> str:
        normalised = normalise_certificate_number(self.cleaned_data["number"])
        self.completion = completion_by_number(normalised)
        if self.completion is None:
            raise forms.ValidationError(f"No certificate has the number {normalised}: check it and try again")
        return normalised


def verify(request):
    """Check a certificate number: who completed which course when, and whether it is still current."""
    form = VerifyForm(request.GET if "number" in request.GET else None)
    completion = form.completion if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "result": certificate_context(completion) if completion else None,
        "breadcrumbs": [
            ("Home", reverse("web:home")),
            ("Your learning", reverse("training:mine")),
            ("Check a certificate", None),
        ],
    }
    return render(request, "training/verify.html", context)
