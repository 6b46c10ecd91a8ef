"""Plain rows for the report page and the PDF: every figure in its official place, computed cells marked.

They are built from the report's one shape — the open-data payload — and the figures the rules computed for it
(``perfeval.rules.results``): for a live report both are made on the spot, for an approved one they are the
frozen snapshot, so the approved PDF and the public page print what was approved.
"""

from dataclasses import dataclass, field
from datetime import date
from itertools import count

from perfeval.charts import Chart, Series, extremes_sentence
from perfeval.filing.opendata import export_report
from perfeval.rules import catalogue
from perfeval.rules.decimals import DASH, fmt_amount
from perfeval.rules.packs import RulePack
from perfeval.rules.payload import report_data, to_decimal
from perfeval.rules.results import results
from perfeval.rules.scoring import sum_known


@dataclass
class Cell:
    """One printed value. ``computed``: the system computed it (marked on the page); ``reported``: the value an
    imported document printed where it disagrees with the computed one."""

    text: str
    computed: bool = False
    reported: str | None = None
    css: str = "num"


def amount(value) -> str:
    """A table amount in 万元 exactly as stored, with at least two decimals (425 → 425.00, 126.357 → 126.357);
    blank stays blank."""
    value = to_decimal(value)
    if value is None:
        return ""
    return f"{value:.{max(2, -value.as_tuple().exponent)}f}"


def _text(value) -> str:
    """A figure inside a sentence, as the seed prints it (425, 24.19); blank shows as 「空」."""
    return fmt_amount(to_decimal(value))


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
    grade: Cell
    rule_total: str
    ref: str = ""
    execution_explanation: str = ""  # printed in a project-only filing's table (its narrative)
    # 附件2's 收入: (label, amount) rows and their computed 合计; empty for a document that prints none.
    revenue: list[tuple[str, str]] = field(default_factory=list)
    revenue_total: Cell | None = None

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


