from django.urls import path

from perfeval.filing import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("jobs/<int:job_id>/", views.job_page, name="job_page"),
    path("jobs/<int:job_id>/status/", views.job_status, name="job_status"),
    path("jobs/<int:job_id>/result/", views.job_result, name="job_result"),
]
