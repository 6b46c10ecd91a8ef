"""Background jobs (django-tasks): immediate in development and tests, the database worker in production
(TASKS_BACKEND=django_tasks_db.DatabaseBackend, then ``python manage.py db_worker``)."""

from django_tasks import task


@task()
def render_stored_pdf(kind: str, pk: int) -> str:
    """Render and store the final PDF of a snapshot ("snapshot") or a public version ("version")."""
    from perfeval.publishing.services import render_stored

    return render_stored(kind=kind, pk=pk)