class _Document:
    """The rows of one payload and its computed figures. Rows without a database ref get a number, unique in
    the document, for their HTML ids."""

    def __init__(self, payload: dict, computed: dict, pack: RulePack):
        self.payload, self.computed, self.pack = payload, computed, pack
        self.year = payload["year"]
        self.department_name = (payload.get("department") or {}).get("name") or ""
        self.att1 = payload.get("attachment1") or {}
        self.dept_card = payload.get("attachment2")
        self.projects = payload.get("projects") or []
        self.project_only = payload.get("kind") == catalogue.PROJECT_FILING
        self._numbers = count(1)

    def ref(self, row: dict) -> str:
        return str(row["ref"]) if row.get("ref") is not None else str(next(self._numbers))

    def computed_cell(self, value, reported=None, kind: str = "amount") -> Cell:
        value, reported = to_decimal(value), to_decimal(reported)
        if kind == "amount":
            fmt = amount
        else:
            pack = self.pack

            def fmt(v):
                return DASH if v is None else f"{fmt_amount(pack.round(v))}%"

        text = fmt(value) if value is not None or kind != "amount" else ""
        differs = reported is not None and (
            value is None or self.pack.round(reported) != self.pack.round(value)
        )
        return Cell(text, computed=True, reported=(fmt(reported) if differs else None))

    # ------------------------------------------------------------ 正文

    def _sentence_s2(self) -> list[str]:
        card = self.dept_card or {}
        public = ((self.att1.get("expenses") or {}).get("public") or {}).get("final")
        first = (
            f"{self.year} 年基本支出 {_text(card.get('nature_basic'))} 万元，其中人员经费 "
            f"{_text(self.payload.get('personnel_expense'))} 万元，公用经费 {_text(public)} 万元。"
        )
        parts = "，".join(
            f"{p.get('name_in_s2') or p.get('name')} {_text(p.get('actual_spent'))} 万元"
            for p in self.projects
        )
        second = f"{self.year} 年部门项目支出 {_text(card.get('nature_project'))} 万元" + (
            f"，其中{parts}。" if parts else "。"
        )
        return [first, second]

    def _sentence_fund(self, field_name: str, label: str) -> str:
        value = to_decimal((self.dept_card or {}).get(field_name))
        if not value:
            return f"我单位无{label}支出"
        return f"{self.year} 年{label}支出 {fmt_amount(value)} 万元。"

    def narrative(self) -> list[dict]:
        text = self.payload.get("text") or {}

        def lines(name: str) -> list[str]:
            return [line.strip() for line in (text.get(name) or "").splitlines() if line.strip()]

        quota, actual = self.att1.get("staff_quota"), self.att1.get("staff_actual")
        staff = (
            f"本部门共有编制人数 {'' if quota is None else quota} 人，"
            f"实有人数 {'' if actual is None else actual} 人。"
        )
        s2 = self._sentence_s2()
        titles = dict(catalogue.SECTIONS)
        s6_projects = [
            f"{n}.{p['s6_text']}" for n, p in enumerate(self.projects, start=1) if p.get("s6_text")
        ]
        return [
            {"key": "s1", "title": titles["s1"], "blocks": [
                {"paragraphs": lines("s1_intro") + lines("s1_duties")},
                {"paragraphs": [staff + (text.get("s1_organization") or "")], "derived": True},
            ]},
            {"key": "s2", "title": titles["s2"], "blocks": [
                {"heading": "（一）基本支出情况", "paragraphs": s2[:1], "derived": True},
                {"heading": "（二）项目支出情况", "paragraphs": s2[1:], "derived": True},
                {"paragraphs": lines("s2_note")},
            ]},
            {"key": "s3", "title": titles["s3"], "blocks": [
                {"paragraphs": [self._sentence_fund("income_gov_fund", "政府性基金预算")], "derived": True},
                {"paragraphs": lines("s3_note")},
            ]},
            {"key": "s4", "title": titles["s4"], "blocks": [{"paragraphs": lines("s4_text")}]},
            {"key": "s5", "title": titles["s5"], "blocks": [{"paragraphs": lines("s5_text")}]},
            {"key": "s6", "title": titles["s6"], "blocks": [
                {"heading": "（一）整体支出绩效情况", "paragraphs": lines("s6_overall")},
                {"heading": "（二）项目支出绩效情况", "paragraphs": s6_projects},
            ]},
            {"key": "s7", "title": titles["s7"], "blocks": [{"paragraphs": lines("s7_problems")}]},
            {"key": "s8", "title": titles["s8"], "blocks": [{"paragraphs": lines("s8_measures")}]},
            {"key": "s9", "title": titles["s9"], "blocks": [{"paragraphs": lines("s9_application")}]},
            {"key": "s10", "title": titles["s10"], "blocks": [{"paragraphs": lines("s10_other")}]},
        ]  # fmt: skip

    # ------------------------------------------------------------ 附件1

    def attachment1(self) -> dict:
        computed = self.computed["attachment1"]
        typed = self.att1.get("expenses") or {}
        rows = []
        for item in catalogue.EXPENSE_ITEMS:
            entry = typed.get(item.code) or {}
            sums = computed["sums"].get(item.code)
            cells = []
            for column, _ in catalogue.EXPENSE_COLUMNS:
                if column == "prior_final" and not item.has_prior:
                    cells.append(Cell("——", css="center"))
                elif sums is not None:
                    cells.append(self.computed_cell(sums[column], entry.get(column)))
                else:
                    cells.append(Cell(amount(entry.get(column))))
            rows.append(Att1Row(item.label, item.indent, cells, item.code))
            if item.code == "special":
                rows.extend(
                    Att1Row(
                        row.get("name") or "",
                        2,
                        [Cell(amount(row.get(c))) for c, _ in catalogue.EXPENSE_COLUMNS],
                        f"special:{self.ref(row)}",
                    )
                    for row in self.att1.get("special_rows") or []
                )
        buildings = []
        for row, rates in zip(self.att1.get("buildings") or [], computed["buildings"], strict=True):
            buildings.append({
                "ref": self.ref(row),
                "name": row.get("name") or "",
                "cells": [
                    Cell(amount(row.get("approved_area"))),
                    Cell(amount(row.get("actual_area"))),
                    self.computed_cell(rates["area_rate"], row.get("reported_area_rate"), kind="percent"),
                    Cell(amount(row.get("budget_investment"))),
                    Cell(amount(row.get("actual_investment"))),
                    self.computed_cell(
                        rates["investment_rate"], row.get("reported_investment_rate"), kind="percent"
                    ),
                ],
            })  # fmt: skip
        quota, actual = self.att1.get("staff_quota"), self.att1.get("staff_actual")
        year = self.year
        return {
            "title": catalogue.ATTACHMENT_TITLES["att1"].format(year=year),
            "columns": [
                label.format(year=year, prior_year=year - 1) for _, label in catalogue.EXPENSE_COLUMNS
            ],
            "staff": [
                Cell("" if quota is None else str(quota), css="center"),
                Cell("" if actual is None else str(actual), css="center"),
                self.computed_cell(
                    computed["control_rate"], self.att1.get("reported_control_rate"), kind="percent"
                ),
            ],
            "rows": rows,
            "buildings": buildings,
            "frugality": self.att1.get("frugality_measures") or "",
            "footnote": catalogue.ATT1_FOOTNOTE,
        }

    # ------------------------------------------------------------ 附件2 and 附件3

    def _indicator_rows(self, card: dict, rule_scores: list) -> list[IndicatorRow]:
        by_level2: dict[str, list] = {}
        for indicator, rule in zip(card.get("indicators") or [], rule_scores, strict=True):
            by_level2.setdefault(indicator.get("level2"), []).append(self._indicator_row(indicator, rule))
        not_applicable = set(card.get("not_applicable") or ())
        rows: list[IndicatorRow] = []
        for level1 in self.pack.skeleton:
            level1_rows: list[IndicatorRow] = []
            for level2 in level1.children:
                group = by_level2.pop(level2.key, []) or [
                    IndicatorRow(
                        None, 0, None, 0, "不适用" if level2.key in not_applicable else "", "", "", "", "", ""
                    )
                ]
                group[0].level2_label, group[0].level2_span = level2.label, len(group)
                level1_rows.extend(group)
            level1_rows[0].level1_label = f"{level1.label}（{fmt_amount(level1.weight)}分）"
            level1_rows[0].level1_span = len(level1_rows)
            rows.extend(level1_rows)
        for key, group in by_level2.items():  # rows under a key the pack does not know: still shown
            group[0].level1_label, group[0].level1_span = "（规则包外）", len(group)
            group[0].level2_label, group[0].level2_span = key, len(group)
            rows.extend(group)
        return rows

    def _indicator_row(self, indicator: dict, rule: str | None) -> IndicatorRow:
        score, weight = to_decimal(indicator.get("score")), to_decimal(indicator.get("weight"))
        rule = to_decimal(rule)
        note = (
            f"规则得分 {fmt_amount(rule)}" if rule is not None and score is not None and rule != score else ""
        )
        return IndicatorRow(
            None, 0, None, 0,
            name=indicator.get("name") or "",
            target=indicator.get("target_text") or "",
            actual=indicator.get("actual_text") or "",
            weight=fmt_amount(weight) if weight is not None else "",
            score=fmt_amount(score) if score is not None else "",
            reason=indicator.get("deviation_reason") or "",
            rule_note=note,
            ref=self.ref(indicator),
        )  # fmt: skip

    def scorecard(self, card: dict, result: dict, project: dict | None = None) -> ScorecardView:
        exec_cells = [
            Cell(fmt_amount(self.pack.execution_weight), css="center"),
            self.computed_cell(result["execution_rate"], card.get("reported_execution_rate"), kind="percent"),
            self.computed_cell(result["execution_score"], card.get("reported_execution_score")),
        ]
        if result["execution_rate"] is None:
            exec_cells[1] = Cell(DASH, computed=True, css="center")
        lines = card.get("funds") or {}
        if project is None:
            total = lines.get("total") or {}
            fund_rows = [
                {
                    "label": "年度资金总额",
                    "cells": [Cell(amount(total.get(c))) for c, _ in catalogue.FUND_COLUMNS],
                    "exec": exec_cells,
                }
            ]
            header = [[("市级预算部门（单位）名称", self.department_name, 6)]]
            number, title_key, ref = "2", "att2", card.get("ref") or ""
        else:
            # 分值, 执行率 and 得分 belong to 年度资金总额; the official form merges them down the whole block.
            fund_rows = [
                {
                    "label": label,
                    "cells": [Cell(amount((lines.get(src) or {}).get(c))) for c, _ in catalogue.FUND_COLUMNS],
                }
                for src, label in catalogue.FUND_SOURCES
            ]
            fund_rows.append(
                {
                    "label": "年度资金总额",
                    "cells": [
                        self.computed_cell(result["funds_total"][c], card.get(f"reported_funds_{c}"))
                        for c, _ in catalogue.FUND_COLUMNS
                    ],
                }
            )
            fund_rows[0]["exec"] = exec_cells
            header = [
                [("项目支出名称", project.get("name") or "", 6)],
                [("主管部门", card.get("competent_department") or "", 2),
                 ("实施单位", card.get("implementing_unit") or "", 3)],
            ]  # fmt: skip
            number, title_key, ref = "3", "att3", self.ref(card)
        rule_total = to_decimal(result["rule_total"])
        printed_grade = (card.get("reported_grade") or "").strip()
        revenue = [to_decimal(card.get(f"revenue_{key}")) for key, _ in catalogue.REVENUE_KINDS]
        shown_revenue = project is None and any(value is not None for value in revenue)
        return ScorecardView(
            kind="department" if project is None else "project",
            number=number,
            title=catalogue.ATTACHMENT_TITLES[title_key].format(year=self.year),
            header=header,
            fund_rows=fund_rows,
            income=[(label, _text(card.get(f"income_{key}"))) for key, label in catalogue.INCOME_KINDS],
            nature=[(label, _text(card.get(f"nature_{key}"))) for key, label in catalogue.NATURE_KINDS],
            goal_expected=card.get("goal_expected") or "",
            goal_actual=card.get("goal_actual") or "",
            rows=self._indicator_rows(card, result["rule_scores"]),
            weight_total=self.computed_cell(result["weight_total"]),
            score_total=self.computed_cell(result["self_total"], card.get("reported_total_score")),
            grade=Cell(
                result["grade"],
                computed=True,
                reported=printed_grade if printed_grade and printed_grade != result["grade"] else None,
            ),
            rule_total=fmt_amount(rule_total) if rule_total is not None else "",
            ref=ref,
            execution_explanation=(card.get("execution_explanation") or "") if self.project_only else "",
            revenue=[
                (label, _text(value))
                for (_, label), value in zip(catalogue.REVENUE_KINDS, revenue, strict=True)
            ]
            if shown_revenue
            else [],
            revenue_total=self.computed_cell(sum_known(*revenue)) if shown_revenue else None,
        )

    def scorecards(self) -> list[ScorecardView]:
        cards = []
        if self.dept_card is not None:
            cards.append(self.scorecard(self.dept_card, self.computed["attachment2"]))
        with_card = [p for p in self.projects if p.get("attachment3")]
        for project, result in zip(with_card, self.computed["attachment3"], strict=True):
            cards.append(self.scorecard(project["attachment3"], result, project))
        return cards


