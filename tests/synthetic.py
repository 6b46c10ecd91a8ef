"""The one synthetic-report builder, shared by tests and benchmarks (never imported by the production package).

A synthetic report is an open-data payload (the report's one shape): :func:`synthetic_payload` builds it with
``projects`` projects, each with a 附件3 of ``indicators`` rows, and :func:`make_synthetic_report` stores it
through the same import every other source uses.
"""

from decimal import Decimal

from perfeval.rules import catalogue
from perfeval.rules.packs import SHIPPED_PACKS, rule_pack_from_dict

PACKS = {pack["code"]: pack for pack in SHIPPED_PACKS}


def _indicators(pack, count: int) -> list[dict]:
    """``count`` rows spread over every 二级 of the pack, listed under their 二级 in skeleton order as the
    page and the workbook list them (so a workbook round trip gives the same payload back)."""
    level2s = [(level.key, child.key) for level in pack.skeleton for child in level.children]
    rows = []
    for i in sorted(range(count), key=lambda i: i % len(level2s)):
        level1, level2 = level2s[i % len(level2s)]
        actual = 90 + i % 20
        rows.append(
            {
                "level1": level1,
                "level2": level2,
                "name": f"指标{i + 1}",
                "operator": "ge",
                "target_value": "100",
                "target_unit": "",
                "target_text": "≥100",
                "actual_value": str(actual),
                "actual_text": str(actual),
                "qual_band": None,
                "weight": "2",
                "score": "1.8",
                "deviation_reason": "部分未达成" if i % 20 < 10 else "",
            }
        )
    return rows


def _card(pack, indicators: int, funds: dict, **extra) -> dict:
    return {
        "competent_department": "",
        "implementing_unit": "",
        "goal_expected": "完成年度工作任务。",
        "goal_actual": "基本完成年度工作任务。",
        "execution_explanation": "",
        "funds": funds,
        "not_applicable": [],
        "reported_execution_rate": None,
        "reported_execution_score": None,
        "reported_total_score": None,
        "indicators": _indicators(pack, indicators),
        **extra,
    }


def _line(initial=None, full_year=None, executed=None) -> dict:
    return {"initial": initial, "full_year": full_year, "executed": executed}


def synthetic_payload(
    *,
    projects: int = 50,
    indicators: int = 30,
    code: str = "synthetic",
    name: str | None = None,
    year: int = 2023,
    rule_pack: str = "hunan-zhuzhou",
) -> dict:
    """An open-data payload of a filled report with ``projects`` projects × ``indicators`` rows per card."""
    source = PACKS[rule_pack]
    pack = rule_pack_from_dict(source)
    project_rows, specials = [], []
    for p in range(projects):
        category = ("business", "operation", "special")[p % 3]
        project_name = f"项目{p + 1}"
        if category == "special":
            specials.append({"name": project_name, "prior_final": None, "budget": "20", "final": "19"})
        project_rows.append(
            {
                "name": project_name,
                "category": category,
                "initial_budget": "20",
                "adjustment": "0",
                "actual_spent": "19",
                "carryover": None,
                "name_in_s2": "",
                "name_in_s6": "",
                "s6_text": f"年初预算项目“{project_name}”20 万元，实际支出 19 万元。",
                "no_scorecard_reason": "",
                "attachment3": _card(
                    pack,
                    indicators,
                    {"current": _line("20", "20", "19"), "carryover": _line(), "other": _line()},
                    competent_department=name or f"合成单位{code}",
                    implementing_unit=name or f"合成单位{code}",
                ),
            }
        )
    return {
        "schema": "perfeval.report/1",
        "department": {"code": code, "name": name or f"合成单位{code}"},
        "year": year,
        "rule_pack": {"code": source["code"], "version": source["version"]},
        "status": "draft",
        "cover_date": f"{year + 1}-03-01",
        "footer": {
            "preparer_name": "张三",
            "fill_date": f"{year + 1}-03-01",
            "phone": "",
            "head_name": "李四",
        },
        "text": {
            "s1_intro": "合成单位的基本情况。",
            "s1_duties": "职责一\n职责二",
            "s1_organization": "内设科室三个。",
            "s2_note": "",
            "s3_note": "",
            "s4_text": "我单位无国有资本经营预算支出。",
            "s5_text": "我单位无社会保险基金预算支出。",
            "s6_overall": "整体支出绩效良好。",
            "s7_problems": "部分指标未达成。",
            "s8_measures": "加强预算执行管理。",
            "s9_application": "自评结果在部门网站公开。",
            "s10_other": "无",
        },
        "personnel_expense": "500",
        "attachment1": {
            "staff_quota": 40,
            "staff_actual": 38,
            "reported_control_rate": None,
            "expenses": {
                item.code: {"prior_final": None, "budget": "10", "final": "9"}
                for item in catalogue.EXPENSE_ITEMS
            },
            "special_rows": specials,
            "buildings": [],
            "frugality_measures": "严格执行中央八项规定。",
        },
        "attachment2": _card(
            pack,
            indicators,
            {"total": _line("1000", "1000", "950")},
            income_general="950",
            income_gov_fund="0",
            income_non_tax="0",
            income_other="0",
            nature_basic=str(Decimal(950) - Decimal(19) * projects) if projects * 19 < 950 else "0",
            nature_project=str(Decimal(19) * projects),
        ),
        "projects": project_rows,
    }


