from django.urls import path

from perfeval.publishing import views

app_name = "publishing"
urlpatterns = [
    path("reports/<int:report_id>/pdf/draft/", views.report_pdf_draft, name="report_pdf_draft"),
    path(
        "reports/<int:report_id>/pdf/draft/<int:draft_id>/status/",
        views.report_pdf_draft_status,
        name="report_pdf_draft_status",
    ),
    path(
        "reports/<int:report_id>/pdf/draft/<int:draft_id>/draft.pdf",
        views.report_pdf_draft_file,
        name="report_pdf_draft_file",
    ),
    path("reports/<int:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:report_id>/pdf/status/", views.report_pdf_status, name="report_pdf_status"),
    path("reports/<int:report_id>/pdf/retry/", views.retry_report_pdf, name="retry_report_pdf"),
    path("reports/<int:report_id>/publish/", views.publish_gate, name="publish_gate"),
    path("public/", views.public_index, name="public_index"),
    path("public/<slug:department_code>/<int:year>/", views.public_report, name="public_report"),
    path(
        "public/<slug:department_code>/<int:year>/v<int:number>/", views.public_version, name="public_version"
    ),
    path(
        "public/<slug:department_code>/<int:year>/v<int:number>/report.pdf",
        views.public_pdf,
        name="public_pdf",
    ),
    path(
        "public/<slug:department_code>/<int:year>/v<int:number>/figures.csv",
        views.public_csv,
        name="public_csv",
    ),
    path(
        "public/<slug:department_code>/<int:year>/v<int:number>/evidence/<int:evidence_id>/",
        views.public_evidence,
        name="public_evidence",
    ),
    path(
        "public/<slug:department_code>/<int:year>/v<int:number>/data.json",
        views.public_json,
        name="public_json",
    ),
    # A project-only filing's public pages: the same views with its kind (after the patterns above, so
    # "v1" is never read as a kind).
    path(
        "public/<slug:department_code>/<int:year>/<slug:kind>/",
        views.public_report,
        name="public_report_kind",
    ),
    path(
        "public/<slug:department_code>/<int:year>/<slug:kind>/v<int:number>/",
        views.public_version,
        name="public_version_kind",
    ),
    path(
        "public/<slug:department_code>/<int:year>/<slug:kind>/v<int:number>/report.pdf",
        views.public_pdf,
        name="public_pdf_kind",
    ),
    path(
        "public/<slug:department_code>/<int:year>/<slug:kind>/v<int:number>/figures.csv",
        views.public_csv,
        name="public_csv_kind",
    ),
    path(
        "public/<slug:department_code>/<int:year>/<slug:kind>/v<int:number>/evidence/<int:evidence_id>/",
        views.public_evidence,
        name="public_evidence_kind",
    ),
    path(
        "public/<slug:department_code>/<int:year>/<slug:kind>/v<int:number>/data.json",
        views.public_json,
        name="public_json_kind",
    ),
]
