from django.urls import path

from perfeval.editing import views

app_name = "editing"
urlpatterns = [
    path("reports/<int:report_id>/edit/", views.overview, name="overview"),
    path("reports/<int:report_id>/edit/text/", views.edit_text, name="text"),
    path("reports/<int:report_id>/edit/attachment1/", views.edit_attachment1, name="attachment1"),
    path("reports/<int:report_id>/edit/attachment2/", views.edit_attachment2, name="attachment2"),
    path("reports/<int:report_id>/edit/projects/", views.edit_projects, name="projects"),
    path(
        "reports/<int:report_id>/edit/projects/<int:project_id>/attachment3/",
        views.edit_attachment3,
        name="attachment3",
    ),
    path("reports/<int:report_id>/check/", views.check, name="check"),
    path("reports/<int:report_id>/explain/", views.explain, name="explain"),
    path("reports/<int:report_id>/edit/draft/<str:part>/", views.keep_draft, name="draft"),
    path("reports/<int:report_id>/edit/draft/<str:part>/discard/", views.discard_draft, name="discard_draft"),
    path(
        "reports/<int:report_id>/edit/attachment1/recompute/",
        views.recompute_attachment1,
        name="recompute_attachment1",
    ),
    path(
        "reports/<int:report_id>/edit/attachment2/recompute/",
        views.recompute_scorecard,
        name="recompute_attachment2",
    ),
    path(
        "reports/<int:report_id>/edit/projects/<int:project_id>/attachment3/recompute/",
        views.recompute_scorecard,
        name="recompute_attachment3",
    ),
]
