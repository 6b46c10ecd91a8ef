"""Settings of bench_portal.py: the project's own, plus a bare view to measure the server against."""

from perfeval.settings import *  # noqa: F403

ROOT_URLCONF = "bench_portal_urls"
