"""Login hardening and security headers."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client

from perfeval.filing.demo import DEMO_PASSWORD
from perfeval.workflow.models import AuditAction, AuditEvent

BASE = Path(settings.BASE_DIR)


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sixth_wrong_password_is_refused_even_with_the_right_one(preparer):
    client = Client(REMOTE_ADDR="127.0.0.9")
    statuses = [login(client, preparer.username, "wrong").status_code for _ in range(5)]
    # Four times the form comes back with its error; the fifth failure reaches AXES_FAILURE_LIMIT and locks.
    assert statuses == [200, 200, 200, 200, 429]
    locked = login(client, preparer.username, DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in(preparer):
    client = Client(REMOTE_ADDR="127.0.0.10")
    assert login(client, preparer.username, DEMO_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(preparer.pk)


def test_session_key_rotates_at_login(preparer):
    client = Client()
    client.get("/accounts/login/")
    session = client.session
    session["probe"] = "before login"
    session.save()
    before = session.session_key
    assert login(client, preparer.username, DEMO_PASSWORD).status_code == 302
    assert client.session.session_key != before
    assert client.session["probe"] == "before login"


def test_security_headers(preparer_client, demo_report):
    response = preparer_client.get(f"/reports/{demo_report.pk}/history/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_workflow_templates_have_no_inline_script_or_style():
    for path in (BASE / "templates" / "workflow").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and "style=" not in text and "onclick" not in text, path


def test_denied_access_is_recorded_with_path_and_address(demo_report, other_preparer):
    client = Client(REMOTE_ADDR="127.0.0.7")
    client.force_login(other_preparer)
    assert client.get(f"/reports/{demo_report.pk}/").status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert (event.actor, event.report, event.path, event.ip) == (
        other_preparer,
        demo_report,
        f"/reports/{demo_report.pk}/",
        "127.0.0.7",
    )


def test_missing_report_is_not_a_denied_access(demo_report, other_client):
    assert other_client.get("/reports/999999/").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == 0


def test_production_settings_pass_the_deploy_check():
    # The test run's own DJANGO_ALLOW_ASYNC_UNSAFE (for Playwright) is no part of a production environment.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-0123456789!",
        "ALLOWED_HOSTS": "example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
