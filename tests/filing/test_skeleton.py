"""The report skeleton (附件2, a 附件3 per project, their budget-block rows) for reports made before it existed,
and for imports."""

from datetime import date
from importlib import import_module

from django.apps import apps

from perfeval.filing.demo import load_fixture
from perfeval.filing.models import FilingPeriod, FundLine, Project, Report, RulePack, Scorecard, Status
from perfeval.filing.opendata import import_report
from perfeval.orgs.models import Department
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023

migration = import_module("perfeval.filing.migrations.0005_complete_report_skeletons")


def old_style_draft(period, code, *, status=Status.DRAFT):
    """A report as the period opening made it before: carried projects, no scorecard at all."""
    department = Department.objects.create(code=code, name=f"单位{code}")
    report = Report.objects.create(department=department, period=period, status=status)
    Project.objects.create(report=report, name="甲项目", order=0, category="business")
    Project.objects.create(
        report=report, name="乙项目", order=1, category="business", no_scorecard_reason="绩效由主管部门评价。"
    )
    return report


def skeleton(report) -> list[tuple]:
    return [
        (
            card.kind,
            card.project.name if card.project else None,
            sorted(card.fund_lines.values_list("source", flat=True)),
        )
        for card in Scorecard.objects.filter(report=report).select_related("project").order_by("kind", "id")
    ]


def test_skeleton_migration_gives_old_drafts_what_they_lack(demo_report):
    period = FilingPeriod.objects.create(
        bureau=demo_report.period.bureau,
        year=2024,
        deadline=date(2025, 4, 30),
        rule_pack=demo_report.period.rule_pack,
    )
    draft = old_style_draft(period, "d1")
    submitted = old_style_draft(period, "d2", status=Status.SUBMITTED)
    demo_lines = FundLine.objects.filter(scorecard__report=demo_report).count()

    migration.complete(apps, None)
    migration.complete(apps, None)  # twice: nothing doubles

    assert skeleton(draft) == [
        ("department", None, ["total"]),
        ("project", "甲项目", ["carryover", "current", "other"]),
    ]
    assert skeleton(submitted) == []  # frozen as it was submitted
    # The demo already had its 附件2; its third project has no 附件3 and no reason, so it gets one.
    assert [name for _, name, _ in skeleton(demo_report)] == [None, "信访维稳工作经费", "信访工作经费"]
    assert FundLine.objects.filter(scorecard__report=demo_report).count() == demo_lines + 3


def test_skeleton_migration_labels_the_shipped_packs_only(demo_report):  # the shipped packs as loaded
    shipped = RulePack.objects.get(code="hunan-zhuzhou", version=2023)
    shipped.definition = {k: v for k, v in shipped.definition.items() if k not in ("year", "region")}
    shipped.save()
    own = {**HUNAN_ZHUZHOU_2023, "version": 1, "name": "自定义"}
    del own["year"], own["region"]
    custom = RulePack.objects.create(code="hunan-zhuzhou", version=1, name="自定义", definition=own)

    migration.label_shipped_packs(apps, None)

    shipped.refresh_from_db()
    custom.refresh_from_db()
    assert (shipped.rules().year, shipped.rules().region) == (2023, "湖南省株洲市")
    assert (custom.rules().year, custom.rules().region) == (None, "")


def test_import_without_attachment2_gives_a_blank_one_and_keeps_the_documents_projects(demo_report):
    payload = load_fixture()
    payload["attachment2"] = None
    import_report(payload, report=demo_report)
    assert skeleton(demo_report) == [
        ("department", None, ["total"]),
        ("project", "信访维稳工作经费", ["carryover", "current", "other"]),
    ]
    department_card = Scorecard.objects.get(report=demo_report, kind="department")
    assert (department_card.indicators.count(), department_card.goal_expected) == (0, "")
