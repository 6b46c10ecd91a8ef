from django.urls import path

from perfeval.portal import views

app_name = "portal"
urlpatterns = [
    path("portal/", views.index, name="index"),
    path("portal/departments/<slug:department_code>/", views.department, name="department"),
    path("portal/compare/", views.compare, name="compare"),
    path("portal/data/", views.open_data, name="open_data"),
    path("portal/data/<int:year>.csv", views.year_csv, name="year_csv"),
    path("portal/data/<int:year>.json", views.year_json, name="year_json"),
    path("reports/<int:report_id>/copies/", views.copies, name="copies"),
]
