"""The rota (a fortnight, day by day, with its problems), who is on call now, and the rota's settings."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from socialgov.people.access import role_required
from socialgov.rota.forms import RotaSettingsForm
from socialgov.rota.models import RotaSettings
from socialgov.rota.selectors import on_call_at, rota_for
from socialgov.rota.services import MANAGE_ROLES, RotaError, can_manage_rota, rota_settings_update
from socialgov.rota.views.common import add_service_error, crumbs, parse_day

DAYS = 14


def rota(request):
    """Fourteen days of the rota from today (or ``?from=``), each day's shifts and what is wrong, in words."""
    today = timezone.localdate()
    first_day = parse_day(request.GET.get("from")) or today
    the_rota = rota_for(first_day=first_day, days=DAYS)
    last_day = first_day + datetime.timedelta(days=DAYS - 1)
    context = {
        "rota": the_rota,
        "on_call": on_call_at(),
        "first_day": first_day,
        "last_day": last_day,
        "previous_from": first_day - datetime.timedelta(days=DAYS),
        "next_from": first_day + datetime.timedelta(days=DAYS),
        "today": today,
        "now": timezone.now(),
        "can_manage": can_manage_rota(request.user),
        "breadcrumbs": [("Home", reverse("web:home")), ("On-call rota", None)],
    }
    return render(request, "rota/rota.html", context)


def on_call_now(request):
    """Who to ring now, in order: for anyone who spots something going wrong out of hours."""
    context = {
        "on_call": on_call_at(),
        "breadcrumbs": crumbs(("On call now", None)),
    }
    return render(request, "rota/on_call_now.html", context)


@role_required(*MANAGE_ROLES)
def rota_settings(request):
    """The head of communications, reminder time and hours covered: what the whole rota works from."""
    current = RotaSettings.current()
    initial = {
        "head_of_comms": current.head_of_comms.email if current.head_of_comms else "",
        "shift_reminder_minutes": current.shift_reminder_minutes,
        "is_round_the_clock": current.is_round_the_clock,
    }
    form = RotaSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rota_settings_update(by=request.user, **form.cleaned_data)
        except RotaError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Rota settings saved.")
            return redirect("rota:rota")
    context = {"form": form, "current": current, "breadcrumbs": crumbs(("Settings", None))}
    return render(request, "rota/settings.html", context, status=400 if form.errors else 200)
