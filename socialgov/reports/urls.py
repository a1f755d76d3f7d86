from django.urls import path

from socialgov.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("departments/<int:pk>/", views.dashboard, name="department"),
    path("people/", views.people, name="people"),
    path("team/", views.team, name="team"),
    path("team/<int:pk>/nudge/", views.nudge, name="nudge"),
    path("people/<int:pk>/", views.person, name="person"),
]
