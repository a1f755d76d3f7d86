from django.urls import path

from policies.views import oversight, reading, writing

app_name = "policies"

urlpatterns = [
    path("", reading.document_list, name="list"),
    path("new/", writing.document_new, name="create"),
    path("drafts/", writing.drafts, name="drafts"),
    path("preview/", writing.preview, name="preview"),
    path("help/", reading.help_now, name="help"),
    path("<slug:slug>/", reading.document_detail, name="detail"),
    path("<slug:slug>/versions/<int:pk>/", reading.version_detail, name="version"),
    path("<slug:slug>/compare/", reading.version_compare, name="compare"),
    path("<slug:slug>/print/", reading.document_print, name="print"),
    path("<slug:slug>/acknowledge/", reading.acknowledge, name="acknowledge"),
    path("<slug:slug>/details/", writing.document_edit, name="edit"),
    path("<slug:slug>/draft/", writing.draft, name="draft"),
    path("<slug:slug>/draft/submit/", writing.draft_submit_view, name="submit"),
    path("<slug:slug>/draft/publish/", writing.draft_publish, name="publish"),
    path("<slug:slug>/draft/return/", writing.draft_return_view, name="return"),
    path("<slug:slug>/retire/", writing.document_retire_view, name="retire"),
    path("<slug:slug>/report/", oversight.report, name="report"),
    path("<slug:slug>/record/", oversight.record, name="record"),
    path("<slug:slug>/history/", oversight.history, name="history"),
]
