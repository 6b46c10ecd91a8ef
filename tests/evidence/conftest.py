import pytest
from django.urls import reverse

from perfeval.filing.models import Indicator, ScorecardKind


@pytest.fixture
def evidence_dir(settings, tmp_path):
    """The evidence storage of this test alone, so that "nothing stored" can be checked on disk."""
    location = tmp_path / "evidence"
    location.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


@pytest.fixture
def satisfaction(demo_report):
    """附件2's 满意度 indicator of the demo (群众满意率)."""
    return Indicator.objects.get(
        scorecard__report=demo_report, scorecard__kind=ScorecardKind.DEPARTMENT, level1="satisfaction"
    )


def stored_files(location) -> list[str]:
    return sorted(p.name for p in location.rglob("*") if p.is_file())


def upload_url(report) -> str:
    return reverse("evidence:upload", args=[report.pk])


def make_submittable_with_evidence(report) -> None:
    """make_submittable, without its per-load cache of the demo's warnings: with evidence attached the warnings
    differ from the demo's as loaded, and the cache must keep the demo's."""
    from tests.workflow.helpers import explain_warnings, fix_demo_errors

    fix_demo_errors(report)
    explain_warnings(report)
    report.refresh_from_db()
