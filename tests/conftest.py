"""The fixed cast of users and the demo report, shared by every test module; browser set-up for Playwright.

The demo is loaded once per run into the test database (``django_db_setup``): each test runs in a transaction
that is rolled back, so every test sees the demo as loaded. Transactional tests (``live_server``, the
PostgreSQL concurrency tests) commit and flush the database afterwards; pytest-django runs them after all the
others, and ``demo_report`` loads the demo again when a flush has removed it. They all use
``serialized_rollback=True``: a plain flush recreates the content types under new ids, which the next test that
restores the serialized database then collides with.
"""

import os

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def pytest_configure(config):
    from django.conf import settings

    # The demo accounts are created in many tests; a slow password hash there only costs time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _evidence_files_in_a_temporary_directory(settings)
    # One process: the tests keep the cache in memory, so that a pinned query count counts the page's own
    # queries. The configured default, the database cache shared by every process, is tested in
    # tests/test_settings.py.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _let_flush_empty_the_audit_log_on_sqlite()


def _evidence_files_in_a_temporary_directory(settings):
    """Uploaded evidence of the whole run goes to a directory of its own, never to the checkout's media/."""
    import atexit
    import shutil
    import tempfile

    location = tempfile.mkdtemp(prefix="perfeval-evidence-")
    atexit.register(shutil.rmtree, location, ignore_errors=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }


def _let_flush_empty_the_audit_log_on_sqlite():
    """Transactional tests empty every table between tests. PostgreSQL does it with TRUNCATE, which its
    append-only trigger lets pass; SQLite deletes row by row, which its triggers refuse: drop them for the
    flush and put them back."""
    import importlib

    if connection.vendor != "sqlite":
        return
    operations = type(connection.ops)
    migration = importlib.import_module("perfeval.workflow.migrations.0003_auditevent_append_only_sqlite")
    sql_flush = operations.sql_flush

    def flush_with_audit_log(self, style, tables, **kwargs):
        statements = sql_flush(self, style, tables, **kwargs)
        if "workflow_auditevent" in tables and statements:
            return [*migration.DROP, *statements, *migration.CREATE]
        return statements

    operations.sql_flush = flush_with_audit_log


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from perfeval.filing.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    """PostgreSQL drops the test database only when no other session uses it; a session a test left behind
    (a server or worker thread's connection) would turn the whole run's teardown into an error."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def demo_report(db):
    from perfeval.filing.demo import load_demo
    from perfeval.filing.models import Report

    report = Report.objects.filter(
        department__code="zzxfj", period__year=2023, period__kind="department"
    ).first()
    return report if report is not None else load_demo()


@pytest.fixture
def users(demo_report):
    from perfeval.orgs.models import User

    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def preparer(users):
    return users["zzxfj_preparer"]


@pytest.fixture
def head(users):
    return users["zzxfj_head"]


@pytest.fixture
def other_preparer(users):
    return users["zzmzj_preparer"]


@pytest.fixture
def reviewer(users):
    return users["reviewer"]


@pytest.fixture
def administrator(users):
    return users["admin"]


def _client_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def preparer_client(preparer):
    from django.test import Client

    return _client_for(Client, preparer)


@pytest.fixture
def other_client(other_preparer):
    from django.test import Client

    return _client_for(Client, other_preparer)


@pytest.fixture
def reviewer_client(reviewer):
    from django.test import Client

    return _client_for(Client, reviewer)


@pytest.fixture
def login_page(live_server, page):
    """Log a browser page in through the real login form."""

    def login(username, password="perfeval-demo"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        return page

    return login


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages cached by one test (the dashboard, the portal) must not answer in the next: every test starts with
    an empty cache, as it starts with the demo database as loaded."""
    from django.core.cache import cache

    from perfeval import caching

    cache.clear()
    caching.clear_local()
