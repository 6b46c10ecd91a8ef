from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("perfeval.filing.urls")),
    path("", include("perfeval.editing.urls")),
    path("", include("perfeval.workflow.urls")),
    path("", include("perfeval.publishing.urls")),
    path("", include("perfeval.excel.urls")),
    path("", include("perfeval.portal.urls")),
    path("", include("perfeval.evidence.urls")),
    path("", include("perfeval.notices.urls")),
]
