"""In-app notifications and notification preferences (every signed-in person)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socialgov.notifications.forms import PreferenceForm, mandatory_kinds, optional_kinds
from socialgov.notifications.models import Notification, Preference
from socialgov.notifications.selectors import unread_count
from socialgov.notifications.services import notifications_mark_read, preference_update

PAGE_SIZE = 25


def _crumbs(*trail):
    return [("Home", reverse("web:home")), *trail]


def local_path(url: str) -> str | None:
    """The URL if it is a path on this site ("/..."), otherwise None: links never lead off the site."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return None
    return url


@require_GET
def notification_list(request):
    """The person's notifications, newest first."""
    notifications = Notification.objects.filter(recipient=request.user).only(
        "pk", "title", "due_on", "created_at", "read_at"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread": unread_count(request),
            "breadcrumbs": _crumbs(("Notifications", None)),
        },
    )


@require_POST
def mark_read(request):
    """Mark all the person's notifications read, then go back to where they were."""
    marked = notifications_mark_read(person=request.user)
    if marked:
        messages.success(request, f"{marked} notification{'' if marked == 1 else 's'} marked as read")
    else:
        messages.info(request, "You have no unread notifications")
    back = local_path(request.POST.get("next", ""))
    return redirect(back or "notifications:list")


@require_GET
def open_notification(request, pk: int):
    """Mark one of the person's notifications read and go to what it is about."""
    notification = get_object_or_404(Notification.objects.only("pk", "url"), pk=pk, recipient=request.user)
    notifications_mark_read(person=request.user, ids=[notification.pk])
    return redirect(local_path(notification.url) or "web:home")


@require_http_methods(["GET", "POST"])
def preferences(request):
    """When the daily email arrives, and which optional reminders the person has switched off."""
    preference = Preference.objects.filter(person=request.user).first()
    optional = optional_kinds()
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                preference_update(
                    person=request.user,
                    digest_time=form.cleaned_data["digest_time"],
                    opted_out_kinds=form.cleaned_data["opted_out_kinds"],
                )
            except ValueError as error:  # a kind became mandatory while the form was open
                form.add_error("opted_out_kinds", str(error))
            else:
                messages.success(request, "Your notification preferences have been saved")
                return redirect("notifications:preferences")
    else:
        digest_time = preference.digest_time if preference else settings.NOTIFICATIONS_DIGEST_TIME
        optional_keys = {kind.key for kind in optional}
        opted_out = [key for key in (preference.opted_out_kinds if preference else []) if key in optional_keys]
        form = PreferenceForm(initial={"digest_time": digest_time.strftime("%H:%M"), "opted_out_kinds": opted_out})
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "optional_kinds": optional,
            "mandatory_kinds": mandatory_kinds(),
            "breadcrumbs": _crumbs(("Notifications", reverse("notifications:list")), ("Preferences", None)),
        },
    )
