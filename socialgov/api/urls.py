"""API URLs. DRF authenticates these (session or token) and answers 401/403 in JSON, not with a sign-in redirect."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from socialgov.api import views

app_name = "api"

urlpatterns = [
    path("v1/post-checks/", login_not_required(views.PostCheckView.as_view()), name="post-checks"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
]
