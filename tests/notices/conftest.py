import pytest

from perfeval.orgs.models import Department, Role, User
from tests.workflow.helpers import make_submittable


@pytest.fixture
def period(demo_report):
    """The demo's 2023 period: deadline 2024-04-30, three departments — 株洲市信访局 with its draft report (a
    preparer and a head), 株洲市民政局 with no report (a preparer) and 株洲市司法局 with neither."""
    return demo_report.period


def add_departments(period, count: int, *, prefix="storm", email=True) -> list[Department]:
    """``count`` departments of the period, each with one preparer (with an e-mail address) and no report:
    what a period looks like early in the season, in a handful of INSERTs."""
    departments = Department.objects.bulk_create(
        [Department(code=f"{prefix}{i:04d}", name=f"{prefix}单位{i:04d}") for i in range(count)]
    )
    departments = list(Department.objects.filter(code__startswith=prefix).order_by("code"))
    period.departments.add(*departments)
    User.objects.bulk_create(
        [
            User(
                username=f"{d.code}_preparer",
                role=Role.PREPARER,
                department=d,
                email=f"{d.code}@example.org" if email else "",
            )
            for d in departments
        ]
    )
    return departments


@pytest.fixture
def ready_report(demo_report):
    """The demo report with its errors fixed and its warnings explained: it can be submitted."""
    make_submittable(demo_report)
    demo_report.refresh_from_db()
    return demo_report
