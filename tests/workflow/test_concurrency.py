"""Two reviewers act on the same submitted report at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from perfeval.filing.models import Report, Status
from perfeval.workflow import services
from perfeval.workflow.models import AuditAction, AuditEvent


def race(report_id, actions):
    """Run each action in its own thread and database connection, released together by a barrier."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            report = Report.objects.get(pk=report_id)
            barrier.wait(timeout=10)
            action(report)
            outcomes[index] = "won"
        except services.WorkflowError as exc:
            outcomes[index] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approve_and_return_one_wins(ready_report, preparer, reviewer, administrator):
    services.submit_report(report=ready_report, user=preparer)
    reason = [services.PinnedReason("请核对三公经费", "att1", "sangong")]
    for _ in range(5):  # several rounds, so the race really is a race and not one lucky ordering
        Report.objects.filter(pk=ready_report.pk).update(status=Status.SUBMITTED)
        before = AuditEvent.objects.filter(action__in=[AuditAction.APPROVE, AuditAction.RETURN]).count()
        outcomes = race(
            ready_report.pk,
            [
                lambda r: services.approve_report(report=r, user=reviewer),
                lambda r: services.return_report(report=r, user=administrator, reasons=reason),
            ],
        )
        assert outcomes.count("won") == 1, outcomes
        loser = next(o for o in outcomes if o != "won")
        assert "已被他人处理或修改" in loser
        after = AuditEvent.objects.filter(action__in=[AuditAction.APPROVE, AuditAction.RETURN]).count()
        assert after - before == 1
        final = Report.objects.get(pk=ready_report.pk).status
        assert final == (Status.APPROVED if outcomes[0] == "won" else Status.RETURNED)
        # A return that lost left no round behind; resolve what a winning return opened.
        for reason_row in services.open_reasons(ready_report):
            reason_row.resolved_at = reason_row.round.returned_at
            reason_row.save()
