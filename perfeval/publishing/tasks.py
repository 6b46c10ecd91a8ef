"""Background jobs (django-tasks): immediate in development and tests, the database worker in production
(TASKS_BACKEND=django_tasks_db.DatabaseBackend, then ``python manage.py db_worker`` on one or more machines)."""

from django_tasks import task


@task()
def render_stored_pdf(kind: str, pk: int) -> str:
    """Render and store the final PDF of a snapshot ("snapshot") or a public version ("version"); on a shared
    queue, schedule its missing parts first (render_stored_pdf_part) and merge when they are done."""
    from perfeval.publishing.services import render_stored

    return render_stored(kind=kind, pk=pk)


@task()
def render_stored_pdf_part(kind: str, pk: int, key: str) -> str:
    """Render one part of a final PDF, so that several workers share a big report."""
    from perfeval.publishing.services import render_stored_part

    return render_stored_part(kind=kind, pk=pk, key=key)


@task()
def render_draft_pdf(draft_id: int) -> str:
    """Render a draft preview the preparer is waiting for (its status page polls the result)."""
    from perfeval.publishing.services import render_draft

    return render_draft(draft_id=draft_id)
