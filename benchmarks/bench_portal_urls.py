"""The project's URLs plus /bench/bare/: a Django view that does nothing, through the same middleware."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("perfeval.urls"))]