def derived_paragraphs(payload: dict) -> dict[str, list[str]]:
    """The sentences of each section that the document prints from the tables (what the edit page shows)."""
    return {
        section["key"]: [
            p for block in section["blocks"] if block.get("derived") for p in block["paragraphs"]
        ]
        for section in _Document(payload, {}, None).narrative()
    }


def report_document(payload: dict, computed: dict, pack: RulePack, *, report=None) -> dict:
    """Everything the document template prints. ``computed`` is ``rules.results.results`` of the payload (or
    the frozen copy of it); ``report`` is the live report whose pinned return reasons show beside their
    places (None for a frozen document)."""
    document = _Document(payload, computed, pack)
    year = document.year
    footer = payload.get("footer") or {}
    fill_date = footer.get("fill_date")
    if document.project_only:
        return _project_filing_document(document, report=report, footer=footer)
    return {
        "report": report,
        "year": year,
        "department_name": document.department_name,
        "title": f"{year}年度{document.department_name}整体支出绩效自评报告",
        "cover_date": to_date(payload.get("cover_date")),
        "sections": document.narrative(),
        "attachment_list": [
            catalogue.ATTACHMENT_TITLES[key].format(year=year).replace("部门（单位）", "部门")
            for key in ("att1", "att2", "att3")
        ],
        "att1": document.attachment1(),
        "scorecards": document.scorecards(),
        "footer": [
            ("填表人", footer.get("preparer_name") or ""),
            ("填报日期", to_date(fill_date).strftime("%Y.%-m.%-d") if fill_date else ""),
            ("联系电话", footer.get("phone") or ""),
            ("单位负责人签字", footer.get("head_name") or ""),
        ],
    }


