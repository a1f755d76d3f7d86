from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_new, name="new"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/actions/", views.incident_action, name="action"),
    path("acknowledge/<str:token>/", views.acknowledge_link, name="acknowledge-link"),
]
