"""Background jobs of filing (django-tasks): the generic job of ``filing.jobs``."""

from django_tasks import task


@task()
def run_job_task(job_id: int) -> str:
    """Do one job (a workbook export or import) while its requester's page follows its status."""
    from perfeval.filing.jobs import run_job

    return run_job(job_id)
