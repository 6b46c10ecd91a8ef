"""Long work shows progress: a job is a row (``models.Job``) and a background task (django-tasks: immediate in
development and tests, the database worker in production); its requester's browser follows a status page
(htmx polling) until the job names its result, a file to download or a page to go to, or says in Chinese why it
failed. The apps above register what each kind of job does (``register``, in their ``AppConfig.ready``), so
this module imports none of them."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from perfeval.filing.models import Job, JobStatus, Report

log = logging.getLogger(__name__)

KEEP = timedelta(days=1)  # a job's row, and its file, are deleted a day after it was asked for
UNEXPECTED = "处理时出现意外错误，请重试；仍不成功请联系管理员。"


class JobFailed(Exception):
    """Why a job cannot give its result, in Chinese; ``problems`` lists every bad place (a workbook's cells)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class Outcome:
    """A job's result: a file (``content`` with its name and type) or a page to go to (``next_url``)."""

    content: bytes | None = None
    filename: str = ""
    content_type: str = ""
    next_url: str = ""
    message: str = ""


_HANDLERS: dict[str, object] = {}


def register(kind: str, handler) -> None:
    """``handler(job) -> Outcome`` does the work of ``kind``; it raises JobFailed with a Chinese message."""
    _HANDLERS[kind] = handler


def start_job(
    *, kind: str, title: str, user, report: Report | None = None, arguments=None, upload=None
) -> Job:
    """The job, scheduled. Views run in autocommit (no ATOMIC_REQUESTS), so the row is committed before a worker
    can pick up its task; the immediate backend runs it at once."""
    from perfeval.filing.tasks import run_job_task

    if kind not in _HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    Job.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    job = Job.objects.create(
        kind=kind, title=title, user=user, report=report, arguments=arguments or {}, upload=upload
    )
    run_job_task.enqueue(job.pk)
    return job


def run_job(job_id: int) -> str:
    """Do a pending job once (a job claimed by another worker, or gone, is left alone)."""
    if not Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(status=JobStatus.RUNNING):
        return "nothing to do"
    job = Job.objects.select_related("user", "report").get(pk=job_id)
    try:
        outcome = _HANDLERS[job.kind](job)
    except JobFailed as exc:
        _finish(job_id, status=JobStatus.FAILED, error=str(exc), problems=exc.problems)
        return "failed"
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        _finish(job_id, status=JobStatus.FAILED, error=UNEXPECTED)
        return "failed"
    _finish(
        job_id,
        status=JobStatus.DONE,
        result=outcome.content,
        filename=outcome.filename,
        content_type=outcome.content_type,
        next_url=outcome.next_url,
        message=outcome.message,
    )
    return "done"


def _finish(job_id: int, **values) -> None:
    Job.objects.filter(pk=job_id).update(upload=None, finished_at=timezone.now(), **values)


def job_for(user, job_id: int) -> Job:
    """The user's own job, or 404 — the same answer whether it does not exist or is someone else's."""
    job = Job.objects.filter(pk=job_id, user=user).defer("upload", "result").first()
    if job is None:
        raise Http404("没有找到该任务，可能已过期，请重新操作。")
    return job