def make_synthetic_report(*, period, projects: int = 50, indicators: int = 30, code: str = "synthetic"):
    """A stored synthetic report in ``period`` (department created when missing), imported as a payload."""
    from perfeval.filing.models import Report
    from perfeval.filing.opendata import import_report
    from perfeval.orgs.models import Department

    payload = synthetic_payload(projects=projects, indicators=indicators, code=code, year=period.year)
    department, _ = Department.objects.get_or_create(
        code=code, defaults={"name": payload["department"]["name"]}
    )
    report = Report.objects.create(department=department, period=period)
    return import_report(payload, report=report)


def _row(level1, level2, name, operator, target, unit, target_text, actual, actual_text, weight, band=None):
    return {
        "level1": level1, "level2": level2, "name": name, "operator": operator, "target_value": target,
        "target_unit": unit, "target_text": target_text, "actual_value": actual, "actual_text": actual_text,
        "qual_band": band, "weight": weight, "score": weight, "deviation_reason": "",
    }  # fmt: skip


# A clean table under the central pack (产出 50 with 成本 · 效益 30 · 满意度 10): every rule met, 总分 99.50.
CLEAN_PROJECT_INDICATORS = [
    _row("output", "quantity", "培训基层人员", "ge", "100", "人次", "≥100人次", "110", "110人次", "20"),
    _row("output", "quality", "培训合格率", "ge", "95", "%", "≥95%", "98", "98%", "10"),
    _row(
        "output", "timeliness", "完成时间", "qual", None, "", "年底前完成", None, "按期完成", "10", "achieved"
    ),
    _row("output", "cost", "项目成本", "le", "20", "万元", "≤20万元", "19", "19万元", "10"),
    _row("benefit", "social", "受益群众", "ge", "1000", "人", "≥1000人", "1100", "1100人", "30"),
    _row("satisfaction", "beneficiary", "受训人员满意度", "ge", "90", "%", "≥90%", "95", "95%", "10"),
]


def synthetic_project_payload(
    *,
    projects: int = 2,
    code: str = "synthetic",
    name: str | None = None,
    year: int = 2023,
    rule_pack: str = "central-default",
) -> dict:
    """A filled 项目支出绩效自评 (kind "project") under the central pack: ``projects`` clean tables and nothing of
    the 部门整体 parts."""
    from perfeval.excel.payload import blank_payload

    source = PACKS[rule_pack]
    unit = name or f"合成单位{code}"
    payload = blank_payload(
        department_code=code,
        department_name=unit,
        year=year,
        rule_pack={"code": source["code"], "version": source["version"]},
        kind=catalogue.PROJECT_FILING,
    )
    payload["projects"] = [
        {
            "name": f"基层培训项目{p + 1}",
            "category": "",
            "attachment3": {
                "competent_department": unit,
                "implementing_unit": unit,
                "goal_expected": "为全县基层人员开展业务培训 100 人次以上，受益群众 1000 人以上。",
                "goal_actual": "完成培训 110 人次，受益群众 1100 人。",
                "execution_explanation": "",
                "funds": {
                    "carryover": _line("0", "0", "0"),
                    "current": _line("20", "20", "19"),
                    "other": _line("0", "0", "0"),
                },
                "not_applicable": ["economic", "ecological", "sustainable"],
                "reported_execution_rate": None,
                "reported_execution_score": None,
                "reported_total_score": None,
                "indicators": [dict(row) for row in CLEAN_PROJECT_INDICATORS],
            },
        }
        for p in range(projects)
    ]
    return payload
