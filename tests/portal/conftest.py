"""Published synthetic reports for the portal tests: real approval and publication, without rendering PDFs
(the render runs on commit, and a test transaction never commits)."""

import datetime

import pytest

from perfeval.filing.models import FilingPeriod, Report, Status
from perfeval.filing.parts import reports_with_parts
from perfeval.orgs.models import FinanceBureau
from tests.synthetic import make_synthetic_report

PROBLEMS = (
    "本单位严格按照预算批复执行资金，但在项目前期论证不够充分，部分项目绩效目标设置不够细化量化，"
    "导致年中调整预算较多，资金执行进度前慢后快，个别指标实际完成值与年度指标值存在偏差，"
    "主要原因是上级政策调整和疫情影响导致部分工作延期开展。"
)
MEASURES = (
    "我局将进一步加强预算绩效管理，完善绩效目标编制，强化预算执行监控，定期通报资金支出进度，"
    "对执行缓慢的项目及时督促整改，确保财政资金使用效益，同时加强财务人员业务培训，提升预算编制的科学性和准确性。"
)


def period_for(year: int, rule_pack) -> FilingPeriod:
    period, _ = FilingPeriod.objects.get_or_create(
        bureau=FinanceBureau.objects.get(code="zhuzhou"),
        year=year,
        defaults={"deadline": datetime.date(year + 1, 4, 30), "rule_pack": rule_pack},
    )
    return period


@pytest.fixture
def make_report(demo_report):
    """A stored synthetic report of ``code`` and ``year`` with the given 正文 texts, as a draft."""

    def make(code: str, year: int = 2023, *, executed: str | None = None, **texts) -> Report:
        period = period_for(year, demo_report.period.rule_pack)
        report = make_synthetic_report(period=period, projects=1, indicators=3, code=code)
        if texts:
            Report.objects.filter(pk=report.pk).update(**texts)
        if executed is not None:
            card = report.scorecards.get(kind="department")
            card.fund_lines.filter(source="total").update(executed=executed)
        return reports_with_parts().get(pk=report.pk)

    return make


@pytest.fixture
def publish_report(reviewer):
    """Approve (set-up: the workflow's approval is tested in tests/workflow), freeze and publish a report."""

    def publish(report: Report):
        from perfeval.publishing.services import freeze_report, publish

        Report.objects.filter(pk=report.pk).update(status=Status.APPROVED)
        report = reports_with_parts().get(pk=report.pk)
        freeze_report(report=report, user=reviewer)
        return publish(report=report, user=reviewer, published_where="门户网站")

    return publish
