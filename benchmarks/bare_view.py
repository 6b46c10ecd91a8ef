"""The yardstick of the page benchmarks: a view behind login that does nothing, and the URLconf a benchmark
runs with (``settings.ROOT_URLCONF = "benchmarks.bare_view"``): the project's URLs plus that view."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

BARE_URL = "/bench/bare/"


@login_required
def bare(request):
    """The yardstick: a view behind login that does nothing."""
    return HttpResponse("ok")


urlpatterns = [path(BARE_URL.strip("/") + "/", bare), path("", include("perfeval.urls"))]
