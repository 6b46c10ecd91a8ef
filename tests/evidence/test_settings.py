"""The evidence storage and limits come from environment variables; a bad value stops start-up with its name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django, json; from django.conf import settings; django.setup(); "
    "from django.core.files.storage import storages; s = storages['evidence']; "
    "print(json.dumps([type(s).__module__ + '.' + type(s).__name__, getattr(s, 'bucket_name', None), "
    "getattr(s, 'endpoint_url', None), getattr(s, 'location', None)]))"
)


def _settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PERFEVAL_S3_", "EVIDENCE_"))}
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "perfeval.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_filesystem_by_default():
    result = _settings(MEDIA_ROOT="/tmp/perfeval-media-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["django.core.files.storage.filesystem.FileSystemStorage", null, null, "/tmp/perfeval-media-test/evidence"]'
    )


def test_s3_when_the_bucket_is_set():
    result = _settings(
        PERFEVAL_S3_BUCKET="perfeval-evidence",
        PERFEVAL_S3_ENDPOINT_URL="https://minio.example.gov.cn:9000",
        PERFEVAL_S3_ACCESS_KEY_ID="key",
        PERFEVAL_S3_SECRET_ACCESS_KEY="secret",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["storages.backends.s3.S3Storage", "perfeval-evidence", "https://minio.example.gov.cn:9000", "evidence"]'
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PERFEVAL_S3_BUCKET": "b"}, "PERFEVAL_S3_ACCESS_KEY_ID must be set when PERFEVAL_S3_BUCKET is set"),
        (
            {"PERFEVAL_S3_BUCKET": "b", "PERFEVAL_S3_ACCESS_KEY_ID": "k"},
            "PERFEVAL_S3_SECRET_ACCESS_KEY must be set",
        ),
        (
            {
                "PERFEVAL_S3_BUCKET": "b",
                "PERFEVAL_S3_ACCESS_KEY_ID": "k",
                "PERFEVAL_S3_SECRET_ACCESS_KEY": "s",
                "PERFEVAL_S3_ENDPOINT_URL": "minio:9000",
            },
            "PERFEVAL_S3_ENDPOINT_URL='minio:9000' is not an http(s) URL with a host",
        ),
        (
            {
                "PERFEVAL_S3_BUCKET": "b",
                "PERFEVAL_S3_ACCESS_KEY_ID": "k",
                "PERFEVAL_S3_SECRET_ACCESS_KEY": "s",
                "PERFEVAL_S3_ADDRESSING_STYLE": "sideways",
            },
            "PERFEVAL_S3_ADDRESSING_STYLE='sideways' must be one of auto, path, virtual",
        ),
        ({"EVIDENCE_MAX_BYTES": "20MB"}, "EVIDENCE_MAX_BYTES='20MB' is not an integer"),
        ({"EVIDENCE_MAX_PER_UPLOAD": "500"}, "EVIDENCE_MAX_PER_UPLOAD must be at least 1 and at most"),
    ],
)
def test_bad_values_stop_start_up(env, named):
    result = _settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr
