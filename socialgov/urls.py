"""Top-level URLs. Every app keeps its own ``urls.py`` with an ``app_name``."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "SocialGov administration"
admin.site.site_title = "SocialGov admin"
# The admin site signs people in through allauth, so rate limits and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("socialgov.web.urls")),
    path("people/", include("socialgov.people.urls")),
    path("notifications/", include("socialgov.notifications.urls")),
    path("policies/", include("policies.urls")),
    path("training/", include("training.urls")),
    path("rota/", include("socialgov.rota.urls")),
    path("channels/", include("socialgov.channels.urls")),
    path("incidents/", include("incidents.urls")),
    path("abuse-reports/", include("socialgov.abuse.urls")),
    path("reports/", include("socialgov.reports.urls")),
    path("privacy/", include("socialgov.privacy.urls")),
    path("api/", include("socialgov.api.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "socialgov.web.views.error_403"
handler404 = "socialgov.web.views.error_404"
handler500 = "socialgov.web.views.error_500"
