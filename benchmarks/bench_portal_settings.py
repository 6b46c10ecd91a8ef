"""Settings of the served page benchmarks (bench_portal, bench_notices, bench_edit_served): the project's own, plus
bare views to measure the server against."""

from perfeval.settings import *  # noqa: F403

ROOT_URLCONF = "bench_portal_urls"

# The yardstick behind login is plain Django: its session names ModelBackend, which must then be listed.
if "django.contrib.auth.backends.ModelBackend" not in AUTHENTICATION_BACKENDS:  # noqa: F405
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "django.contrib.auth.backends.ModelBackend"]  # noqa: F405
