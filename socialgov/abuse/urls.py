from django.urls import path

from socialgov.abuse import views

app_name = "abuse"

urlpatterns = [
    path("", views.my_reports, name="mine"),
    path("new/", views.report_new, name="new"),
    path("triage/", views.triage, name="triage"),
    path("assigned/", views.assigned, name="assigned"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/sent/", views.report_submitted, name="submitted"),
    path("<int:pk>/evidence/new/", views.evidence_new, name="evidence-new"),
    path("<int:pk>/evidence/<uuid:evidence>/", views.evidence_download, name="evidence"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/incident/", views.escalate, name="incident"),
]
