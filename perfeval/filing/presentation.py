"""Plain rows for the report page and the PDF: every figure in its official place, computed cells marked.

Rules come from perfeval.rules; this module only arranges their results for the templates.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from perfeval.charts import Chart, Series, extremes_sentence
from perfeval.filing.parts import department_scorecard, project_scorecards, report_data
from perfeval.rules import catalogue
from perfeval.rules.decimals import DASH, fmt_amount, fmt_percent, quantize
from perfeval.rules.scoring import add_optional, attachment1_computed, scorecard_result

ZERO = Decimal(0)


@dataclass
class Cell:
    """One printed value. ``computed``: the system computed it (marked on the page); ``reported``: the value an
    imported document printed where it disagrees with the computed one."""

    text: str
    computed: bool = False
    reported: str | None = None
    css: str = "num"


def amount(value: Decimal | None) -> str:
    """Table amounts: 万元 with two decimals; blank stays blank."""
    return "" if value is None else f"{quantize(value):,.2f}".replace(",", "")


def computed_cell(value: Decimal | None, reported: Decimal | None = None, kind: str = "amount") -> Cell:
    fmt = amount if kind == "amount" else (lambda v: fmt_percent(v))
    text = fmt(value) if value is not None or kind != "amount" else ""
    differs = reported is not None and (value is None or quantize(reported) != quantize(value))
    return Cell(text, computed=True, reported=(fmt(reported) if differs else None))


@dataclass
class Att1Row:
    label: str
    indent: int
    cells: list[Cell]
    code: str


@dataclass
class IndicatorRow:
    level1_label: str | None  # set on the first row of its 一级 (with the rowspan)
    level1_span: int
    level2_label: str | None
    level2_span: int
    name: str
    target: str
    actual: str
    weight: str
    score: str
    reason: str
    rule_note: str = ""  # rule score where it differs from the self score (screen only)
    ref: str = ""


@dataclass
class ScorecardView:
    kind: str
    number: str  # "2" or "3"
    title: str
    header: list[tuple[str, str]]
    fund_rows: list[dict]
    income: list[tuple[str, str]]
    nature: list[tuple[str, str]]
    goal_expected: str
    goal_actual: str
    rows: list[IndicatorRow]
    weight_total: Cell
    score_total: Cell
    grade: str
    rule_total: str
    ref: str = ""
    project_name: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def groups(self) -> list[list[IndicatorRow]]:
        """The rows of each 一级: the document prints one row group each, so a page break falls between
        groups and every merged 一级/二级 label stays with its rows."""
        groups: list[list[IndicatorRow]] = []
        for row in self.rows:
            if row.level1_label is not None or not groups:
                groups.append([])
            groups[-1].append(row)
        return groups


def _sentence_s2(report, dept_card, projects) -> list[str]:
    year = report.period.year
    public = next((e.final for e in report.expenses.all() if e.item_id == "public"), None)
    basic = dept_card.nature_basic if dept_card else None
    project_total = dept_card.nature_project if dept_card else None
    first = (
        f"{year} 年基本支出 {fmt_amount(basic)} 万元，其中人员经费 {fmt_amount(report.personnel_expense)} 万元，"
        f"公用经费 {fmt_amount(public)} 万元。"
    )
    parts = "，".join(f"{p.name_in_s2 or p.name} {fmt_amount(p.actual_spent)} 万元" for p in projects)
    second = f"{year} 年部门项目支出 {fmt_amount(project_total)} 万元" + (
        f"，其中{parts}。" if parts else "。"
    )
    return [first, second]


def _sentence_fund(report, dept_card, field_name: str, label: str) -> str:
    value = getattr(dept_card, field_name, None) if dept_card else None
    if not value:
        return f"我单位无{label}支出"
    return f"{report.period.year} 年{label}支出 {fmt_amount(value)} 万元。"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def narrative(report) -> list[dict]:
    dept_card = department_scorecard(report)
    projects = list(report.projects.all())
    staff = (
        f"本部门共有编制人数 {'' if report.staff_quota is None else report.staff_quota} 人，"
        f"实有人数 {'' if report.staff_actual is None else report.staff_actual} 人。"
    )
    titles = dict(catalogue.SECTIONS)
    return [
        {"key": "s1", "title": titles["s1"], "blocks": [
            {"paragraphs": _lines(report.s1_intro) + _lines(report.s1_duties)},
            {"paragraphs": [staff + (report.s1_organization or "")], "derived": True},
        ]},
        {"key": "s2", "title": titles["s2"], "blocks": [
            {"heading": "（一）基本支出情况", "paragraphs": _sentence_s2(report, dept_card, projects)[:1], "derived": True},
            {"heading": "（二）项目支出情况", "paragraphs": _sentence_s2(report, dept_card, projects)[1:], "derived": True},
            {"paragraphs": _lines(report.s2_note)},
        ]},
        {"key": "s3", "title": titles["s3"], "blocks": [
            {"paragraphs": [_sentence_fund(report, dept_card, "income_gov_fund", "政府性基金预算")], "derived": True},
            {"paragraphs": _lines(report.s3_note)},
        ]},
        {"key": "s4", "title": titles["s4"], "blocks": [{"paragraphs": _lines(report.s4_text)}]},
        {"key": "s5", "title": titles["s5"], "blocks": [{"paragraphs": _lines(report.s5_text)}]},
        {"key": "s6", "title": titles["s6"], "blocks": [
            {"heading": "（一）整体支出绩效情况", "paragraphs": _lines(report.s6_overall)},
            {"heading": "（二）项目支出绩效情况",
             "paragraphs": [f"{n}.{p.s6_text}" for n, p in enumerate(projects, start=1) if p.s6_text]},
        ]},
        {"key": "s7", "title": titles["s7"], "blocks": [{"paragraphs": _lines(report.s7_problems)}]},
        {"key": "s8", "title": titles["s8"], "blocks": [{"paragraphs": _lines(report.s8_measures)}]},
        {"key": "s9", "title": titles["s9"], "blocks": [{"paragraphs": _lines(report.s9_application)}]},
        {"key": "s10", "title": titles["s10"], "blocks": [{"paragraphs": _lines(report.s10_other)}]},
    ]  # fmt: skip


def derived_paragraphs(report) -> dict[str, list[str]]:
    """The sentences of each section that the document prints from the tables (what the edit page shows)."""
    return {
        section["key"]: [
            p for block in section["blocks"] if block.get("derived") for p in block["paragraphs"]
        ]
        for section in narrative(report)
    }


def attachment1(report, rules_report) -> dict:
    computed = attachment1_computed(rules_report)
    typed = {e.item_id: e for e in report.expenses.all()}
    rows = []
    for item in catalogue.EXPENSE_ITEMS:
        entry = typed.get(item.code)
        sums = computed.sums.get(item.code)
        cells = []
        for column, _ in catalogue.EXPENSE_COLUMNS:
            value = getattr(entry, column, None) if entry else None
            if column == "prior_final" and not item.has_prior:
                cells.append(Cell("——", css="center"))
            elif sums is not None:
                cells.append(computed_cell(getattr(sums, column), value))
            else:
                cells.append(Cell(amount(value)))
        rows.append(Att1Row(item.label, item.indent, cells, item.code))
        if item.code == "special":
            rows.extend(
                Att1Row(
                    row.name,
                    2,
                    [Cell(amount(getattr(row, c))) for c, _ in catalogue.EXPENSE_COLUMNS],
                    f"special:{row.pk}",
                )
                for row in report.special_rows.all()
            )
    buildings = []
    for row in report.buildings.all():
        rates = computed.buildings[str(row.pk)]
        buildings.append({
            "ref": row.pk,
            "name": row.name,
            "cells": [
                Cell(amount(row.approved_area)),
                Cell(amount(row.actual_area)),
                computed_cell(rates.area_rate, row.reported_area_rate, kind="percent"),
                Cell(amount(row.budget_investment)),
                Cell(amount(row.actual_investment)),
                computed_cell(rates.investment_rate, row.reported_investment_rate, kind="percent"),
            ],
        })  # fmt: skip
    year = report.period.year
    return {
        "title": catalogue.ATTACHMENT_TITLES["att1"].format(year=year),
        "columns": [label.format(year=year, prior_year=year - 1) for _, label in catalogue.EXPENSE_COLUMNS],
        "staff": [
            Cell("" if report.staff_quota is None else str(report.staff_quota), css="center"),
            Cell("" if report.staff_actual is None else str(report.staff_actual), css="center"),
            computed_cell(computed.control_rate, report.reported_control_rate, kind="percent"),
        ],
        "rows": rows,
        "buildings": buildings,
        "footnote": catalogue.ATT1_FOOTNOTE,
    }


def _indicator_rows(card, pack, result) -> list[IndicatorRow]:
    by_level2: dict[str, list] = {}
    for indicator in card.indicators.all():
        by_level2.setdefault(indicator.level2, []).append(indicator)
    not_applicable = set(card.not_applicable or ())
    rows: list[IndicatorRow] = []
    for level1 in pack.skeleton:
        level1_rows: list[IndicatorRow] = []
        for level2 in level1.children:
            indicators = by_level2.pop(level2.key, [])
            group = [_indicator_row(i, result) for i in indicators] or [
                IndicatorRow(
                    None, 0, None, 0, "不适用" if level2.key in not_applicable else "", "", "", "", "", ""
                )
            ]
            group[0].level2_label, group[0].level2_span = level2.label, len(group)
            level1_rows.extend(group)
        level1_rows[0].level1_label = f"{level1.label}（{fmt_amount(level1.weight)}分）"
        level1_rows[0].level1_span = len(level1_rows)
        rows.extend(level1_rows)
    for key, indicators in by_level2.items():  # rows under a key the pack does not know: still shown
        group = [_indicator_row(i, result) for i in indicators]
        group[0].level1_label, group[0].level1_span = "（规则包外）", len(group)
        group[0].level2_label, group[0].level2_span = key, len(group)
        rows.extend(group)
    return rows


def _indicator_row(indicator, result) -> IndicatorRow:
    rule = result.indicators.get(str(indicator.pk))
    note = ""
    if (
        rule is not None
        and rule.score is not None
        and indicator.score is not None
        and rule.score != indicator.score
    ):
        note = f"规则得分 {fmt_amount(rule.score)}"
    return IndicatorRow(
        None, 0, None, 0,
        name=indicator.name,
        target=indicator.target_text,
        actual=indicator.actual_text,
        weight=fmt_amount(indicator.weight) if indicator.weight is not None else "",
        score=fmt_amount(indicator.score) if indicator.score is not None else "",
        reason=indicator.deviation_reason,
        rule_note=note,
        ref=str(indicator.pk),
    )  # fmt: skip


def scorecard(report, card, rules_card, pack) -> ScorecardView:
    result = scorecard_result(rules_card, pack)
    execution = result.execution
    exec_cells = [
        Cell(fmt_amount(pack.execution_weight), css="center"),
        computed_cell(execution.rate, card.reported_execution_rate, kind="percent"),
        computed_cell(execution.score, card.reported_execution_score),
    ]
    if execution.rate is None:
        exec_cells[1] = Cell(DASH, computed=True, css="center")
    lines = {line.source: line for line in card.fund_lines.all()}
    if card.kind == "department":
        total = lines.get("total")
        fund_rows = [
            {
                "label": "年度资金总额",
                "cells": [Cell(amount(getattr(total, c, None))) for c, _ in catalogue.FUND_COLUMNS],
                "exec": exec_cells,
            }
        ]
        header = [[("市级预算部门（单位）名称", report.department.name, 6)]]
        number, title_key, name = "2", "att2", report.department.name
    else:
        # 分值, 执行率 and 得分 belong to 年度资金总额; the official form merges them down the whole block.
        fund_rows = [
            {
                "label": label,
                "cells": [Cell(amount(getattr(lines.get(src), c, None))) for c, _ in catalogue.FUND_COLUMNS],
            }
            for src, label in catalogue.FUND_SOURCES
        ]
        fund_rows.append(
            {
                "label": "年度资金总额",
                "cells": [computed_cell(getattr(result.funds, c)) for c, _ in catalogue.FUND_COLUMNS],
            }
        )
        fund_rows[0]["exec"] = exec_cells
        header = [
            [("项目支出名称", card.project.name, 6)],
            [("主管部门", card.competent_department, 2), ("实施单位", card.implementing_unit, 3)],
        ]
        number, title_key, name = "3", "att3", card.project.name
    return ScorecardView(
        kind=card.kind,
        number=number,
        title=catalogue.ATTACHMENT_TITLES[title_key].format(year=report.period.year),
        header=header,
        fund_rows=fund_rows,
        income=[(label, fmt_amount(getattr(card, f"income_{key}"))) for key, label in catalogue.INCOME_KINDS],
        nature=[(label, fmt_amount(getattr(card, f"nature_{key}"))) for key, label in catalogue.NATURE_KINDS],
        goal_expected=card.goal_expected,
        goal_actual=card.goal_actual,
        rows=_indicator_rows(card, pack, result),
        weight_total=computed_cell(result.weight_total),
        score_total=computed_cell(result.self_total, card.reported_total_score),
        grade=result.grade,
        rule_total=fmt_amount(result.rule_total) if result.rule_total is not None else "",
        ref=str(card.pk),
        project_name=name,
    )  # fmt: skip


def report_document(report) -> dict:
    """Everything the document template prints, from a report loaded with ``parts.reports_with_parts``."""
    pack = report.period.rule_pack.rules()
    rules_report = report_data(report)
    dept_card = department_scorecard(report)
    cards = []
    if dept_card is not None:
        cards.append(scorecard(report, dept_card, rules_report.department_scorecard, pack))
    rules_cards = {card.ref: card for card in rules_report.project_scorecards}
    cards.extend(
        scorecard(report, card, rules_cards[str(card.pk)], pack) for card in project_scorecards(report)
    )
    year = report.period.year
    return {
        "report": report,
        "year": year,
        "title": f"{year}年度{report.department.name}整体支出绩效自评报告",
        "cover_date": report.cover_date,
        "sections": narrative(report),
        "attachment_list": [
            catalogue.ATTACHMENT_TITLES[key].format(year=year).replace("部门（单位）", "部门")
            for key in ("att1", "att2", "att3")
        ],
        "att1": attachment1(report, rules_report),
        "scorecards": cards,
        "footer": [
            ("填表人", report.preparer_name),
            ("填报日期", report.fill_date.strftime("%Y.%-m.%-d") if report.fill_date else ""),
            ("联系电话", report.phone),
            ("单位负责人签字", report.head_name),
        ],
    }


def project_budget_chart(report) -> Chart:
    """预算 vs 实际支出 per project (正文 六（二）), for the chart and its table on the report page."""
    projects = list(report.projects.all())
    names = [p.name for p in projects]
    spent = [p.actual_spent for p in projects]
    return Chart(
        key="project-budget",
        title="项目预算与实际支出",
        kind="bar",
        categories=names,
        series=[
            Series("年初预算", [p.initial_budget for p in projects]),
            Series("调整后预算", [add_optional(p.initial_budget, p.adjustment) for p in projects]),
            Series("实际支出", spent),
        ],
        unit="万元",
        summary=extremes_sentence("各项目实际支出", names, spent, " 万元"),
        category_label="项目",
    )
