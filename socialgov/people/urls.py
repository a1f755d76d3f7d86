from django.urls import path

from socialgov.people.views import directory, staff_import

app_name = "people"

urlpatterns = [
    path("", directory.person_list, name="list"),
    path("team/", directory.team, name="team"),
    path("<int:pk>/", directory.person_detail, name="detail"),
    path("import/", staff_import.upload, name="import-upload"),
    path("import/<int:pk>/", staff_import.preview, name="import-preview"),
    path("import/<int:pk>/apply/", staff_import.apply, name="import-apply"),
]
