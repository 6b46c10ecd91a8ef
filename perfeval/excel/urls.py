from django.urls import path

from perfeval.excel import views

app_name = "excel"
urlpatterns = [
    path("reports/<int:report_id>/excel/", views.download, name="download"),
    path("reports/<int:report_id>/excel/template/", views.report_template, name="report_template"),
    path("reports/<int:report_id>/excel/import/", views.upload, name="upload"),
    path("reports/<int:report_id>/excel/import/<int:upload_id>/", views.preview, name="preview"),
    path("reports/<int:report_id>/excel/import/<int:upload_id>/confirm/", views.confirm, name="confirm"),
    path(
        "periods/<int:year>/departments/<slug:department_code>/excel-template/",
        views.department_template,
        name="department_template",
    ),
]
