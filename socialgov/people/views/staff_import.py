"""Staff import pages (HR): upload, preview, apply."""

from django.http import HttpResponse

from socialgov.people.access import role_required
from socialgov.people.roles import Role


@role_required(Role.HR, Role.ADMINISTRATOR)
def upload(request):
    return HttpResponse("import")


@role_required(Role.HR, Role.ADMINISTRATOR)
def preview(request, pk):
    return HttpResponse("preview")


@role_required(Role.HR, Role.ADMINISTRATOR)
def apply(request, pk):
    return HttpResponse("apply")
