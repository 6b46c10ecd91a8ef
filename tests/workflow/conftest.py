import pytest

from tests.workflow.helpers import fill_unit_report, make_submittable


@pytest.fixture
def ready_report(demo_report):
    """The demo report with its errors fixed and its warnings explained: it can be submitted."""
    make_submittable(demo_report)
    demo_report.refresh_from_db()
    return demo_report


@pytest.fixture
def unit_report(demo_report):
    """The 2023 report of 株洲市社会福利院, a unit under the 主管部门 株洲市民政局, filled with the demo's figures
    and ready to be submitted."""
    report = fill_unit_report()
    make_submittable(report)
    report.refresh_from_db()
    return report


@pytest.fixture
def approved_2023(ready_report, preparer, reviewer):
    """The demo report submitted and approved through the workflow: last year for a new period."""
    from perfeval.workflow import services

    services.submit_report(report=ready_report, user=preparer)
    services.approve_report(report=ready_report, user=reviewer)
    return ready_report


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
