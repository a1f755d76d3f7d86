"""A person's own shifts, swaps, on-call phone number and calendar link; and the calendar feed the link opens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from socialgov.rota.feeds import calendar_feed_person, calendar_ics
from socialgov.rota.forms import PhoneForm
from socialgov.rota.models import CalendarFeed, OnCallPhone, Shift, ShiftSwap
from socialgov.rota.phones import phone_display
from socialgov.rota.services import RotaError, calendar_feed_renew, on_call_phone_set
from socialgov.rota.views.common import add_service_error

PAGE_SIZE = 20
RECENT_SWAPS = 10


def _mine_context(request, *, form: PhoneForm | None = None, new_link: str = "") -> dict:
    person = request.user
    now = timezone.now()
    upcoming = Shift.objects.filter(person=person, ends_at__gt=now).order_by("starts_at", "pk")
    page = Paginator(upcoming, PAGE_SIZE).get_page(request.GET.get("page"))
    swaps = ShiftSwap.objects.filter(Q(from_person=person) | Q(to_person=person)).select_related(
        "shift", "from_person", "to_person"
    )
    open_swaps = list(swaps.filter(status=ShiftSwap.Status.REQUESTED))
    phone = OnCallPhone.objects.filter(person=person).first()
    if form is None:
        form = PhoneForm(initial={"number": phone_display(phone.number) if phone else ""})
    asked_by_me = {swap.shift_id: swap for swap in open_swaps if swap.from_person_id == person.pk}
    return {
        "page": page,
        "rows": [(shift, asked_by_me.get(shift.pk)) for shift in page],
        "now": now,
        "asked_of_me": [swap for swap in open_swaps if swap.to_person_id == person.pk],
        "recent_swaps": swaps.exclude(status=ShiftSwap.Status.REQUESTED)[:RECENT_SWAPS],
        "feed": CalendarFeed.objects.filter(person=person).first(),
        "new_link": new_link,
        "webcal_link": new_link.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        "phone": phone,
        "form": form,
        "breadcrumbs": [("Home", reverse("web:home")), ("On-call rota", reverse("rota:rota")), ("Your shifts", None)],
    }


def mine(request):
    """Your upcoming shifts, swap requests to answer, your calendar link and the number colleagues ring."""
    form = PhoneForm(request.POST or None) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            phone = on_call_phone_set(person=request.user, number=form.cleaned_data["number"])
        except RotaError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Phone number saved." if phone else "Phone number removed.")
            return redirect("rota:mine")
    context = _mine_context(request, form=form)
    return render(request, "rota/mine.html", context, status=400 if form is not None and form.errors else 200)


@require_POST
def calendar_link(request):
    """Make a new secret calendar link, shown this once; the old one stops working."""
    token = calendar_feed_renew(person=request.user)
    link = request.build_absolute_uri(reverse("rota:calendar", kwargs={"token": token}))
    response = render(request, "rota/mine.html", _mine_context(request, new_link=link))
    # The page holds a secret: keep it out of caches and the browser's history of pages.
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_safe
def calendar_feed(request, token):
    """The person's shifts as iCalendar; calendar apps cannot sign in, so the secret link is the key."""
    person = calendar_feed_person(token)
    if person is None:
        raise Http404("No such calendar.")
    response = HttpResponse(calendar_ics(person=person), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="on-call.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
