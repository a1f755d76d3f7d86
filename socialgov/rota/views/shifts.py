"""Adding, changing and deleting shifts: comms leads and administrators."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from socialgov.people.access import role_required
from socialgov.rota import services
from socialgov.rota.forms import ShiftForm
from socialgov.rota.models import Shift
from socialgov.rota.services import MANAGE_ROLES, RotaError
from socialgov.rota.times import local_date, span_label
from socialgov.rota.views.common import add_service_error, crumbs, day_anchor, parse_day
from socialgov.rota.views.rota import DAYS

HISTORY_SHOWN = 20


def _rota_at(shift: Shift) -> str:
    """The rota page that shows ``shift``, at its day."""
    day = local_date(shift.starts_at)
    url = reverse("rota:rota")
    if not 0 <= (day - timezone.localdate()).days < DAYS:
        url += f"?from={day.isoformat()}"
    return f"{url}#{day_anchor(day)}"


def _shift_values(form: ShiftForm) -> dict:
    data = form.cleaned_data
    return {"person": data["person"], "role": data["role"], "starts_at": data["starts_at"],
            "ends_at": data["ends_at"], "note": data["note"]}  # fmt: skip


def _saved_message(shift: Shift) -> str:
    role = shift.get_role_display().lower()
    return f"{shift.person} is {role} {span_label(shift.starts_at, shift.ends_at)}."


@role_required(*MANAGE_ROLES)
def shift_add(request):
    """Put someone on call. ``?day=`` starts the form at that evening."""
    day = parse_day(request.GET.get("day"))
    form = ShiftForm(request.POST or None, initial=ShiftForm.initial_for(day=day))
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.shift_add(by=request.user, **_shift_values(form))
        except RotaError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _saved_message(shift))
            return redirect(_rota_at(shift))
    context = {"form": form, "breadcrumbs": crumbs(("Add a shift", None))}
    return render(request, "rota/shift_form.html", context, status=400 if form.errors else 200)


@role_required(*MANAGE_ROLES)
def shift_edit(request, pk):
    """Change a shift; its history of changes is shown below the form."""
    shift = get_object_or_404(Shift.objects.select_related("person"), pk=pk)
    form = ShiftForm(request.POST or None, initial=ShiftForm.initial_for(shift=shift))
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.shift_update(shift=shift, by=request.user, **_shift_values(form))
        except RotaError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Shift changed. " + _saved_message(shift))
            return redirect(_rota_at(shift))
    history = shift.history.select_related("history_user", "person").order_by("-history_date")[:HISTORY_SHOWN]
    context = {
        "form": form,
        "shift": shift,
        "history": history,
        "breadcrumbs": crumbs(("Change a shift", None)),
    }
    return render(request, "rota/shift_form.html", context, status=400 if form.errors else 200)


@role_required(*MANAGE_ROLES)
def shift_delete(request, pk):
    """Ask first, then take the shift off the rota."""
    shift = get_object_or_404(Shift.objects.select_related("person"), pk=pk)
    if request.method == "POST":
        back = _rota_at(shift)
        message = f"Shift deleted: {shift.person} is no longer {shift.get_role_display().lower()} " + span_label(
            shift.starts_at, shift.ends_at
        )
        services.shift_delete(shift=shift, by=request.user)
        messages.success(request, message + ".")
        return redirect(back)
    context = {
        "shift": shift,
        "span": span_label(shift.starts_at, shift.ends_at),
        "breadcrumbs": crumbs(("Delete a shift", None)),
    }
    return render(request, "rota/shift_delete.html", context)
