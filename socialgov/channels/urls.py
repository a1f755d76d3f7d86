from django.urls import path

from socialgov.channels.views import cover, pauses, posting, register

app_name = "channels"

urlpatterns = [
    path("", register.account_list, name="list"),
    path("new/", register.account_create, name="create"),
    path("<int:pk>/", register.account_detail, name="detail"),
    path("<int:pk>/edit/", register.account_edit, name="edit"),
    path("<int:pk>/review/", register.access_review, name="review"),
    path("<int:pk>/request/", posting.access_request_new, name="request"),
    path("access/", posting.my_access, name="mine"),
    path("requests/", posting.requests_waiting, name="requests"),
    path("requests/<int:pk>/", posting.request_decide, name="request-decide"),
    path("requests/<int:pk>/withdraw/", posting.request_withdraw, name="request-withdraw"),
    path("grants/<int:pk>/end/", posting.grant_end_view, name="grant-end"),
    path("absences/", cover.absence_list, name="absences"),
    path("absences/new/", cover.absence_new, name="absence-new"),
    path("absences/<int:pk>/cancel/", cover.absence_cancel_view, name="absence-cancel"),
    path("pauses/", pauses.pause_list, name="pauses"),
    path("pauses/new/", pauses.pause_new, name="pause-new"),
    path("pauses/<int:pk>/", pauses.pause_detail, name="pause"),
    path("pauses/<int:pk>/lift/", pauses.pause_lift_view, name="pause-lift"),
]
