from django.urls import path

from socialgov.privacy import views

app_name = "privacy"

urlpatterns = [
    path("your-data/", views.mine, name="mine"),
    path("your-data/download/", views.mine_json, name="mine-json"),
    path("subject-access/", views.subject_access_start, name="subject-access-start"),
    path("subject-access/<int:pk>/", views.subject_access_view, name="subject-access"),
    path("subject-access/<int:pk>/download/", views.subject_access_json, name="subject-access-json"),
    path("audit/", views.audit, name="audit"),
]