def _project_filing_document(document: _Document, *, report, footer: dict) -> dict:
    """A project-only filing (项目支出绩效自评): a cover listing its projects, then each project's table with its
    narrative (年度总体目标, 执行情况说明, 偏差原因). No 正文, 附件1 or 附件2."""
    scorecards = document.scorecards()
    fill_date = footer.get("fill_date")
    footer_cells = [
        ("填表人", footer.get("preparer_name") or ""),
        ("填报日期", to_date(fill_date).strftime("%Y.%-m.%-d") if fill_date else ""),
        ("联系电话", footer.get("phone") or ""),
        ("单位负责人签字", footer.get("head_name") or ""),
    ]
    return {
        "report": report,
        "project_only": True,
        "year": document.year,
        "department_name": document.department_name,
        "title": f"{document.year}年度{document.department_name}项目支出绩效自评",
        "kind_label": catalogue.FILING_KIND_LABELS[catalogue.PROJECT_FILING],
        "cover_date": to_date(document.payload.get("cover_date")),
        "sections": [],
        "attachment_list": [],
        "att1": None,
        "project_list": [
            (card.header[0][0][1], card.score_total.text, card.grade.text) for card in scorecards
        ],
        "scorecards": scorecards,
        # Printed only when filled: the central framework's table has no footer.
        "footer": footer_cells if any(value for _, value in footer_cells) else [],
    }


def to_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def live_document(report) -> dict:
    """The document of a live report (loaded with ``parts.reports_with_parts``), computed now."""
    payload = export_report(report, refs=True)
    pack = report.period.rule_pack.rules()
    return report_document(payload, results(report_data(payload), pack), pack, report=report)


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
            Series("调整后预算", [sum_known(p.initial_budget, p.adjustment) for p in projects]),
            Series("实际支出", spent),
        ],
        unit="万元",
        summary=extremes_sentence("各项目实际支出", names, spent, " 万元"),
        category_label="项目",
    )
