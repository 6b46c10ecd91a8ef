from django.urls import path

from perfeval.evidence import views

app_name = "evidence"
urlpatterns = [
    path("reports/<int:report_id>/evidence/", views.place, name="place"),
    path("reports/<int:report_id>/evidence/upload/", views.upload, name="upload"),
    path("reports/<int:report_id>/evidence/<int:evidence_id>/", views.download, name="file"),
    path("reports/<int:report_id>/evidence/<int:evidence_id>/remove/", views.remove, name="remove"),
    path("reports/<int:report_id>/evidence/<int:evidence_id>/public/", views.make_public, name="public"),
]
