"""API URLs. DRF authenticates these (API token, DRF token or session) and answers 401/403 in JSON.

The JSON endpoints are exempt from the sign-in redirect so other systems get
401 rather than a sign-in page; the browsable docs are a page like any other
and need a signed-in person.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from socialgov.api import views

app_name = "api"


def hr_records(view):
    """An HR list: open to tokens by scope, and to HR and administrators, who need MFA like on the HR pages."""
    view = login_not_required(view)
    view.access_roles = frozenset(views.HR_ROLES)
    return view


def signed_in_page(view):
    """A page that needs a signed-in person: DRF exempts its views from the sign-in redirect, so undo that."""
    view.login_required = True
    return view


urlpatterns = [
    path("v1/people/", hr_records(views.PersonList.as_view()), name="people"),
    path("v1/departments/", hr_records(views.DepartmentList.as_view()), name="departments"),
    path("v1/assignments/", hr_records(views.AssignmentList.as_view()), name="assignments"),
    path("v1/completions/", hr_records(views.CompletionList.as_view()), name="completions"),
    path("v1/acknowledgements/", hr_records(views.AcknowledgementList.as_view()), name="acknowledgements"),
    path("v1/licences/", hr_records(views.LicenceList.as_view()), name="licences"),
    path("v1/post-checks/", login_not_required(views.PostCheckView.as_view()), name="post-checks"),
    path("schema/", login_not_required(views.SchemaView.as_view()), name="schema"),
    path("docs/", signed_in_page(views.DocsView.as_view()), name="docs"),
]
