"""The yardstick of the page benchmarks: a view behind login that does nothing, and the URLconf a benchmark
runs with (``settings.ROOT_URLCONF = "benchmarks.bare_view"``): the project's URLs plus that view."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

BARE_URL = "/bench/bare/"


@login_required
def bare(request):
    """The yardstick: a view behind login that does nothing."""
    return HttpResponse("ok")


def run_in_process(urlconf: str = __name__) -> None:
    """The settings of a benchmark that serves its pages through the test client in its own process: production's
    DEBUG, every host, ``urlconf`` (this module: the project's URLs and the bare view), a fast hasher for the
    accounts it makes."""
    settings.DEBUG = False
    settings.ROOT_URLCONF = urlconf
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PLAIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def bare_client(user):
    """A test client logged in as ``user`` the way plain Django logs in (ModelBackend: the user row alone), for
    the yardstick: the project's own backend also loads the navbar's department, bureau and unread count with
    the user, which the bare view must not be charged for."""
    from django.test import Client

    if PLAIN_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, PLAIN_BACKEND]
    client = Client()
    client.force_login(user, backend=PLAIN_BACKEND)
    return client


urlpatterns = [path(BARE_URL.strip("/") + "/", bare), path("", include("perfeval.urls"))]
