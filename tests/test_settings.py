"""Several app servers share one cache: the database's by default, Redis when CACHE_URL says so; sessions are in
the database. A malformed CACHE_URL stops start-up with its name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from perfeval.env import parse_cache_url

ROOT = Path(__file__).resolve().parent.parent


def _settings_of_a_new_process(**env) -> list[str]:
    """What a freshly started app process is configured with, from the environment alone."""
    environ = {k: v for k, v in os.environ.items() if k != "CACHE_URL"} | env
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND']); print(settings.CACHES['default'].get('LOCATION')); "
        "print(settings.SESSION_ENGINE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "perfeval.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return (
        result.stdout.split()
        if result.returncode == 0
        else ["failed", result.stderr.strip().splitlines()[-1]]
    )


def test_default_cache_is_the_database_cache_and_sessions_are_in_the_database():
    assert _settings_of_a_new_process() == [
        "django.core.cache.backends.db.DatabaseCache",
        "perfeval_cache",
        "django.contrib.sessions.backends.db",
    ]


def test_redis_when_cache_url_names_it():
    assert _settings_of_a_new_process(CACHE_URL="redis://cache:6379/1")[:2] == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache:6379/1",
    ]


def test_malformed_cache_url_stops_start_up_with_its_name():
    failed, message = _settings_of_a_new_process(CACHE_URL="memcached://x")
    assert failed == "failed" and "CACHE_URL='memcached://x'" in message


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("db://", "django.core.cache.backends.db.DatabaseCache", "perfeval_cache"),
        ("db://other_cache?max_entries=10", "django.core.cache.backends.db.DatabaseCache", "other_cache"),
        ("redis://:secret@10.0.0.5:6380/2", "django.core.cache.backends.redis.RedisCache", "redis://:secret@10.0.0.5:6380/2"),
        ("rediss://cache.internal", "django.core.cache.backends.redis.RedisCache", "rediss://cache.internal"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", "perfeval"),
    ],
)  # fmt: skip
def test_cache_url_forms(url, backend, location):
    config = parse_cache_url(url)
    assert (config["BACKEND"], config["LOCATION"]) == (backend, location)


@pytest.mark.parametrize(
    "url",
    [
        "memcached://host",
        "redis://",
        "redis://host:port",
        "redis://host/zero",
        "db://bad-table;drop",
        "db://?max_entries=0",
        "db://?max_entries=many",
        "db://?shards=2",
        "",
    ],
)
def test_malformed_cache_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        parse_cache_url(url)


@pytest.mark.django_db
def test_database_cache_keeps_values_in_the_shared_table(settings):
    """What one process caches is a row of the database, which every other process and server reads."""
    from django.core.cache import cache
    from django.core.management import call_command

    settings.CACHES = {"default": parse_cache_url("db://")}
    call_command("createcachetable", verbosity=0)
    cache.set("perfeval:test", {"errors": 3}, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM perfeval_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(key.endswith("perfeval:test") for key in keys)
    assert cache.get("perfeval:test") == {"errors": 3}


def _redis_on_this_machine() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _in_a_new_process(code: str, **env) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "CACHE_URL"} | env
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "perfeval.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.skipif(not _redis_on_this_machine(), reason="no Redis on 127.0.0.1:6379 (CI's machine has one)")
def test_what_one_app_process_keeps_in_redis_another_reads():
    """Two app processes, each with its own memory (perfeval.caching's first level), share the second level
    through the Redis that CACHE_URL names: the other process reads what the first kept, and so do pages."""
    import uuid

    key = f"perfeval-test:{uuid.uuid4().hex}"
    redis = {"CACHE_URL": "redis://127.0.0.1:6379/15"}
    keep = f"from perfeval import caching; caching.keep({key!r}, '第一个进程算出的值', 60)"
    read = f"from perfeval import caching; print(caching.read({key!r}))"
    try:
        _in_a_new_process(keep, **redis)
        assert _in_a_new_process(read, **redis) == "第一个进程算出的值"
        # Without the shared cache (each process its own memory), the second process finds nothing.
        assert _in_a_new_process(read, CACHE_URL="locmem://") == "None"
    finally:
        _in_a_new_process(f"from django.core.cache import cache; cache.delete({key!r})", **redis)
