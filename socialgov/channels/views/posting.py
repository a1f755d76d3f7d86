"""Posting access: asking for it, deciding, seeing your own, and ending someone's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from socialgov.channels.access import grant_steward_required, request_decider_required
from socialgov.channels.forms import AccessRequestForm, GrantEndForm, RefuseForm
from socialgov.channels.models import AccessGrant, AccessRequest, Account
from socialgov.channels.selectors import licence_holds, requests_waiting_for
from socialgov.channels.services import (
    ChannelsError,
    LicenceNeeded,
    access_request_approve,
    access_request_create,
    access_request_refuse,
    access_request_withdraw,
    grant_end,
)
from socialgov.channels.views.register import crumbs, detail_context


def access_request_new(request, pk):
    """Ask to post to an account. The form sits on the account page, which comes back with any errors."""
    account = get_object_or_404(
        Account.objects.select_related("team", "last_access_review_by").prefetch_related("owners"), pk=pk
    )
    if request.method != "POST":
        return redirect("channels:detail", pk=account.pk)
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        try:
            access_request_create(person=request.user, account=account, reason=form.cleaned_data["reason"])
        except LicenceNeeded:
            messages.error(request, "You need a posting licence before you can ask for access to an account.")
            return redirect("channels:detail", pk=account.pk)
        except ChannelsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"You have asked to post to {account}. You will be told when it is decided.")
            return redirect("channels:mine")
    context = detail_context(request, account, request_form=form)
    context["form"] = form
    return render(request, "channels/account_detail.html", context, status=400)


def my_access(request):
    """The accounts I may post to, my requests, and the access I had."""
    user = request.user
    grants = list(AccessGrant.objects.filter(person=user).select_related("account", "approved_by"))
    context = {
        "owned": user.owned_accounts.active().order_by("platform", "handle"),
        "grants_in_force": [g for g in grants if g.is_in_force],
        "grants_lapsed": [g for g in grants if not g.is_in_force],
        "requests": AccessRequest.objects.filter(person=user).select_related("account", "decided_by")[:50],
        "breadcrumbs": crumbs(("My access", None)),
    }
    return render(request, "channels/my_access.html", context)


def requests_waiting(request):
    """Requests I may decide: from the people I manage, and for the accounts I own."""
    context = {
        "waiting": requests_waiting_for(request.user),
        "breadcrumbs": crumbs(("Requests waiting for you", None)),
    }
    return render(request, "channels/requests_waiting.html", context)


@request_decider_required
def request_decide(request, access_request):
    """Approve (one approval is enough) or refuse with a reason."""
    refuse_form = RefuseForm(request.POST if request.POST.get("action") == "refuse" else None)
    approve_form = forms.Form(request.POST if request.POST.get("action") == "approve" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                access_request_approve(access_request=access_request, by=request.user)
                messages.success(request, f"{access_request.person} can now post to {access_request.account}.")
                return redirect("channels:requests")
            if refuse_form.is_valid():
                access_request_refuse(
                    access_request=access_request, by=request.user, reason=refuse_form.cleaned_data["reason"]
                )
                messages.success(request, f"{access_request.person}'s request is refused. They have been told why.")
                return redirect("channels:requests")
        except ChannelsError as error:
            (approve_form if request.POST.get("action") == "approve" else refuse_form).add_error(None, str(error))
    context = {
        "access_request": access_request,
        "holds_licence": access_request.is_open and licence_holds(access_request.person),
        "form": refuse_form if refuse_form.errors else approve_form,
        "refuse_form": refuse_form,
        "breadcrumbs": crumbs(("Requests waiting for you", reverse("channels:requests")), ("Decide", None)),
    }
    failed = request.method == "POST"
    return render(request, "channels/request_decide.html", context, status=400 if failed else 200)


def request_withdraw(request, pk):
    """The asker takes their own request back; anyone else's is not found."""
    access_request = get_object_or_404(AccessRequest.objects.select_related("account"), pk=pk, person=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        access_request_withdraw(access_request=access_request, by=request.user)
    except ChannelsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Your request to post to {access_request.account} is withdrawn.")
    return redirect("channels:mine")


@grant_steward_required
def grant_end_view(request, grant):
    """End someone's access before it lapses by itself; the owners are told to remove them on the platform."""
    if not grant.is_in_force:
        raise Http404("This access has ended already.")
    form = GrantEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant_end(grant=grant, by=request.user, reason=form.cleaned_data["reason"])
        except ChannelsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"{grant.person}'s access to {grant.account} has ended. Remove them on the platform too."
            )
            return redirect("channels:detail", pk=grant.account_id)
    account_url = reverse("channels:detail", kwargs={"pk": grant.account_id})
    context = {"form": form, "grant": grant, "breadcrumbs": crumbs((str(grant.account), account_url), ("End", None))}
    return render(request, "channels/grant_end.html", context, status=400 if form.errors else 200)
