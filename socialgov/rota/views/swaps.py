"""Swaps: the shift's person asks a colleague; the colleague accepts or declines; comms leads can see them all."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from socialgov.rota.forms import SwapRequestForm
from socialgov.rota.models import Shift, ShiftSwap
from socialgov.rota.services import RotaError, can_manage_rota, swap_decide, swap_request, swap_withdraw
from socialgov.rota.times import span_label
from socialgov.rota.views.common import add_service_error, crumbs


def swap_request_view(request, pk):
    """Ask a colleague to take one of your shifts."""
    shift = get_object_or_404(Shift.objects.select_related("person"), pk=pk)
    if shift.person_id != request.user.pk:
        raise PermissionDenied(f"Only {shift.person} can ask to swap this shift.")
    form = SwapRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            swap = swap_request(shift=shift, by=request.user, **form.cleaned_data)
        except RotaError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"We have asked {swap.to_person} to take your shift. It stays yours until "
                                      "they accept.")  # fmt: skip
            return redirect("rota:swap", pk=swap.pk)
    context = {
        "form": form,
        "shift": shift,
        "span": span_label(shift.starts_at, shift.ends_at),
        "has_started": shift.has_started(timezone.now()),
        "breadcrumbs": crumbs(("Your shifts", reverse("rota:mine")), ("Ask to swap", None)),
    }
    return render(request, "rota/swap_request.html", context, status=400 if form.errors else 200)


def _visible_swap(request, pk) -> ShiftSwap:
    """A swap is for the two people in it and those who run the rota; to anyone else it does not exist."""
    swap = get_object_or_404(ShiftSwap.objects.select_related("shift", "from_person", "to_person"), pk=pk)
    if request.user.pk not in (swap.from_person_id, swap.to_person_id) and not can_manage_rota(request.user):
        raise Http404("No such swap.")
    return swap


ACTIONS = {
    "accept": ("You have taken the shift. It is in your calendar now.", lambda swap, by: swap_decide(
        swap=swap, by=by, accept=True)),
    "decline": ("You have declined. We have told {from_person}.", lambda swap, by: swap_decide(
        swap=swap, by=by, accept=False)),
    "withdraw": ("Request withdrawn. The shift is still yours.", lambda swap, by: swap_withdraw(swap=swap, by=by)),
}  # fmt: skip


def swap_detail(request, pk):
    """One swap request: its shift and state; the colleague asked accepts or declines it, the asker withdraws it."""
    swap = _visible_swap(request, pk)
    error = None
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            error = "Choose whether to accept or decline."
        else:
            success, act = action
            try:
                act(swap, request.user)
            except RotaError as refusal:
                error = str(refusal)
            else:
                messages.success(request, success.format(from_person=swap.from_person))
                return redirect("rota:swap", pk=swap.pk)
    shift = swap.shift
    context = {
        "swap": swap,
        "shift": shift,
        "span": span_label(shift.starts_at, shift.ends_at),
        "error": error,
        "is_recipient": request.user.pk == swap.to_person_id,
        "is_asker": request.user.pk == swap.from_person_id,
        "breadcrumbs": crumbs(("Swap request", None)),
    }
    return render(request, "rota/swap_detail.html", context, status=400 if error else 200)
