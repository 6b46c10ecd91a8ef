"""Long work shows progress: a job runs in a background task (the immediate backend here) while its
requester's page follows its status with htmx; the result downloads, a failure says why in Chinese, and nobody
else sees the job."""

import io

import openpyxl
import pytest
from django.urls import reverse

from perfeval.filing import jobs
from perfeval.filing.models import Job, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def handlers():
    """Kinds registered by a test are removed after it."""
    before = dict(jobs._HANDLERS)
    yield jobs.register
    jobs._HANDLERS.clear()
    jobs._HANDLERS.update(before)


def _pending(user, report, kind="excel.export"):
    """A job as a busy worker leaves it: asked for, not yet run."""
    return Job.objects.create(kind=kind, title="下载Excel", user=user, report=report)


def test_status_page_polls_while_pending_and_stops_when_done(preparer, preparer_client, demo_report):
    job = _pending(preparer, demo_report)
    page = preparer_client.get(reverse("job_page", args=[job.pk])).content.decode()
    assert 'data-status="pending"' in page and f'hx-get="/jobs/{job.pk}/status/"' in page
    assert 'hx-trigger="every 1s"' in page and "vendor/htmx/htmx.min.js" in page
    assert jobs.run_job(job.pk) == "done"
    block = preparer_client.get(reverse("job_status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in block and "hx-get" not in block
    assert f'href="/jobs/{job.pk}/result/"' in block
    download = preparer_client.get(reverse("job_result", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(download.content)).sheetnames[0] == "附件1"


def test_a_job_runs_once(preparer, demo_report):
    job = _pending(preparer, demo_report)
    assert (jobs.run_job(job.pk), jobs.run_job(job.pk)) == ("done", "nothing to do")


def test_result_is_not_served_before_the_job_is_done(preparer, preparer_client, demo_report):
    job = _pending(preparer, demo_report)
    assert preparer_client.get(reverse("job_result", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", ["job_page", "job_status", "job_result"])
def test_another_users_job_is_404(preparer, demo_report, other_client, reviewer_client, head, name):
    from django.test import Client

    job = _pending(preparer, demo_report)
    jobs.run_job(job.pk)
    head_client = Client()
    head_client.force_login(head)
    for client in (other_client, reviewer_client, head_client):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_failure_says_why_in_chinese_with_every_problem(preparer, preparer_client, demo_report, handlers):
    def refuse(job):
        raise jobs.JobFailed(
            "有 2 个单元格无法读取，未导入任何内容。", ["附件1!D6：「abc」不是数字", "附件2!C5：超出范围"]
        )

    handlers("test.refuse", refuse)
    job = _pending(preparer, demo_report, kind="test.refuse")
    assert jobs.run_job(job.pk) == "failed"
    page = preparer_client.get(reverse("job_page", args=[job.pk])).content.decode()
    assert 'data-status="failed"' in page and "hx-get" not in page
    assert "有 2 个单元格无法读取" in page
    assert "附件1!D6：「abc」不是数字" in page and "附件2!C5：超出范围" in page


def test_unexpected_error_shows_a_chinese_message_not_a_trace(
    preparer, preparer_client, demo_report, handlers
):
    def broken(job):
        raise KeyError("internal detail")

    handlers("test.broken", broken)
    job = _pending(preparer, demo_report, kind="test.broken")
    assert jobs.run_job(job.pk) == "failed"
    page = preparer_client.get(reverse("job_page", args=[job.pk])).content.decode()
    assert jobs.UNEXPECTED in page and "internal detail" not in page and "KeyError" not in page


def test_read_upload_leads_the_browser_to_the_preview(preparer_client, demo_report):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from perfeval.excel.models import ImportUpload
    from tests.excel.helpers import demo_workbook, to_bytes

    workbook = demo_workbook(demo_report)
    workbook["附件1"]["F6"] = 24.65
    started = preparer_client.post(
        reverse("excel:upload", args=[demo_report.pk]),
        {"file": SimpleUploadedFile("附表.xlsx", to_bytes(workbook))},
    )
    job = Job.objects.get(pk=started["Location"].split("/")[2])
    assert (job.kind, job.status, job.upload) == ("excel.read", JobStatus.DONE, None)  # the file is not kept
    status = preparer_client.get(reverse("job_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert status["HX-Redirect"] == reverse("job_page", args=[job.pk])
    preview = reverse("excel:preview", args=[demo_report.pk, ImportUpload.objects.get().pk])
    assert preparer_client.get(status["HX-Redirect"])["Location"] == preview


def test_old_jobs_are_deleted_when_a_new_one_starts(preparer, demo_report):
    from django.utils import timezone

    old = _pending(preparer, demo_report)
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - jobs.KEEP * 2)
    new = jobs.start_job(kind="excel.export", title="下载Excel", user=preparer, report=demo_report)
    assert list(Job.objects.values_list("pk", flat=True)) == [new.pk]
