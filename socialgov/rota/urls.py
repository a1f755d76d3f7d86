from django.urls import path, re_path

from socialgov.rota.views import mine, rota, shifts, swaps

app_name = "rota"

urlpatterns = [
    path("", rota.rota, name="rota"),
    path("now/", rota.on_call_now, name="now"),
    path("settings/", rota.rota_settings, name="settings"),
    path("shifts/new/", shifts.shift_add, name="shift-add"),
    path("shifts/<int:pk>/edit/", shifts.shift_edit, name="shift-edit"),
    path("shifts/<int:pk>/delete/", shifts.shift_delete, name="shift-delete"),
    path("shifts/<int:pk>/swap/", swaps.swap_request_view, name="swap-request"),
    path("swaps/<int:pk>/", swaps.swap_detail, name="swap"),
    path("mine/", mine.mine, name="mine"),
    path("mine/calendar-link/", mine.calendar_link, name="calendar-link"),
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{1,100})\.ics$", mine.calendar_feed, name="calendar"),
]
