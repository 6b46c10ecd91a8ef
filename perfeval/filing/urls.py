from django.urls import path

from perfeval.filing import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
]
