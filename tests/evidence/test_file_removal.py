"""A stored evidence file follows its row out: after the commit of whatever deleted the row — the preparer's
removal (tests/evidence/test_uploads.py) or a cascade — never before, and never when the deletion rolled back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import ProtectedError

from perfeval.evidence import services
from perfeval.evidence.models import Evidence
from perfeval.workflow import services as workflow
from tests.evidence import files
from tests.evidence.conftest import make_submittable_with_evidence, stored_files


def _upload(report, user, name, body, place=None) -> Evidence:
    upload = SimpleUploadedFile(name, body)
    return services.add_evidence(report=report, user=user, place=place or services.Place(), files=[upload])[0]


@pytest.fixture
def reply(preparer, reviewer, demo_report, evidence_dir):
    """A file for the whole report, then the report returned and a reply file uploaded to its return reason."""
    whole = _upload(demo_report, preparer, "总体.pdf", files.pdf())
    make_submittable_with_evidence(demo_report)
    workflow.submit_report(report=demo_report, user=preparer)
    round_ = workflow.return_report(
        report=demo_report, user=reviewer, reasons=[workflow.PinnedReason("请附满意度调查", "", "")]
    )
    demo_report.refresh_from_db()
    answer = _upload(
        demo_report, preparer, "调查.xlsx", files.xlsx(), services.Place(reason=round_.reasons.get())
    )
    assert stored_files(evidence_dir) == sorted([whole.stored_name, answer.stored_name])
    return {"round": round_, "whole": whole, "answer": answer}


def test_cascaded_rows_take_their_files_after_the_commit(
    reply, evidence_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            reply["round"].delete()  # its reasons, and the reply files with them
            assert stored_files(evidence_dir) == sorted(
                [reply["whole"].stored_name, reply["answer"].stored_name]
            )
    assert len(callbacks) == 1
    assert not Evidence.objects.filter(pk=reply["answer"].pk).exists()
    assert stored_files(evidence_dir) == [reply["whole"].stored_name]


def test_rolled_back_deletion_keeps_the_files(
    reply, demo_report, evidence_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            Evidence.objects.filter(report=demo_report).delete()
            reply["round"].delete()
            raise RuntimeError("aborted")
    assert callbacks == []
    assert Evidence.objects.filter(report=demo_report).count() == 2
    assert stored_files(evidence_dir) == sorted([reply["whole"].stored_name, reply["answer"].stored_name])


def test_a_report_with_evidence_is_kept_by_its_audit_log_and_so_are_its_files(
    preparer, demo_report, evidence_dir, django_capture_on_commit_callbacks
):
    """Every upload is audited, and the audit log protects its report: such a report is never deleted (the
    admin offers no report deletion either), so its files stay."""
    stored = _upload(demo_report, preparer, "a.pdf", files.pdf())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ProtectedError):
            demo_report.delete()
    assert callbacks == []
    assert stored_files(evidence_dir) == [stored.stored_name]
