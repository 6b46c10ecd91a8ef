"""python manage.py check_report on the demo: every finding as JSON or text, exit status 1 when errors exist."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from perfeval.filing.checked import report_findings
from perfeval.filing.models import ExpenseAmount, FundLine, Indicator, Report, Scorecard
from perfeval.filing.parts import reports_with_parts
from perfeval.orgs.models import Department
from perfeval.rules import catalogue

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_report", *args, stdout=out)
    return exited.value.code, out.getvalue()


def test_check_report_json_lists_the_demo_mistakes(demo_report):
    status, output = _run("--department", "zzxfj", "--year", "2023", "--format", "json")
    findings = json.loads(output)
    assert status == 1
    assert "三公经费 2023年决算数 24.19 ≠ 23.73 + 0.46 + 0.46 = 24.65" in output  # ensure_ascii=False
    sangong = next(
        f for f in findings if f["code"] == "ATT1_SUM_MISMATCH" and f["place"]["column"] == "final"
    )
    assert sangong == {
        "code": "ATT1_SUM_MISMATCH",
        "severity": "error",
        "kind": "inconsistent",
        "place": {
            "table": "att1",
            "row": "sangong",
            "column": "final",
            "label": "附件1 · 三公经费 · 2023年决算数",
        },
        "message": "三公经费 2023年决算数 24.19 ≠ 23.73 + 0.46 + 0.46 = 24.65；可能有误的是出国经费 0.46（恰好等于差额 0.46，"
        "与相邻的公务接待相同，预算数为 0）：改为 0 后各项之和 23.73 + 0 + 0.46 = 24.19，与填报数一致",
        "blanks": [],
        "suspect": {
            "table": "att1",
            "row": "abroad",
            "column": "final",
            "label": "附件1 · 出国经费 · 2023年决算数",
        },
    }
    codes = {f["code"] for f in findings}
    assert {"EXEC_RATE_MISMATCH", "PROJECT_NO_SCORECARD", "PERSONAL_NUMBER", "IND_OPERATOR_MISSING"} <= codes
    # issue 11: the demo also finds 部门基本支出预算调整 0 ≠ −85.66 and the 成本 targets on 年初 in 附件2 and 附件3
    assert {(f["code"], f["place"]["table"]) for f in findings} >= {
        ("ATT1_BASIC_ADJUSTMENT_MISMATCH", "att1"),
        ("IND_COST_ON_INITIAL", "att2"),
        ("IND_COST_ON_INITIAL", f"att3:{demo_report.scorecards.get(kind='project').pk}"),
    }
    (adjustment,) = [f for f in findings if f["code"] == "ATT1_BASIC_ADJUSTMENT_MISMATCH"]
    assert adjustment["message"].startswith("部门基本支出预算调整 2023年决算数 0 ≠ 附件2 基本支出 800.14")
    assert adjustment["message"].endswith("= -85.66")
    cost = [f["message"] for f in findings if f["code"] == "IND_COST_ON_INITIAL"]
    assert [m.split("，")[0] for m in cost] == [
        "成本目标 ≤1310.8万元 = 年初预算数 1310.8",
        "成本目标 425万元 = 年初预算数 425",
    ]
    assert {f["kind"] for f in findings} == {"inconsistent"}  # the demo is complete
    assert [(f["code"], f["place"]["label"]) for f in findings] == [
        (f.code, f.place.label) for f in report_findings(reports_with_parts().get(pk=demo_report.pk))
    ]


def test_check_report_text_format(demo_report):
    status, output = _run("--department", "zzxfj", "--year", "2023", "--format", "text")
    assert status == 1
    findings = report_findings(reports_with_parts().get(pk=demo_report.pk))
    errors = sum(f.severity == "error" for f in findings)
    assert (
        output.splitlines()[-1]
        == f"共 {len(findings)} 项：错误 {errors} 项，提示 {len(findings) - errors} 项"
    )
    assert "[错误] EXEC_RATE_MISMATCH · 附件2 · 年度资金总额 · 执行率：" in output


def _clean_report(period):
    """A small report the checks find nothing wrong with."""
    department = Department.objects.create(code="clean", name="干净单位")
    texts = {name: "已填写" for name in ("s1_intro", "s2_note", "s3_note", "s4_text", "s5_text", "s6_overall",
                                          "s7_problems", "s8_measures", "s10_other", "frugality_measures")}  # fmt: skip
    report = Report.objects.create(
        department=department, period=period, staff_quota=10, staff_actual=10, s9_application="在门户网站公开",
        preparer_name="张三", phone="0731-28680000", head_name="李四", fill_date=date(2024, 3, 1),
        personnel_expense=Decimal(90), **texts,
    )  # fmt: skip
    card = Scorecard.objects.create(
        report=report,
        kind="department",
        income_general=Decimal(100),
        income_gov_fund=0,
        income_non_tax=0,
        income_other=0,
        nature_basic=Decimal(100),
        nature_project=0,
    )
    FundLine.objects.create(scorecard=card, source="total", initial=100, full_year=100, executed=100)
    # Blank is not zero: a complete report fills every row, 0 where nothing was spent.
    for item in catalogue.EXPENSE_ITEMS:
        amount = 10 if item.code == "public" else 0
        prior = amount if item.has_prior else None
        ExpenseAmount.objects.create(
            report=report, item_id=item.code, prior_final=prior, budget=amount, final=amount
        )
    for level in period.rule_pack.rules().skeleton:
        share = level.weight // len(level.children)
        for i, child in enumerate(level.children):
            weight = share + (level.weight - share * len(level.children) if i == 0 else 0)
            Indicator.objects.create(
                scorecard=card, level1=level.key, level2=child.key, name=f"{child.label}指标", operator="ge",
                target_value=1, target_text="≥1", actual_value=1, actual_text="1", weight=weight, score=weight,
            )  # fmt: skip
    return report


def test_check_report_exit_zero_without_errors(demo_report):
    _clean_report(demo_report.period)
    out = StringIO()
    call_command("check_report", "--department", "clean", "--year", "2023", stdout=out)  # no SystemExit
    # A warning only: the 满意度 indicator has no survey attached (perfeval/evidence).
    assert [(f["code"], f["severity"]) for f in json.loads(out.getvalue())] == [
        ("IND_EVIDENCE_MISSING", "warning")
    ]


def test_check_report_unknown_report(demo_report):
    with pytest.raises(CommandError, match="没有找到 nobody 的 2023 年度报告"):
        call_command("check_report", "--department", "nobody", "--year", "2023", stdout=StringIO())
