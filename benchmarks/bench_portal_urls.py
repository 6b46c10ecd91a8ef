"""The project's URLs plus /bench/bare/: a Django view that does nothing, through the same middleware, and
/bench/bare-login/, the same behind login (the yardstick of pages that need a session)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-login/", login_required(bare)),
    path("", include("perfeval.urls")),
]
