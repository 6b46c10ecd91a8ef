"""Where a report comes from: every new report is made here, with the full skeleton, carrying over what the
department filed the year before.

The skeleton is what a preparer fills and cannot add: 附件2 and one 附件3 per project, each with its budget-block
rows (附件2 年度资金总额; 附件3 当年财政拨款 · 上年结转资金 · 其他资金). The 一级/二级 indicator levels come from the
period's rule pack and the 三级 rows are free, so the levels need no rows of their own.

Carried from the previous report: 编制数, the 正文 一 texts, 附件1's 上年决算数 (last year's 决算数), the 市级专项资金
rows, the projects and every scorecard's 三级 indicators with their targets and 分值. What the year brings is left
blank — amounts, 实际完成值, 得分, 偏差原因 — never copied, because a carried figure would look filled and be
wrong. Last year's 年初预算 is not this year's either: budgets are set anew each year, so project amounts and fund
lines start blank (未填).
"""

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import Q

from perfeval.filing.models import (
    FilingKind,
    FilingPeriod,
    Project,
    Report,
    Scorecard,
    ScorecardKind,
    Status,
)
from perfeval.filing.parts import reports_with_parts
from perfeval.orgs.models import Department
from perfeval.rules import catalogue

CARRY_APPROVED = "approved"  # the department's last approved (or published) report
CARRY_LATEST = "latest"  # its newest report of any status: installations that start from imported drafts
CARRY_FROM = (CARRY_APPROVED, CARRY_LATEST)

DEPARTMENT_FUND_SOURCES = ("total",)
PROJECT_FUND_SOURCES = tuple(source for source, _label in catalogue.FUND_SOURCES)


def previous_report(
    *, department: Department, year: int, carry_from: str = CARRY_APPROVED, kind: str = FilingKind.DEPARTMENT
) -> Report | None:
    """The report a new report of ``year`` carries from: the department's last approved or published report of
    an earlier year and the same kind of filing, or with ``carry_from="latest"`` its newest earlier report of
    that kind whatever its status."""
    if carry_from not in CARRY_FROM:
        raise ValueError(f"carry_from must be one of {CARRY_FROM}, not {carry_from!r}")
    reports = reports_with_parts().filter(department=department, period__year__lt=year, period__kind=kind)
    if carry_from == CARRY_APPROVED:
        reports = reports.filter(status__in=(Status.APPROVED, Status.PUBLISHED))
    return reports.order_by("-period__year").first()


@transaction.atomic
def create_report(
    *, department: Department, period: FilingPeriod, user=None, carry_from: str = CARRY_APPROVED
) -> tuple[Report, Report | None]:
    """A new draft of ``department`` for ``period`` with the full skeleton, carried forward from the report
    ``previous_report`` finds. Returns the report and the one it was carried from (or None)."""
    previous = previous_report(
        department=department, year=period.year, carry_from=carry_from, kind=period.kind
    )
    report = Report.objects.create(department=department, period=period, updated_by=user)
    if previous is not None:
        carry_forward(report=report, previous=previous)
    complete_skeletons(report_ids=[report.pk])
    return report, previous


def carry_forward(*, report: Report, previous: Report) -> None:
    """Write into the new, empty ``report`` what carries over from ``previous``: last year's payload through
    ``opendata.carried_forward`` and the one import every whole report goes through."""
    from perfeval.filing.opendata import carried_forward, export_report, import_report

    pack = report.period.rule_pack.rules()
    import_report(carried_forward(export_report(previous), pack), report=report, check_document=False)


def _project_header(department) -> dict:
    """附件3's 主管部门 and 实施单位 as the department is now."""
    return {
        "competent_department": department.parent.name if department.parent_id else department.name,
        "implementing_unit": department.name,
    }


def new_project_scorecard(*, report: Report, project: Project) -> Scorecard:
    """A blank 附件3 for a project the preparer adds (or gives a 附件3 again)."""
    complete_skeletons(report_ids=[report.pk], projects=[project.pk])
    return Scorecard.objects.get(project=project)


def complete_skeletons(*, report_ids, projects=None, apps=global_apps) -> None:
    """Give each report what its skeleton lacks, all blank: 附件2, every scorecard's budget-block rows, and a
    附件3 for every project that has none and no stated reason for having none — or, when ``projects`` (ids)
    is given, for just those projects (none when it is empty). A project-only filing has no 附件2, and every
    one of its projects has its table (the table is what it files).

    ``apps`` is the app registry, so the data migration runs the same function on its historical models."""
    report_model = apps.get_model("filing", "Report")
    scorecard_model = apps.get_model("filing", "Scorecard")
    project_model = apps.get_model("filing", "Project")
    fund_line_model = apps.get_model("filing", "FundLine")
    report_ids = list(report_ids)
    # The data migration that first ran this knew no kinds of filing.
    kinds_known = any(f.name == "kind" for f in apps.get_model("filing", "FilingPeriod")._meta.get_fields())
    project_only = (
        set(
            report_model.objects.filter(pk__in=report_ids, period__kind=FilingKind.PROJECT).values_list(
                "pk", flat=True
            )
        )
        if kinds_known
        else set()
    )

    have_department_card = set(
        scorecard_model.objects.filter(report_id__in=report_ids, kind=ScorecardKind.DEPARTMENT).values_list(
            "report_id", flat=True
        )
    )
    cards = [
        scorecard_model(report_id=pk, kind=ScorecardKind.DEPARTMENT)
        for pk in report_ids
        if pk not in have_department_card and pk not in project_only
    ]
    bare = project_model.objects.filter(report_id__in=report_ids, scorecard__isnull=True)
    if projects is not None:
        bare = bare.filter(pk__in=projects) | bare.filter(report_id__in=project_only)
    else:
        bare = bare.filter(Q(no_scorecard_reason="") | Q(report_id__in=project_only))
    departments = {
        r.pk: r.department
        for r in report_model.objects.filter(pk__in={p.report_id for p in bare}).select_related(
            "department__parent"
        )
    }
    cards += [
        scorecard_model(
            report_id=p.report_id,
            kind=ScorecardKind.PROJECT,
            project=p,
            **_project_header(departments[p.report_id]),
        )
        for p in bare
    ]
    scorecard_model.objects.bulk_create(cards)

    have_line = set(
        fund_line_model.objects.filter(scorecard__report_id__in=report_ids).values_list(
            "scorecard_id", "source"
        )
    )
    fund_line_model.objects.bulk_create(
        fund_line_model(scorecard_id=card_id, source=source)
        for card_id, kind in scorecard_model.objects.filter(report_id__in=report_ids).values_list(
            "id", "kind"
        )
        for source in (DEPARTMENT_FUND_SOURCES if kind == ScorecardKind.DEPARTMENT else PROJECT_FUND_SOURCES)
        if (card_id, source) not in have_line
    )
