import pytest

from tests.workflow.helpers import make_submittable


@pytest.fixture
def ready_report(demo_report):
    """The demo report with its errors fixed and its warnings explained: it can be submitted."""
    make_submittable(demo_report)
    demo_report.refresh_from_db()
    return demo_report


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
