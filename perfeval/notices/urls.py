from django.urls import path

from perfeval.notices import views

app_name = "notices"
urlpatterns = [
    path("notices/", views.notice_list, name="list"),
    path("notices/read-all/", views.read_all, name="read_all"),
    path("notices/<int:notice_id>/", views.notice_detail, name="detail"),
    path("notices/<int:notice_id>/read/", views.read, name="read"),
    path("review/<int:year>/remind/", views.remind, name="remind"),
]
