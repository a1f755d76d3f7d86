"""Publishing pauses: started and lifted by incident leads, comms leads and administrators; seen by everyone."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialgov.channels.forms import PauseForm
from socialgov.channels.models import PublishingPause
from socialgov.channels.services import PAUSE_ROLES, ChannelsError, pause_lift, pause_start, pauses_in_force
from socialgov.channels.views.register import crumbs
from socialgov.people.access import role_required
from socialgov.people.roles import has_role

PAGE_SIZE = 25


def pause_list(request):
    """Pauses in force, then the ones lifted, newest first."""
    lifted = (
        PublishingPause.objects.filter(lifted_at__isnull=False)
        .select_related("started_by", "lifted_by")
        .prefetch_related("accounts")
        .order_by("-lifted_at", "-pk")
    )
    context = {
        "in_force": pauses_in_force(),
        "page": Paginator(lifted, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_pause": has_role(request.user, *PAUSE_ROLES),
        "breadcrumbs": crumbs(("Publishing pauses", None)),
    }
    return render(request, "channels/pause_list.html", context)


def pause_detail(request, pk):
    pause = get_object_or_404(
        PublishingPause.objects.select_related("started_by", "lifted_by").prefetch_related("accounts"), pk=pk
    )
    context = {
        "pause": pause,
        "can_pause": has_role(request.user, *PAUSE_ROLES),
        "breadcrumbs": crumbs(("Publishing pauses", reverse("channels:pauses")), ("Pause", None)),
    }
    return render(request, "channels/pause_detail.html", context)


@role_required(*PAUSE_ROLES)
def pause_new(request):
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pause = pause_start(accounts=form.chosen_accounts(), reason=form.cleaned_data["reason"], by=request.user)
        except ChannelsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Publishing is paused on {pause.scope()}.")
            return redirect("channels:pause", pk=pause.pk)
    trail = crumbs(("Publishing pauses", reverse("channels:pauses")), ("Pause publishing", None))
    return render(request, "channels/pause_form.html", {"form": form, "breadcrumbs": trail},
                  status=400 if form.errors else 200)  # fmt: skip


@role_required(*PAUSE_ROLES)
@require_POST
def pause_lift_view(request, pk):
    pause = get_object_or_404(PublishingPause.objects.prefetch_related("accounts"), pk=pk)
    try:
        pause_lift(pause=pause, by=request.user)
    except ChannelsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The pause on {pause.scope()} is lifted: publishing can start again.")
    return redirect("channels:pause", pk=pause.pk)
