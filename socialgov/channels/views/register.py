"""The register: every account for everyone who signs in; adding and changing accounts for comms leads."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from socialgov.channels.access import account_steward_required
from socialgov.channels.forms import AccessRequestForm, AccountForm, RegisterFilterForm
from socialgov.channels.models import AccessRequest, Account, Platform
from socialgov.channels.selectors import cover_on, licence_holds, pauses_by_account
from socialgov.channels.services import (
    EDITOR_ROLES,
    ChannelsError,
    access_review_record,
    account_save,
    pauses_in_force,
)
from socialgov.people.access import role_required
from socialgov.people.models import Department
from socialgov.people.roles import has_role
from training.licensing import requirements_for

PAGE_SIZE = 25


def crumbs(*trail):
    return [("Home", reverse("web:home")), ("Accounts", reverse("channels:list")), *trail]


def _filtered(filters: dict):
    accounts = Account.objects.select_related("team").prefetch_related("owners").order_by("platform", "handle", "pk")
    if not filters.get("retired"):
        accounts = accounts.active()
    if filters["q"]:
        query = filters["q"]
        accounts = accounts.filter(
            Q(handle__icontains=query) | Q(url__icontains=query) | Q(team__name__icontains=query)
        )
    if filters["platform"]:
        accounts = accounts.filter(platform=filters["platform"])
    if filters["team"] is not None:
        accounts = accounts.filter(team__path__startswith=filters["team"].path)
    return accounts


def account_list(request):
    """The register, searched and filtered, with today's cover and any pause on each row: a fixed number of queries."""
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(_filtered(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    accounts = list(page.object_list)
    pauses = list(pauses_in_force())
    cover = cover_on(accounts, today)
    paused = pauses_by_account(accounts, pauses)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "page": page,
        "rows": [{"account": a, "cover": cover[a.pk], "pauses": paused[a.pk]} for a in accounts],
        "pauses": pauses,
        "filters": filters,
        "platforms": Platform.choices,
        "departments": Department.objects.filter(social_accounts__isnull=False).distinct().order_by("path"),
        "querystring": querystring.urlencode(),
        "today": today,
        "can_edit": has_role(request.user, *EDITOR_ROLES),
        "breadcrumbs": [("Home", reverse("web:home")), ("Accounts", None)],
    }
    return render(request, "channels/account_list.html", context)


def account_detail(request, pk):
    """One account: who owns and covers it, who may post, any pause, and the way to ask for access."""
    account = get_object_or_404(
        Account.objects.select_related("team", "last_access_review_by").prefetch_related("owners"), pk=pk
    )
    return render(request, "channels/account_detail.html", detail_context(request, account))


def detail_context(request, account: Account, *, request_form: AccessRequestForm | None = None) -> dict:
    """What the account page shows this person; shared with the request page so errors appear in place."""
    user, today = request.user, timezone.localdate()
    owner_ids = {owner.pk for owner in account.owners.all()}
    is_owner = user.pk in owner_ids
    grants = list(account.grants.select_related("person", "approved_by").order_by("lapsed_at", "-granted_at")[:50])
    my_grant = next((g for g in grants if g.person_id == user.pk and g.is_in_force), None)
    my_request = account.access_requests.filter(person=user, status=AccessRequest.Status.REQUESTED).first()
    can_steward = user.is_active and (is_owner or has_role(user, *EDITOR_ROLES))
    context = {
        "account": account,
        "today": today,
        "review_due_on": account.access_review_due_on(),
        "pauses": [pause for pause in pauses_in_force() if pause.covers(account.pk)],
        "cover": cover_on([account], today)[account.pk],
        "grants_in_force": [g for g in grants if g.is_in_force],
        "grants_lapsed": [g for g in grants if not g.is_in_force],
        "is_owner": is_owner,
        "my_grant": my_grant,
        "my_request": my_request,
        "can_steward": can_steward,
        "can_edit": has_role(user, *EDITOR_ROLES),
        "can_see_credentials": can_steward or my_grant is not None,
        "waiting": (
            list(account.access_requests.filter(status=AccessRequest.Status.REQUESTED).select_related("person"))
            if can_steward
            else []
        ),
        "request_form": None,
        "licence_missing": None,
        "breadcrumbs": crumbs((str(account), None)),
    }
    if account.is_active and not is_owner and my_grant is None and my_request is None:
        if licence_holds(user, today=today):
            context["request_form"] = request_form or AccessRequestForm()
        else:
            context["licence_missing"] = [r for r in requirements_for(user, today=today) if not r.is_met]
    return context


@role_required(*EDITOR_ROLES)
def account_create(request):
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_save(account=form.instance, owners=form.cleaned_data["owner_emails"], by=request.user)
        except ChannelsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{account} is in the register.")
            return redirect("channels:detail", pk=account.pk)
    context = {"form": form, "breadcrumbs": crumbs(("Add an account", None))}
    return render(request, "channels/account_form.html", context, status=400 if form.errors else 200)


@role_required(*EDITOR_ROLES)
def account_edit(request, pk):
    account = get_object_or_404(Account.objects.prefetch_related("owners"), pk=pk)
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        try:
            account_save(account=form.instance, owners=form.cleaned_data["owner_emails"], by=request.user)
        except ChannelsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The register entry for {account} is saved.")
            return redirect("channels:detail", pk=account.pk)
    trail = crumbs((str(account), reverse("channels:detail", kwargs={"pk": account.pk})), ("Change", None))
    context = {"form": form, "account": account, "breadcrumbs": trail}
    return render(request, "channels/account_form.html", context, status=400 if form.errors else 200)


@account_steward_required
@require_POST
def access_review(request, account):
    """Record that the account's access has been reviewed today."""
    try:
        access_review_record(account=account, by=request.user)
    except ChannelsError as error:
        messages.error(request, str(error))
    else:
        due = date_format(account.access_review_due_on(), "j F Y")
        messages.success(request, f"Access review recorded. The next one is due on {due}.")
    return redirect("channels:detail", pk=account.pk)
