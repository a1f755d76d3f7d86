"""Cover: owners record their time away and who looks after their accounts meanwhile."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from socialgov.channels.forms import AbsenceForm
from socialgov.channels.models import Absence
from socialgov.channels.services import EDITOR_ROLES, ChannelsError, CoverRefused, absence_cancel, absence_record
from socialgov.channels.views.register import crumbs
from socialgov.people.roles import has_role


def absence_list(request):
    """My absences to come; comms leads and administrators also see every owner's, to spot gaps in cover."""
    today = timezone.localdate()
    upcoming = Absence.objects.filter(ends_on__gte=today).select_related("owner", "account", "covered_by")
    oversees = has_role(request.user, *EDITOR_ROLES)
    context = {
        "mine": upcoming.filter(owner=request.user),
        "everyone": upcoming.exclude(owner=request.user) if oversees else None,
        "owns_accounts": request.user.owned_accounts.active().exists(),
        "today": today,
        "breadcrumbs": crumbs(("Absences and cover", None)),
    }
    return render(request, "channels/absence_list.html", context)


def absence_new(request):
    form = AbsenceForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            absence = absence_record(owner=request.user, **form.cleaned_data)
        except CoverRefused as error:
            form.add_error("covered_by", str(error))
        except ChannelsError as error:
            form.add_error(None, str(error))
        else:
            who = f"{absence.covered_by} covers" if absence.covered_by else "Nobody covers yet"
            messages.success(request, f"Your absence is recorded. {who}.")
            return redirect("channels:absences")
    trail = crumbs(("Absences and cover", reverse("channels:absences")), ("Record an absence", None))
    context = {"form": form, "breadcrumbs": trail}
    return render(request, "channels/absence_form.html", context, status=400 if form.errors else 200)


def absence_cancel_view(request, pk):
    """Only the person away cancels their absence; anyone else's is not found."""
    absence = get_object_or_404(Absence, pk=pk, owner=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        absence_cancel(absence=absence, by=request.user)
    except ChannelsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your absence is cancelled.")
    return redirect("channels:absences")
