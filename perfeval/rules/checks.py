"""The consistency checks of domain.md §5 and every scoring rule of §4, over one :class:`data.Report`.

Each finding names its place with machine keys the UI links to a field, plus a Chinese label, and a message
that shows the arithmetic. Errors block submission; warnings need an explanation the reviewer sees.

Blank is not zero. Every figure is filled or blank (None). A blank is reported once, in the one 未填 finding
of its part (封面, 正文, 附件1, 附件2, each 附件3, 项目, 表尾) that lists every blank place; a check whose operand
is blank says nothing, so a half-filled report shows its blanks and its true inconsistencies only. A finding's
``kind`` tells the two apart: ``blank`` (未填) or ``inconsistent``.

Severity choices (a pack may override any of them through its ``severities`` map):
- 未填 is an error: submission requires a complete report;
- a required text that is missing is an error (偏差原因 for a missed target, the 执行率 explanation) because
  domain.md says "required"; the one exception is 偏差原因 for over-achievement alone, a warning, since the
  target was met and only its ambition is in question;
- figures that disagree are errors; figures that are merely unusual (spent without a budget, a project
  without 附件3), and every judgement a rule can only suggest (a vague target, a figure read from prose, a
  derived figure whose definition varies by region), are warnings (提示);
- "self score below the rule score without 偏差原因" is reported as IND_DEVIATION_MISSING: a self score below
  the rule score is always below 分值, which already requires the reason, and one place gets one finding.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from . import catalogue, labels
from .data import Amounts, Indicator, Project, Report, Scorecard
from .decimals import fmt_amount, fmt_percent, percent, quantize
from .narrative import numbering_breaks, quoted_figures
from .packs import RulePack
from .parsing import parse_actual, parse_target
from .scoring import (
    AMOUNT_COLUMNS,
    RuleScore,
    ScorecardResult,
    attachment1_computed,
    fund_lines_used,
    fund_total,
    scorecard_result,
    sum_known,
)
from .scoring import grade as grade_of

ERROR, WARNING = "error", "warning"
BLANK, INCONSISTENT = "blank", "inconsistent"
# The one word users see for each severity, on every page and in every command.
SEVERITY_LABELS = {ERROR: "错误", WARNING: "提示"}

CHECKS: dict[str, tuple[str, str]] = {
    # every part: its blanks
    "INCOMPLETE": (ERROR, "未填：本部分尚有空白的数字、选项或文字"),
    # cover, 正文, footer
    "TEXT_S9_EMPTY": (WARNING, "正文九（自评结果拟应用和公开情况）仅写「无」"),
    "TEXT_PROBLEMS_EMPTY": (WARNING, "存在偏差，但正文七（问题及原因）或八（改进措施）仅写「无」"),
    "TEXT_S7_DEVIATION_UNEXPLAINED": (WARNING, "正文七承认存在偏差，但各表的偏差原因分析及改进措施全部为空"),
    "TEXT_FUND_SECTION_MISMATCH": (ERROR, "正文写「无…支出」，附件2 该类支出却不为 0"),
    "TEXT_FIGURE_MISMATCH": (WARNING, "正文引用的数字与表中的数不同"),
    "TEXT_NUMBERING_BROKEN": (WARNING, "正文的序号重复或跳号"),
    "PERSONAL_NUMBER": (WARNING, "公开版本含个人手机号或身份证号，发布前须遮盖"),
    # 附件1
    "ATT1_SUM_MISMATCH": (ERROR, "附件1 上级行 ≠ 下级行之和（三公、公务用车、项目支出、市级专项资金）"),
    "ATT1_SUBSET_EXCEEDS": (ERROR, "附件1 「其中」行之和大于其上级行（公用经费）"),
    "ATT1_ROUNDED_PARTS_MISMATCH": (WARNING, "附件1 各行按两位小数显示后之和 ≠ 显示的合计"),
    "ATT1_BUDGET_ZERO_SPENT": (WARNING, "附件1 预算为 0，却有决算支出"),
    "ATT1_SANGONG_OVER_BUDGET": (WARNING, "附件1 三公经费某项决算数超过其预算数"),
    "ATT1_BASIC_ADJUSTMENT_MISMATCH": (WARNING, "附件1 部门基本支出预算调整 ≠ 基本支出相对年初预算的变化"),
    "ATT1_CONTROL_RATE_MISMATCH": (ERROR, "附件1 填报的控制率与 在职 ÷ 编制 不符"),
    "ATT1_BUILDING_RATE_MISMATCH": (ERROR, "附件1 填报的楼堂馆所控制率与计算值不符（分母为 0 时应为「—」）"),
    "ATT1_PROJECT_CATEGORY_MISMATCH": (ERROR, "附件1 项目支出分类决算数 ≠ 该类项目实际支出之和"),
    "ATT1_SPECIAL_NO_PROJECT": (ERROR, "附件1 专项行没有同名的市级专项资金项目"),
    "ATT1_SPECIAL_ATT3_MISMATCH": (ERROR, "附件1 专项行决算数 ≠ 其附件3 全年执行数"),
    # 附件2 breakdowns and cross-table figures
    "ATT2_MISSING": (ERROR, "缺少附件2 部门整体支出绩效自评表"),
    # a project-only filing (项目支出绩效自评)
    "PROJECT_FILING_EMPTY": (ERROR, "项目支出绩效自评没有任何项目"),
    "PROJECT_FILING_NO_SCORECARD": (ERROR, "项目支出绩效自评中的项目没有自评表"),
    "ATT2_INCOME_SUM_MISMATCH": (ERROR, "附件2 按收入性质分合计 ≠ 全年执行数"),
    "ATT2_NATURE_SUM_MISMATCH": (ERROR, "附件2 按支出性质分合计 ≠ 全年执行数"),
    "ATT2_BASIC_MISMATCH": (ERROR, "附件2 基本支出 ≠ 人员经费 + 附件1 公用经费"),
    "ATT2_PROJECTS_MISMATCH": (ERROR, "附件2 项目支出 ≠ 附件1 项目支出决算数"),
    "ATT2_SPENDING_EXCEEDS_INCOME": (
        ERROR,
        "附件2 全年执行数大于收入合计（财政拨款收入 + 上年结转 + 其他收入）",
    ),
    "ATT2_FISCAL_SPENDING_EXCEEDS": (WARNING, "附件2 财政拨款安排的支出大于财政拨款收入 + 上年结转"),
    # every scorecard (附件2 and each 附件3)
    "EXEC_RATE_UNDEFINED": (ERROR, "执行率无法计算（预算数为 0）"),
    "EXEC_RATE_MISMATCH": (ERROR, "填报的执行率与计算值不符"),
    "EXEC_SCORE_MISMATCH": (ERROR, "填报的执行率得分与计算值不符"),
    "EXEC_EXPLANATION_MISSING": (ERROR, "执行率低于阈值或年初预算数 ≠ 全年预算数，须说明执行情况"),
    "BUDGET_CUT_FULL_MARKS": (WARNING, "预算大幅调减，各项指标却都得满分"),
    "GOAL_AMOUNTS_MISMATCH": (WARNING, "年度目标中分项金额之和 ≠ 所写的合计"),
    "GOAL_RESTATES_NAME": (WARNING, "年度目标只是重复项目名称"),
    "LEVEL1_WEIGHT_MISMATCH": (ERROR, "一级指标下三级分值之和 ≠ 该一级指标的规定分值"),
    "WEIGHT_TOTAL_MISMATCH": (ERROR, "总分值（执行率分值 + 三级分值）≠ 100"),
    "TOTAL_SCORE_MISMATCH": (ERROR, "填报的总分 ≠ 执行率得分 + 三级得分之和"),
    "GRADE_MISMATCH": (ERROR, "填报的等级与总分按规则包所得等级不符"),
    "ATT3_FUNDS_TOTAL_MISMATCH": (ERROR, "附件3 填报的年度资金总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金"),
    "LEVEL2_NOT_APPLICABLE_HAS_ROWS": (ERROR, "标为「不适用」的二级指标下仍有三级指标"),
    "IND_LEVEL_UNKNOWN": (ERROR, "三级指标挂在规则包中不存在的一级/二级指标下"),
    "IND_WEIGHT_NOT_POSITIVE": (ERROR, "三级指标分值须大于 0"),
    "IND_OPERATOR_MISSING": (ERROR, "年度指标值有数值但没有方向（≥、≤、=）"),
    "IND_TARGET_UNPARSEABLE": (ERROR, "年度指标值无法识别为方向 + 数值"),
    "IND_ACTUAL_MISSING": (ERROR, "定量指标的实际完成值没有可计算的数值"),
    "IND_UNIT_MISMATCH": (WARNING, "实际完成值的单位与年度指标值不同"),
    "IND_COST_ON_INITIAL": (WARNING, "成本指标的目标取年初预算数，执行率却按全年预算数计算"),
    "IND_OUTPUT_IS_MONEY": (WARNING, "数量指标只是预算金额"),
    "IND_QUAL_VAGUE": (WARNING, "定性指标的目标只有一个动词，或实际完成值照抄目标"),
    "IND_SCORE_OUT_OF_RANGE": (ERROR, "得分小于 0 或大于分值"),
    "IND_SCORE_ABOVE_RULE": (ERROR, "得分高于规则得分"),
    "IND_SCORE_OUTSIDE_BAND": (ERROR, "定性得分不在所选等级的区间内"),
    "IND_DEVIATION_MISSING": (ERROR, "未达成、定性低于「达成」或得分低于分值/规则得分，却未填偏差原因"),
    "IND_OVER_ACHIEVED_NO_REASON": (WARNING, "实际超出目标超过阈值（目标可能偏低），却未填偏差原因"),
    "IND_EVIDENCE_MISSING": (WARNING, "规则包要求附佐证材料的指标（如满意度调查）尚未上传佐证材料"),
    # projects
    "PROJECT_NO_SCORECARD": (WARNING, "项目既没有附件3，也没有说明原因"),
    "PROJECT_SCORECARD_UNKNOWN": (ERROR, "项目指向不存在的附件3"),
    "ATT3_NO_PROJECT": (WARNING, "附件3 不属于任何项目"),
    "PROJECT_SPECIAL_NO_ROW": (WARNING, "市级专项资金项目在附件1 没有同名专项行"),
    "PROJECT_NAME_INCONSISTENT": (WARNING, "同一项目在各处名称不同"),
    "PROJECT_INITIAL_MISMATCH": (ERROR, "项目年初预算 ≠ 附件3 年初预算数"),
    "PROJECT_BUDGET_MISMATCH": (ERROR, "项目年初预算 + 年中调整 ≠ 附件3 全年预算数"),
    "PROJECT_SPENT_MISMATCH": (ERROR, "项目实际支出 ≠ 附件3 全年执行数"),
}


@dataclass(frozen=True)
class Place:
    table: str  # "text" | "cover" | "footer" | "att1" | "att2" | "att3:{ref}" | "projects"
    row: str
    column: str
    label: str  # e.g. "附件1 · 三公经费 · 2023年决算数"

    @property
    def key(self) -> str:
        """The one string form of a place, as explanations and pinned reasons store it: "att1|sangong|final"."""
        return place_key(self.table, self.row, self.column)


def place_key(table: str, row: str = "", column: str = "") -> str:
    return f"{table}|{row}|{column}"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" | "warning"
    place: Place
    message: str
    kind: str = INCONSISTENT  # "blank" (未填) | "inconsistent"
    blanks: tuple[Place, ...] = ()  # a 未填 finding: every blank place of its part, in order
    suspect: Place | None = None  # a total that disagrees with its parts: the one part that explains it

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


def _finding(code: str, place: Place, message: str, **extra) -> Finding:
    return Finding(code, CHECKS[code][0], place, message, **extra)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _known(*values: Decimal | None) -> bool:
    """Whether every operand is filled: an arithmetic check with a blank operand says nothing."""
    return all(value is not None for value in values)


def _agrees(reported: Decimal, computed: Decimal | None, pack: RulePack) -> bool:
    """A printed rate or score is right when it equals the computed one rounded by the pack: rates
    are printed at 2 dp of a percent, so a "98%" for 98.13% is wrong too. No value ("—") only agrees with
    no value."""
    if computed is None:
        return False
    return pack.round(computed) == reported


def _total_agrees(printed: Decimal, computed: Decimal, places: int) -> bool:
    """A printed total agrees with its parts when equal, or when the parts carry more decimals than the
    table shows (amounts to the 元) and the total is their sum rounded as the table prints it."""
    if printed == computed:
        return True
    return computed != quantize(computed, places) and printed == quantize(computed, places)


# ---------------------------------------------------------------- labels and order


_NUMBERING = re.compile(r"^(\d+、|其中：)")
_STAFF_COLUMNS = labels.STAFF
_BUILDING_COLUMNS = {key: label for key, label in labels.BUILDING_COLUMNS.items() if key != "name"}
_SCORECARD_COLUMNS = {**labels.SCORECARD_COLUMNS, "name": "三级指标", "evidence": "佐证材料"}
# The rules' footer keys, in the payload's order.
_FOOTER = dict(zip(("preparer", "date", "phone", "head"), labels.FOOTER.values(), strict=True))
_PROJECT_COLUMNS = labels.PROJECT_COLUMNS
_COLUMN_ORDER = {
    name: index
    for index, name in enumerate(
        [
            "department_name", *AMOUNT_COLUMNS, *_STAFF_COLUMNS, *_BUILDING_COLUMNS, *dict(catalogue.FUND_COLUMNS),
            "execution_rate", "execution_score", "execution_explanation", "not_applicable", "level2", "operator",
            "target", "actual", "qual_band", "weight", "score", "grade", "deviation_reason", *_PROJECT_COLUMNS,
        ]
    )
}  # fmt: skip


def row_name(item: catalogue.ExpenseItem) -> str:
    """ "1、公务用车购置和维护经费" → "公务用车购置和维护经费": the name a message uses."""
    return _NUMBERING.sub("", item.label).rstrip("：")


class _Context:
    """What every check needs: the report, the pack, computed figures and place labels."""

    def __init__(self, report: Report, pack: RulePack):
        self.report, self.pack, self.year = report, pack, report.year
        # A project-only filing has its project tables only: no 正文, 附件1, 附件2 or project rows to check.
        self.project_only = report.kind == catalogue.PROJECT_FILING
        self.scorecards = {sc.ref: sc for sc in report.project_scorecards}
        dept = None if self.project_only else report.department_scorecard
        self.cards: tuple[Scorecard, ...] = ((dept,) if dept else ()) + report.project_scorecards
        self._table_names = {"att2": labels.scorecard_table(None)} | {
            f"att3:{sc.ref}": labels.scorecard_table(sc.title, project_only=self.project_only)
            for sc in report.project_scorecards
        }

    @cached_property
    def results(self) -> dict[str, ScorecardResult]:
        return {sc.ref: scorecard_result(sc, self.pack) for sc in self.cards}

    @cached_property
    def att1(self):
        return attachment1_computed(self.report, self.pack)

    def table_name(self, table: str) -> str:
        return {"cover": "封面", "text": "正文", "att1": "附件1", "projects": "项目", "footer": "表尾"}.get(
            table, self._table_names.get(table, table)
        )

    def table_key(self, scorecard: Scorecard) -> str:
        return "att2" if scorecard.kind == "department" else f"att3:{scorecard.ref}"

    def amount_column(self, column: str) -> str:
        return dict(catalogue.EXPENSE_COLUMNS)[column].format(year=self.year, prior_year=self.year - 1)

    def att1_place(self, row: str, row_label: str, column: str) -> Place:
        column_label = (
            self.amount_column(column)
            if column in AMOUNT_COLUMNS
            else {**_STAFF_COLUMNS, **_BUILDING_COLUMNS}.get(column, column).format(year=self.year)
        )
        return Place(
            "att1", row, column, " · ".join(part for part in ("附件1", row_label, column_label) if part)
        )

    def card_place(self, scorecard: Scorecard, row: str, row_label: str, column: str) -> Place:
        table = self.table_key(scorecard)
        parts = (self._table_names.get(table, table), row_label, _SCORECARD_COLUMNS.get(column, column))
        return Place(table, row, column, " · ".join(part for part in parts if part))

    def project_place(self, project: Project, column: str) -> Place:
        return Place("projects", project.ref, column, f"项目 · {project.name} · {_PROJECT_COLUMNS[column]}")

    def text_place(self, key: str, column: str = "", column_label: str = "") -> Place:
        title = dict(catalogue.SECTIONS)[key]
        return Place("text", key, column, " · ".join(p for p in ("正文", title, column_label) if p))

    def sort_key(self) -> Callable[[Finding], tuple]:
        tables = {"cover": 0, "text": 1, "att1": 2, "att2": 3}
        tables |= {f"att3:{sc.ref}": 4 + i for i, sc in enumerate(self.report.project_scorecards)}
        tables |= {"projects": 1000, "footer": 1001}
        rows = self._row_ranks()

        def key(finding: Finding) -> tuple:
            place = finding.place
            return (
                tables.get(place.table, 999),
                # A part's 未填 finding (no row) comes first in its part.
                rows.get((place.table, place.row), (9999,) if place.row else (-1,)),
                _COLUMN_ORDER.get(place.column, 999),
                finding.code,
            )

        return key

    def _row_ranks(self) -> dict[tuple[str, str], tuple]:
        report = self.report
        ranks: dict[tuple[str, str], tuple] = {
            ("text", key): (i,) for i, (key, _) in enumerate(catalogue.SECTIONS)
        }
        ranks |= {("footer", key): (i,) for i, key in enumerate(_FOOTER)}
        ranks |= {("projects", p.ref): (i,) for i, p in enumerate(report.projects)}
        ranks[("att1", "staff")] = (0,)
        ranks |= {("att1", item.code): (item.order,) for item in catalogue.EXPENSE_ITEMS}
        special = catalogue.EXPENSE_ITEMS_BY_CODE["special"].order
        ranks |= {
            ("att1", f"special:{row.ref}"): (special, i + 1) for i, row in enumerate(report.special_rows)
        }
        ranks |= {("att1", f"building:{row.ref}"): (10_000, i) for i, row in enumerate(report.buildings)}
        ranks[("att1", "frugality")] = (20_000,)
        cards = (
            (report.department_scorecard,) if report.department_scorecard else ()
        ) + report.project_scorecards
        for scorecard in cards:
            ranks |= self._scorecard_ranks(scorecard)
        return ranks

    def _scorecard_ranks(self, scorecard: Scorecard) -> dict[tuple[str, str], tuple]:
        table = self.table_key(scorecard)
        ranks = {(table, "funds"): (0,), (table, "goals"): (3,), (table, "total"): (10_000,)}
        ranks |= {(table, f"funds:{key}"): (0, i) for i, (key, _) in enumerate(catalogue.FUND_SOURCES)}
        ranks |= {(table, f"income:{key}"): (1, i) for i, (key, _) in enumerate(catalogue.INCOME_KINDS)}
        ranks |= {(table, f"nature:{key}"): (2, i) for i, (key, _) in enumerate(catalogue.NATURE_KINDS)}
        ranks |= {(table, f"revenue:{key}"): (2.5, i) for i, (key, _) in enumerate(catalogue.REVENUE_KINDS)}
        level2_rank = {}
        for i, level in enumerate(self.pack.skeleton):
            ranks[(table, f"level1:{level.key}")] = (10 + i, 0, 0)
            for j, child in enumerate(level.children):
                ranks[(table, f"level2:{child.key}")] = (10 + i, 1 + j, 0)
                level2_rank[child.key] = (10 + i, 1 + j)
        for k, indicator in enumerate(scorecard.indicators):
            ranks[(table, f"indicator:{indicator.ref}")] = (
                *level2_rank.get(indicator.level2, (9_000, 0)),
                1 + k,
            )
        return ranks


# ---------------------------------------------------------------- entry point


def check_report(report: Report, pack: RulePack) -> list[Finding]:
    """Every check of domain.md §5 and every scoring rule of §4, ordered by table, then row, then column;
    severities as the pack sets them."""
    ctx = _Context(report, pack)
    if ctx.project_only:
        findings = [*_incomplete(ctx), *_check_project_filing(ctx), *_check_footer(ctx)]
    else:
        findings = _department_findings(ctx)
    for scorecard in ctx.cards:
        findings.extend(_check_scorecard(ctx, scorecard))
    overrides = pack.severity_overrides()
    if overrides:
        findings = [replace(f, severity=overrides[f.code]) if f.code in overrides else f for f in findings]
    return sorted(findings, key=ctx.sort_key())


def _department_findings(ctx: _Context) -> list[Finding]:
    """The checks of the 部门整体 parts (正文, 附件1, 附件2, project rows) and their 未填."""
    return [
        *_incomplete(ctx),
        *_check_cover_and_text(ctx),
        *_check_text_figures(ctx),
        *_check_footer(ctx),
        *_check_att1(ctx),
        *_check_att2_breakdowns(ctx),
        *_check_special_rows(ctx),
        *_check_projects(ctx),
    ]


def _check_project_filing(ctx: _Context) -> Iterator[Finding]:
    """A project-only filing: at least one project, each with its table (the table is what it files)."""
    projects = ctx.report.projects
    if not projects:
        message = "项目支出绩效自评至少须有一个项目：请在「项目与自评表」中添加项目"
        yield _finding("PROJECT_FILING_EMPTY", Place("projects", "", "", "项目"), message)
    for project in projects:
        if project.scorecard_ref is None or project.scorecard_ref not in ctx.scorecards:
            message = f"项目「{project.name}」没有项目支出绩效自评表"
            yield _finding("PROJECT_FILING_NO_SCORECARD", ctx.project_place(project, "name"), message)


# ---------------------------------------------------------------- completeness (未填)


@dataclass(frozen=True)
class PartCompleteness:
    table: str  # "cover" | "text" | "att1" | "att2" | "att3:{ref}" | "projects" | "footer"
    label: str  # "附件1", "附件3（信访维稳工作经费）" …
    filled: int
    total: int
    blanks: tuple[Place, ...]

    @property
    def complete(self) -> bool:
        return not self.blanks


def completeness(report: Report, pack: RulePack) -> list[PartCompleteness]:
    """How complete each part is (filled / total of its required figures, choices and texts) and where its
    blanks are, in the order of the report. The overview, the dashboard and the 未填 findings all read this."""
    return _completeness(_Context(report, pack))


def _completeness(ctx: _Context) -> list[PartCompleteness]:
    if ctx.project_only:
        # Its parts are its project tables: no 正文, 附件1, 附件2, project rows of 附件1 or attachment footer.
        parts = [("cover", _required_cover(ctx))]
        parts += [(ctx.table_key(card), _required_scorecard(ctx, card)) for card in ctx.cards]
    else:
        parts = [
            ("cover", _required_cover(ctx)),
            ("text", _required_text(ctx)),
            ("att1", _required_att1(ctx)),
        ]
        parts += [(ctx.table_key(card), _required_scorecard(ctx, card)) for card in ctx.cards]
        parts += [("projects", _required_projects(ctx)), ("footer", _required_footer(ctx))]
    result = []
    for table, slots in parts:
        # A place is built only for a blank: a complete report of 50 × 30 has tens of thousands of slots.
        blanks = tuple(make(*args) for filled, make, args in slots if not filled)
        result.append(
            PartCompleteness(table, ctx.table_name(table), len(slots) - len(blanks), len(slots), blanks)
        )
    return result


_LISTED_BLANKS = 8  # a 未填 message names this many places, then says how many more


def _incomplete(ctx: _Context) -> Iterator[Finding]:
    for part in _completeness(ctx):
        if part.complete:
            continue
        names = [place.label.split(" · ", 1)[-1] for place in part.blanks[:_LISTED_BLANKS]]
        more = len(part.blanks) - len(names)
        listed = "、".join(names) + (f" 等（另有 {more} 项）" if more else "")
        message = f"{part.label} 尚有 {len(part.blanks)} 项未填（已填 {part.filled}/{part.total}）：{listed}"
        place = Place(part.table, "", "", part.label)
        yield _finding("INCOMPLETE", place, message, kind=BLANK, blanks=part.blanks)


# Every required place of a part: (filled?, the function that builds its Place, that function's arguments).
Slots = list[tuple[bool, Callable[..., Place], tuple]]


def _required_cover(ctx: _Context) -> Slots:
    return [
        (
            not _blank(ctx.report.department_name),
            Place,
            ("cover", "department_name", "", "封面 · 部门（单位）名称"),
        )
    ]


def _required_text(ctx: _Context) -> Slots:
    report = ctx.report
    slots: Slots = [
        (not _blank(report.sections.get(key)), ctx.text_place, (key,))
        for key, _title in catalogue.SECTIONS
        if key not in catalogue.DERIVED_SECTIONS
    ]
    slots.insert(
        1, (report.personnel_expense is not None, ctx.text_place, ("s2", "personnel_expense", "人员经费"))
    )
    return slots


def _required_att1(ctx: _Context) -> Slots:
    report, place = ctx.report, ctx.att1_place
    slots: Slots = [
        (report.staff_quota is not None, place, ("staff", "财政供养人员情况", "staff_quota")),
        (report.staff_actual is not None, place, ("staff", "财政供养人员情况", "staff_actual")),
    ]
    specials = {catalogue.EXPENSE_ITEMS_BY_CODE["special"].order: report.special_rows}
    for item in catalogue.EXPENSE_ITEMS:
        amounts = _expense(ctx, item.code)
        for column in _columns(item):
            slots.append((getattr(amounts, column) is not None, place, (item.code, row_name(item), column)))
        for row in specials.get(item.order, ()):
            for column in AMOUNT_COLUMNS:
                slots.append(
                    (
                        getattr(row.amounts, column) is not None,
                        place,
                        (f"special:{row.ref}", row.name, column),
                    )
                )
    for row in report.buildings:
        for column in ("approved_area", "actual_area", "budget_investment", "actual_investment"):
            slots.append(
                (
                    getattr(row, column) is not None,
                    place,
                    (f"building:{row.ref}", row.name or "楼堂馆所", column),
                )
            )
    slots.append(
        (not _blank(report.frugality_measures), Place, ("att1", "frugality", "", "附件1 · 厉行节约保障措施"))
    )
    return slots


def _required_scorecard(ctx: _Context, card: Scorecard) -> Slots:
    slots: Slots = []
    place = ctx.card_place
    if card.kind == "department":
        lines = [("funds", "年度资金总额", card.funds.get("total"))]
    else:
        labels = dict(catalogue.FUND_SOURCES)
        lines = [
            (f"funds:{key}", labels[key].removeprefix("其中："), line) for key, line in fund_lines_used(card)
        ]
    for row, label, line in lines:
        for column, _ in catalogue.FUND_COLUMNS:
            slots.append((getattr(line, column, None) is not None, place, (card, row, label, column)))
    if card.kind == "department":
        for prefix, kinds, values in (("income", catalogue.INCOME_KINDS, card.income),
                                      ("nature", catalogue.NATURE_KINDS, card.nature)):  # fmt: skip
            for key, label in kinds:
                slots.append(
                    (values.get(key) is not None, place, (card, f"{prefix}:{key}", label, "executed"))
                )
        # The income side is new to the table: a report without it (every published one so far) is not
        # incomplete; once one figure is given, the others are asked for.
        if any(value is not None for value in card.revenue.values()):
            for key, label in catalogue.REVENUE_KINDS:
                slots.append(
                    (card.revenue.get(key) is not None, place, (card, f"revenue:{key}", label, "executed"))
                )
    table = ctx.table_key(card)
    used = {i.level2 for i in card.indicators}
    for level in ctx.pack.skeleton:
        for child in level.children:
            if child.key in card.not_applicable or child.key in used:
                continue
            # An applicable 二级 with no row: the preparer has not decided between rows and 不适用.
            label = f"{ctx.table_name(table)} · {child.label} · 三级指标（或标为不适用）"
            slots.append((False, Place, (table, f"level2:{child.key}", "not_applicable", label)))
    for indicator in card.indicators:
        row, name = f"indicator:{indicator.ref}", indicator.name or "（未命名指标）"
        qualitative = indicator.operator == "qual"
        target = not _blank(indicator.target_text) or indicator.target_value is not None
        actual = not _blank(indicator.actual_text) or (not qualitative and indicator.actual_value is not None)
        slots += [
            (not _blank(indicator.name), place, (card, row, name, "name")),
            (target, place, (card, row, name, "target")),
            (actual, place, (card, row, name, "actual")),
        ]
        if qualitative:
            slots.append((indicator.qual_band is not None, place, (card, row, name, "qual_band")))
        slots += [
            (indicator.weight is not None, place, (card, row, name, "weight")),
            (indicator.score is not None, place, (card, row, name, "score")),
        ]
    return slots


def _required_projects(ctx: _Context) -> Slots:
    slots: Slots = []
    for project in ctx.report.projects:
        slots.append((not _blank(project.name), ctx.project_place, (project, "name")))
        for column in ("initial_budget", "adjustment", "actual_spent"):
            slots.append((getattr(project, column) is not None, ctx.project_place, (project, column)))
    return slots


def _required_footer(ctx: _Context) -> Slots:
    return [
        (not _blank(ctx.report.footer.get(key, "")), Place, ("footer", key, "", f"表尾 · {label}"))
        for key, label in _FOOTER.items()
    ]


# ---------------------------------------------------------------- likely wrong cell


@dataclass(frozen=True)
class _Part:
    """One part of a printed total; its place is built only when it turns out to be the suspect."""

    place_of: Callable[..., Place]
    place_args: tuple
    name: str
    value: Decimal
    budget: Decimal | None = None  # the part's budget, when the column is a 决算数 column


def _suspect(parts: list[_Part], printed: Decimal, computed: Decimal) -> tuple[Place | None, str]:
    """The single part that best explains why the parts add to ``computed`` and not to the ``printed`` total:
    one equal to the difference (it should not be there), one copied from its neighbour, one spent without
    a budget. Named only when one part has more of these signs than every other; the total itself may be
    the wrong figure, so the message says what the part would have to be."""
    if len(parts) < 2:
        return None, ""  # a total of one row: the total itself is as likely wrong as its row
    difference = computed - printed
    scored = []
    for index, part in enumerate(parts):
        signs = []
        if part.value == difference:
            signs.append(f"恰好等于差额 {fmt_amount(difference)}")
        neighbours = [parts[j] for j in (index - 1, index + 1) if 0 <= j < len(parts)]
        copied = next((n for n in neighbours if part.value != 0 and n.value == part.value), None)
        if copied is not None:
            signs.append(f"与相邻的{copied.name}相同")
        if part.budget == 0 and part.value > 0:
            signs.append("预算数为 0")
        if signs and part.value - difference >= 0:
            scored.append((len(signs), index, signs))
    if not scored:
        return None, ""
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None, ""
    _, index, signs = scored[0]
    part, corrected = parts[index], parts[index].value - difference
    values = [fmt_amount(corrected if i == index else p.value) for i, p in enumerate(parts)]
    hint = (
        f"；可能有误的是{part.name} {fmt_amount(part.value)}（{'，'.join(signs)}）："
        f"改为 {fmt_amount(corrected)} 后各项之和 {' + '.join(values)} = {fmt_amount(printed)}，与填报数一致"
    )
    return part.place_of(*part.place_args), hint


# ---------------------------------------------------------------- cover, 正文, footer


# ---------------------------------------------------------------- personal numbers
#
# One finder for the check below and for the public copy's masking (perfeval/publishing/masking.py). Numbers
# are written as 138-0013-8000, 138 0013 8000, +86 138…, 8613800138001, １３８…, 430102 19900101 1234: a run of
# digit groups (ASCII or full-width) joined by short separators is normalised to ASCII digits without separators
# or country code before it is matched. A dot or comma never joins groups, so amounts (1286.3, 1,286) and
# dates (2023-12-31 has too few digits) are not numbers of people.

_GROUP = r"[0-9０-９]+[XxＸｘ]?"
_SEPARATOR = r"[ \u00a0\u3000\-－‐‑–—]{1,3}"
_NUMBER_RUN = re.compile(rf"(?<![0-9０-９])[+＋]?{_GROUP}(?:{_SEPARATOR}{_GROUP})*")
_GROUP_PATTERN = re.compile(_GROUP)
_TO_ASCII = str.maketrans("０１２３４５６７８９ｘＸx", "0123456789XXX")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_ID = re.compile(r"\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]")
_LANDLINE = re.compile(r"0[1-9]\d{8,10}")
_MOST_GROUPS = 6


@dataclass(frozen=True)
class PersonalNumber:
    kind: str  # "mobile" | "id" | "landline" (an office number: recognised so its digits are not re-read)
    start: int  # the span in the original text, separators and country code included
    end: int
    positions: tuple[int, ...]  # where each digit of the national number sits in the original text

    @property
    def label(self) -> str:
        return {"mobile": "手机号", "id": "身份证号", "landline": "固定电话"}[self.kind]


def _classify(digits: str) -> tuple[str, int] | None:
    """(kind, country-code digits to skip) of a normalised digit string, or None."""
    if _ID.fullmatch(digits):
        return "id", 0
    for prefix in ("", "86", "0086"):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix) :]):
            return "mobile", len(prefix)
    if _LANDLINE.fullmatch(digits):
        return "landline", 0
    return None


def personal_numbers(text: str) -> list[PersonalNumber]:
    """Every mobile, ID and landline number in ``text``, whatever its separators, width or country code."""
    found = []
    for run in _NUMBER_RUN.finditer(text or ""):
        groups = [
            (run.start() + g.start(), g.group().translate(_TO_ASCII))
            for g in _GROUP_PATTERN.finditer(run.group())
        ]
        first = 0
        while first < len(groups):
            for last in range(min(len(groups), first + _MOST_GROUPS), first, -1):
                digits = "".join(value for _, value in groups[first:last])
                kind = _classify(digits)
                if kind is None:
                    continue
                positions = tuple(start + i for start, value in groups[first:last] for i in range(len(value)))
                start = run.start() if first == 0 else groups[first][0]
                found.append(PersonalNumber(kind[0], start, positions[-1] + 1, positions[kind[1] :]))
                first = last
                break
            else:
                first += 1
    return found


_NOTHING = {"无", "无。", "无."}
# Words by which 七 admits that something deviated.
_ADMITS_DEVIATION = re.compile(r"偏差|未达到|未达成|未完成|没有完成|未能完成|差距")
# 三/四/五 saying the department had no such spending: 「我单位无政府性基金预算支出」.
_SAYS_NONE = re.compile(r"(?:^|[，,。\s])(?:我单位|本单位|我部门|本部门)?(?:无|没有)")


def _any_deviation(ctx: _Context) -> bool:
    return any(
        result.execution.explanation_required
        or any(rule.deviation_required for rule in result.indicators.values())
        for result in ctx.results.values()
    )


def _check_cover_and_text(ctx: _Context) -> Iterator[Finding]:
    report = ctx.report
    deviation = _any_deviation(ctx)
    for key, title in catalogue.SECTIONS:
        text = (report.sections.get(key) or "").strip()
        place = ctx.text_place(key)
        if key == "s9" and text in _NOTHING:
            yield _finding(
                "TEXT_S9_EMPTY", place, f"{title} 填写为「{text}」：应写明自评结果如何应用、在何处公开"
            )
        elif key in ("s7", "s8") and text in _NOTHING and deviation:
            yield _finding(
                "TEXT_PROBLEMS_EMPTY",
                place,
                f"存在偏差（见各表的偏差原因与执行情况说明），{title} 却写「{text}」",
            )
        breaks = numbering_breaks(text)
        if breaks:
            message = f"{title} 的序号{'、'.join(breaks)}：重复或跳号，请检查是否漏写或多写了一条"
            yield _finding("TEXT_NUMBERING_BROKEN", place, message)
        yield from _personal_numbers(text, place)
    yield from _check_s7_admits_deviation(ctx)
    yield from _check_fund_sections(ctx)
    frugality = Place("att1", "frugality", "", "附件1 · 厉行节约保障措施")
    yield from _personal_numbers(report.frugality_measures, frugality)


def _check_s7_admits_deviation(ctx: _Context) -> Iterator[Finding]:
    text = ctx.report.sections.get("s7") or ""
    match = _ADMITS_DEVIATION.search(text)
    if match is None:
        return
    reasons = [i.deviation_reason for card in ctx.cards for i in card.indicators]
    explanations = [card.execution_explanation for card in ctx.cards]
    if any(not _blank(given) for given in reasons + explanations):
        return
    message = (
        f"正文七写有「{match.group()}」，但附件2、附件3 的偏差原因分析及改进措施和执行情况说明全部为空："
        "请在偏差所在的指标行写明原因"
    )
    yield _finding("TEXT_S7_DEVIATION_UNEXPLAINED", ctx.text_place("s7"), message)


def _check_fund_sections(ctx: _Context) -> Iterator[Finding]:
    """三 says 「无政府性基金预算支出」 while 附件2 holds 政府性基金拨款. 四 (国有资本经营) and 五 (社会保险基金) have no
    amount in the tables yet, so only 三 can be checked."""
    card = ctx.report.department_scorecard
    amount = card.income.get("gov_fund") if card else None
    text = (ctx.report.sections.get("s3") or "").strip()
    if amount is None or amount == 0 or not text or not _SAYS_NONE.search(text) or "万元" in text:
        return  # a 三 that quotes an amount is not the 「无」 sentence
    message = f"正文三写「{text[:30]}」，附件2 按收入性质分 政府性基金拨款 却为 {fmt_amount(amount)} 万元"
    yield _finding("TEXT_FUND_SECTION_MISMATCH", ctx.text_place("s3"), message)


def _personal_numbers(text: str, place: Place) -> Iterator[Finding]:
    for number in personal_numbers(text):
        if number.kind != "landline":
            written = text[number.start : number.end]
            yield _finding(
                "PERSONAL_NUMBER", place, f"{place.label} 含个人{number.label} {written}，公开版本须遮盖"
            )


def _check_footer(ctx: _Context) -> Iterator[Finding]:
    for key, label in _FOOTER.items():
        yield from _personal_numbers(
            ctx.report.footer.get(key, ""), Place("footer", key, "", f"表尾 · {label}")
        )


# ---------------------------------------------------------------- figures quoted in 正文


# 正文 六's project paragraph: label words → the project figure they quote.
_PROJECT_LABELS = {
    "年初预算": "initial_budget",
    "全年预算": "full_year",
    "调增": "adjustment",
    "追加": "adjustment",
    "调减": "reduction",
    "实际支出": "actual_spent",
    "全年执行数": "actual_spent",
    "执行数": "actual_spent",
    "结余结转": "carryover",
    "结转": "carryover",
    "上年结转": "",  # carried in from last year: no cell of the project row
}
_PROJECT_FIGURE_NAMES = {
    "initial_budget": "年初预算",
    "full_year": "年初预算 + 年中调整",
    "adjustment": "年中调整",
    "reduction": "年中调整",
    "actual_spent": "实际支出",
    "carryover": "结余结转",
}


def _project_figure(project: Project, key: str) -> Decimal | None:
    if key == "full_year":
        return sum_known(project.initial_budget, project.adjustment)
    if key == "reduction":
        return None if project.adjustment is None else -project.adjustment
    return getattr(project, key)


def _check_text_figures(ctx: _Context) -> Iterator[Finding]:
    """Numbers 正文 quotes with their label, against the cells they quote (a blank cell: nothing to compare)."""
    yield from _check_s2_figures(ctx)
    projects = ctx.report.projects
    names = {}
    for project in projects:
        for name in {project.name, project.names_in_text.get("s6", "")} - {""}:
            names[name] = project
    for paragraph in (ctx.report.sections.get("s6") or "").splitlines():
        mentioned = {id(project): project for name, project in names.items() if name in paragraph}
        if len(mentioned) != 1:
            continue  # the overall part, or a paragraph about several projects: no cell to compare with
        (project,) = mentioned.values()
        for figure in quoted_figures(paragraph, _PROJECT_LABELS):
            cell = _project_figure(project, figure.label)
            if cell is None or cell == figure.value:
                continue
            message = (
                f"正文六写「{figure.quote}」，而项目「{project.name}」{_PROJECT_FIGURE_NAMES[figure.label]}为 "
                f"{fmt_amount(cell)}：请改正文或改表，使两处一致"
            )
            column = "s6_text"
            yield _finding("TEXT_FIGURE_MISMATCH", ctx.project_place(project, column), message)


def _check_s2_figures(ctx: _Context) -> Iterator[Finding]:
    report, card = ctx.report, ctx.report.department_scorecard
    cells: dict[str, tuple[str, Decimal | None]] = {
        "basic": ("附件2 基本支出", card.nature.get("basic") if card else None),
        "personnel": ("人员经费", report.personnel_expense),
        "public": (f"附件1 公用经费 {ctx.amount_column('final')}", _expense(ctx, "public").final),
        "projects": (f"附件1 项目支出 {ctx.amount_column('final')}", _expense(ctx, "projects").final),
    }
    labels = {"基本支出": "basic", "人员经费": "personnel", "公用经费": "public", "项目支出": "projects"}
    for project in report.projects:
        for name in {project.name, project.names_in_text.get("s2", "")} - {""}:
            if name not in labels:
                labels[name] = f"project:{project.ref}"
                cells[f"project:{project.ref}"] = (f"项目「{project.name}」实际支出", project.actual_spent)
    for figure in quoted_figures(report.sections.get("s2") or "", labels):
        what, cell = cells[figure.label]
        if cell is None or cell == figure.value:
            continue
        message = f"正文二写「{figure.quote}」，而{what}为 {fmt_amount(cell)}：请改正文或改表，使两处一致"
        yield _finding("TEXT_FIGURE_MISMATCH", ctx.text_place("s2"), message)


# ---------------------------------------------------------------- 附件1


def _check_att1(ctx: _Context) -> Iterator[Finding]:
    yield from _check_staff(ctx)
    for item in catalogue.EXPENSE_ITEMS:
        if item.children_rule == "sum":
            yield from _check_parent_sum(ctx, item)
        elif item.children_rule == "subset":
            yield from _check_subset(ctx, item)
    yield from _check_budget_zero_spent(ctx)
    yield from _check_sangong_over_budget(ctx)
    yield from _check_basic_adjustment(ctx)
    yield from _check_project_categories(ctx)
    for row in ctx.report.buildings:
        yield from _check_building(ctx, row)


def _check_staff(ctx: _Context) -> Iterator[Finding]:
    report = ctx.report
    reported = report.reported_control_rate
    if reported is None or not _known(report.staff_quota, report.staff_actual):
        return
    quota, actual = Decimal(report.staff_quota), Decimal(report.staff_actual)
    computed = percent(actual, quota)
    if _agrees(reported, computed, ctx.pack):
        return
    if computed is None:
        arithmetic = f"编制数为 {fmt_amount(quota)}，比率无法计算，应为「—」"
    else:
        arithmetic = f"计算 {fmt_amount(actual)} ÷ {fmt_amount(quota)} = {fmt_percent(computed)}"
    place = ctx.att1_place("staff", "财政供养人员情况", "control_rate")
    yield _finding("ATT1_CONTROL_RATE_MISMATCH", place, f"控制率 填报 {fmt_percent(reported)} ≠ {arithmetic}")


def _expense(ctx: _Context, code: str) -> Amounts:
    return ctx.report.expenses.get(code, Amounts())


def _columns(item: catalogue.ExpenseItem) -> tuple[str, ...]:
    return AMOUNT_COLUMNS if item.has_prior else AMOUNT_COLUMNS[1:]


def _child_parts(ctx: _Context, code: str, column: str) -> list[_Part]:
    """The rows under a 附件1 row as parts of its total, each with its budget when ``column`` is 决算数."""
    if code == "special":
        rows = [(f"special:{row.ref}", row.name, row.amounts) for row in ctx.report.special_rows]
    else:
        rows = [
            (item.code, row_name(item), _expense(ctx, item.code))
            for item in catalogue.EXPENSE_ITEMS
            if item.parent == code
        ]
    return [
        _Part(
            ctx.att1_place,
            (key, name, column),
            name,
            getattr(amounts, column),
            amounts.budget if column == "final" else None,
        )
        for key, name, amounts in rows
    ]


def _check_parent_sum(ctx: _Context, item: catalogue.ExpenseItem) -> Iterator[Finding]:
    parent = _expense(ctx, item.code)
    places = ctx.pack.decimal_places
    for column in _columns(item):
        value, parts = getattr(parent, column), _child_parts(ctx, item.code, column)
        if not _known(value, *(part.value for part in parts)):
            continue
        total = sum((part.value for part in parts), Decimal(0))
        where = f"{row_name(item)} {ctx.amount_column(column)}"
        if _total_agrees(value, total, places):
            yield from _check_rounded_parts(ctx, item, column, value, parts)
            continue
        listed = " + ".join(fmt_amount(part.value) for part in parts) or "（没有明细行）"
        suspect, hint = _suspect(parts, value, total)
        message = f"{where} {fmt_amount(value)} ≠ {listed} = {fmt_amount(total)}{hint}"
        place = ctx.att1_place(item.code, row_name(item), column)
        yield _finding("ATT1_SUM_MISMATCH", place, message, suspect=suspect)


def _check_rounded_parts(
    ctx: _Context, item: catalogue.ExpenseItem, column: str, value: Decimal, parts: list[_Part]
) -> Iterator[Finding]:
    """The table prints amounts at the pack's places: parts kept to the 元 may then show a sum that is not
    the total shown, though the exact figures agree."""
    places = ctx.pack.decimal_places
    shown = [quantize(part.value, places) for part in parts]
    if not parts or sum(shown, Decimal(0)) == quantize(value, places):
        return
    listed = " + ".join(f"{s:f}" for s in shown)
    message = (
        f"{row_name(item)} {ctx.amount_column(column)} 显示为 {quantize(value, places):f}，各行显示为 {listed} = "
        f"{sum(shown, Decimal(0)):f}：精确数相符，但四舍五入后读者看到的合计对不上，请调整尾数或加注说明"
    )
    yield _finding("ATT1_ROUNDED_PARTS_MISMATCH", ctx.att1_place(item.code, row_name(item), column), message)


def _check_subset(ctx: _Context, item: catalogue.ExpenseItem) -> Iterator[Finding]:
    parent = _expense(ctx, item.code)
    for column in _columns(item):
        value, parts = getattr(parent, column), _child_parts(ctx, item.code, column)
        if not _known(value, *(part.value for part in parts)):
            continue
        total = sum((part.value for part in parts), Decimal(0))
        if total <= value:
            continue
        listed = " + ".join(fmt_amount(part.value) for part in parts)
        message = f"{row_name(item)} {ctx.amount_column(column)} {fmt_amount(value)} < 其中 {listed} = {fmt_amount(total)}"
        yield _finding("ATT1_SUBSET_EXCEEDS", ctx.att1_place(item.code, row_name(item), column), message)


def _att1_child_rows(ctx: _Context) -> list[tuple[str, str, Amounts, str | None]]:
    rows = [
        (item.code, row_name(item), _expense(ctx, item.code), item.parent)
        for item in catalogue.EXPENSE_ITEMS
        if item.parent is not None
    ]
    rows += [(f"special:{row.ref}", row.name, row.amounts, "special") for row in ctx.report.special_rows]
    return rows


def _check_budget_zero_spent(ctx: _Context) -> Iterator[Finding]:
    for key, name, amounts, _parent in _att1_child_rows(ctx):
        if amounts.budget == 0 and amounts.final is not None and amounts.final > 0:
            message = (
                f"{name} {ctx.amount_column('budget')}为 {fmt_amount(amounts.budget)}，"
                f"{ctx.amount_column('final')}却为 {fmt_amount(amounts.final)}：预算外支出，请说明"
            )
            yield _finding("ATT1_BUDGET_ZERO_SPENT", ctx.att1_place(key, name, "final"), message)


_SANGONG = frozenset(
    item.code
    for item in catalogue.EXPENSE_ITEMS
    if item.code == "sangong" or item.parent in ("sangong", "car")
)


def _check_sangong_over_budget(ctx: _Context) -> Iterator[Finding]:
    """三公经费 must stay within its budget; a zero budget is ATT1_BUDGET_ZERO_SPENT's case."""
    for item in catalogue.EXPENSE_ITEMS:
        if item.code not in _SANGONG:
            continue
        amounts = _expense(ctx, item.code)
        if (
            not _known(amounts.budget, amounts.final)
            or amounts.budget == 0
            or amounts.final <= amounts.budget
        ):
            continue
        over = amounts.final - amounts.budget
        message = (
            f"{row_name(item)} {ctx.amount_column('final')} {fmt_amount(amounts.final)} > "
            f"{ctx.amount_column('budget')} {fmt_amount(amounts.budget)}，超支 {fmt_amount(over)}：三公经费不得超预算，请说明"
        )
        yield _finding(
            "ATT1_SANGONG_OVER_BUDGET", ctx.att1_place(item.code, row_name(item), "final"), message
        )


def _check_basic_adjustment(ctx: _Context) -> Iterator[Finding]:
    """部门基本支出预算调整 = 基本支出 − 年初的基本支出预算, where the 年初 basic budget is 附件2 年初预算数 less
    附件1 项目支出 预算数 (the seed: 800.14 − (1310.8 − 425) = −85.66, printed 0). The row's definition varies
    by region, hence a 提示."""
    card = ctx.report.department_scorecard
    printed = _expense(ctx, "basic_adjustment").final
    if card is None:
        return
    basic, initial = card.nature.get("basic"), fund_total(card).initial
    project_budget = _expense(ctx, "projects").budget
    if not _known(printed, basic, initial, project_budget):
        return
    change = basic - (initial - project_budget)
    if change == printed:
        return
    item = catalogue.EXPENSE_ITEMS_BY_CODE["basic_adjustment"]
    message = (
        f"部门基本支出预算调整 {ctx.amount_column('final')} {fmt_amount(printed)} ≠ 附件2 基本支出 {fmt_amount(basic)} − "
        f"（附件2 年初预算数 {fmt_amount(initial)} − 附件1 项目支出 {ctx.amount_column('budget')} {fmt_amount(project_budget)}）"
        f"= {fmt_amount(change)}"
    )
    yield _finding(
        "ATT1_BASIC_ADJUSTMENT_MISMATCH", ctx.att1_place(item.code, row_name(item), "final"), message
    )


def _check_project_categories(ctx: _Context) -> Iterator[Finding]:
    for category, label in catalogue.PROJECT_CATEGORIES:
        projects = [p for p in ctx.report.projects if p.category == category]
        final = _expense(ctx, category).final
        if not _known(final, *(p.actual_spent for p in projects)):
            continue
        spent = sum((p.actual_spent for p in projects), Decimal(0))
        if final == spent:
            continue
        parts = [
            _Part(ctx.project_place, (p, "actual_spent"), f"项目「{p.name}」", p.actual_spent)
            for p in projects
        ]
        suspect, hint = _suspect(parts, final, spent)
        listed = " + ".join(fmt_amount(p.actual_spent) for p in projects) or "（没有此类项目）"
        message = (
            f"{label} {ctx.amount_column('final')} {fmt_amount(final)} ≠ 该类项目实际支出 {listed} = "
            f"{fmt_amount(spent)}{hint}"
        )
        place = ctx.att1_place(category, label, "final")
        yield _finding("ATT1_PROJECT_CATEGORY_MISMATCH", place, message, suspect=suspect)


def _check_building(ctx: _Context, row) -> Iterator[Finding]:
    name = row.name or "楼堂馆所"
    checks = (
        ("reported_area_rate", row.reported_area_rate, row.actual_area, row.approved_area, "实际规模", "批复规模"),
        (
            "reported_investment_rate", row.reported_investment_rate,
            row.actual_investment, row.budget_investment, "实际投资", "预算投资",
        ),
    )  # fmt: skip
    for column, reported, numerator, denominator, top, bottom in checks:
        if reported is None or not _known(numerator, denominator):
            continue
        computed = percent(numerator, denominator)
        if _agrees(reported, computed, ctx.pack):
            continue
        label = _BUILDING_COLUMNS[column]
        if computed is None:
            arithmetic = f"{bottom}为 {fmt_amount(denominator)}，比率无法计算，应为「—」"
        else:
            arithmetic = f"计算 {top} {fmt_amount(numerator)} ÷ {bottom} {fmt_amount(denominator)} = {fmt_percent(computed)}"
        message = f"{name} {label} 填报 {fmt_percent(reported)} ≠ {arithmetic}"
        yield _finding(
            "ATT1_BUILDING_RATE_MISMATCH", ctx.att1_place(f"building:{row.ref}", name, column), message
        )


# ---------------------------------------------------------------- 附件2 breakdowns, cross-table


def _check_att2_breakdowns(ctx: _Context) -> Iterator[Finding]:
    scorecard = ctx.report.department_scorecard
    if scorecard is None:
        yield _finding(
            "ATT2_MISSING", Place("att2", "funds", "", "附件2"), "缺少附件2 部门整体支出绩效自评表"
        )
        return
    executed = fund_total(scorecard).executed
    for code, prefix, kinds, title, values in (
        ("ATT2_INCOME_SUM_MISMATCH", "income", catalogue.INCOME_KINDS, "按收入性质分", scorecard.income),
        ("ATT2_NATURE_SUM_MISMATCH", "nature", catalogue.NATURE_KINDS, "按支出性质分", scorecard.nature),
    ):
        parts = [
            _Part(ctx.card_place, (scorecard, f"{prefix}:{key}", label, "executed"), label, values.get(key))
            for key, label in kinds
        ]
        if not _known(executed, *(part.value for part in parts)):
            continue
        total = sum((part.value for part in parts), Decimal(0))
        if _total_agrees(executed, total, ctx.pack.decimal_places):
            continue
        suspect, hint = _suspect(parts, executed, total)
        listed = " + ".join(fmt_amount(part.value) for part in parts)
        message = f"{title} {listed} = {fmt_amount(total)} ≠ 全年执行数 {fmt_amount(executed)}{hint}"
        place = ctx.card_place(scorecard, "funds", "年度资金总额", "executed")
        yield _finding(code, place, message, suspect=suspect)
    yield from _check_basic(ctx, scorecard)
    yield from _check_revenue(ctx, scorecard)
    att1_projects = _expense(ctx, "projects").final
    att2_projects = scorecard.nature.get("project")
    if _known(att1_projects, att2_projects) and att1_projects != att2_projects:
        message = f"附件2 项目支出 {fmt_amount(att2_projects)} ≠ 附件1 项目支出 {ctx.amount_column('final')} {fmt_amount(att1_projects)}"
        yield _finding(
            "ATT2_PROJECTS_MISMATCH",
            ctx.card_place(scorecard, "nature:project", "项目支出", "executed"),
            message,
        )


def _check_revenue(ctx: _Context, scorecard: Scorecard) -> Iterator[Finding]:
    """Spending cannot exceed the year's income plus what was carried in: 全年执行数 ≤ 财政拨款收入 + 上年结转 +
    其他收入; the appropriated part of the spending (按收入性质分 but 其他资金) ≤ 财政拨款收入 + 上年结转 (a 提示: a
    carry-over may be of other money too)."""
    revenue = scorecard.revenue
    values = [revenue.get(key) for key, _ in catalogue.REVENUE_KINDS]
    if not _known(*values):
        return  # blank (未填) or a document with no income side
    names = dict(catalogue.REVENUE_KINDS)
    income = sum(values, Decimal(0))
    listed = " + ".join(f"{names[key]} {fmt_amount(revenue[key])}" for key, _ in catalogue.REVENUE_KINDS)
    executed = fund_total(scorecard).executed
    if executed is not None and executed > income:
        message = f"全年执行数 {fmt_amount(executed)} > 收入合计 {listed} = {fmt_amount(income)}，超出 {fmt_amount(executed - income)}：支出不能超过收入与上年结转之和"
        place = ctx.card_place(scorecard, "funds", "年度资金总额", "executed")
        yield _finding("ATT2_SPENDING_EXCEEDS_INCOME", place, message)
        return
    fiscal_keys = [key for key, _ in catalogue.INCOME_KINDS if key != "other"]
    fiscal = [scorecard.income.get(key) for key in fiscal_keys]
    available = revenue["fiscal"] + revenue["carryover"]
    if _known(*fiscal) and sum(fiscal, Decimal(0)) > available:
        labels_ = dict(catalogue.INCOME_KINDS)
        spent = " + ".join(f"{labels_[key]} {fmt_amount(scorecard.income[key])}" for key in fiscal_keys)
        message = (
            f"按收入性质分 {spent} = {fmt_amount(sum(fiscal, Decimal(0)))} > 财政拨款收入 {fmt_amount(revenue['fiscal'])} "
            f"+ 上年结转 {fmt_amount(revenue['carryover'])} = {fmt_amount(available)}：财政拨款安排的支出超过可用的财政拨款，请核对"
        )
        place = ctx.card_place(scorecard, "revenue:fiscal", "财政拨款收入", "executed")
        yield _finding("ATT2_FISCAL_SPENDING_EXCEEDS", place, message)


def _check_basic(ctx: _Context, scorecard: Scorecard) -> Iterator[Finding]:
    basic = scorecard.nature.get("basic")
    personnel, public = ctx.report.personnel_expense, _expense(ctx, "public").final
    if not _known(basic, personnel, public) or basic == personnel + public:
        return
    message = (
        f"基本支出 {fmt_amount(basic)} ≠ 人员经费 {fmt_amount(personnel)} + 附件1 公用经费 {fmt_amount(public)} = "
        f"{fmt_amount(personnel + public)}"
    )
    yield _finding(
        "ATT2_BASIC_MISMATCH", ctx.card_place(scorecard, "nature:basic", "基本支出", "executed"), message
    )


def _check_special_rows(ctx: _Context) -> Iterator[Finding]:
    specials = {p.name: p for p in ctx.report.projects if p.category == "special"}
    for row in ctx.report.special_rows:
        project = specials.get(row.name)
        if project is None:
            place = ctx.att1_place(f"special:{row.ref}", row.name, "")
            yield _finding("ATT1_SPECIAL_NO_PROJECT", place, f"专项「{row.name}」没有同名的市级专项资金项目")
            continue
        scorecard = ctx.scorecards.get(project.scorecard_ref or "")
        if scorecard is None:
            continue  # PROJECT_NO_SCORECARD / PROJECT_SCORECARD_UNKNOWN already name it
        executed = fund_total(scorecard).executed
        if _known(row.amounts.final, executed) and row.amounts.final != executed:
            message = (
                f"{row.name} {ctx.amount_column('final')} {fmt_amount(row.amounts.final)} ≠ "
                f"附件3 全年执行数 {fmt_amount(executed)}"
            )
            yield _finding(
                "ATT1_SPECIAL_ATT3_MISMATCH", ctx.att1_place(f"special:{row.ref}", row.name, "final"), message
            )


# ---------------------------------------------------------------- projects


def _check_projects(ctx: _Context) -> Iterator[Finding]:
    special_rows = {row.name for row in ctx.report.special_rows}
    for project in ctx.report.projects:
        yield from _check_project_scorecard(ctx, project)
        if project.category == "special" and project.name not in special_rows:
            place = ctx.project_place(project, "category")
            yield _finding(
                "PROJECT_SPECIAL_NO_ROW", place, f"市级专项资金项目「{project.name}」在附件1 没有同名专项行"
            )
        yield from _check_project_names(ctx, project)
        yield from _personal_numbers(
            project.no_scorecard_reason, ctx.project_place(project, "no_scorecard_reason")
        )
    referenced = {p.scorecard_ref for p in ctx.report.projects}
    for scorecard in ctx.report.project_scorecards:
        if scorecard.ref not in referenced:
            place = ctx.card_place(scorecard, "funds", "", "")
            yield _finding("ATT3_NO_PROJECT", place, f"附件3「{scorecard.title}」不属于任何项目")


def _check_project_scorecard(ctx: _Context, project: Project) -> Iterator[Finding]:
    if project.scorecard_ref is None:
        if _blank(project.no_scorecard_reason):
            message = f"项目「{project.name}」（实际支出 {fmt_amount(project.actual_spent)} 万元）没有附件3，也没有说明原因"
            yield _finding("PROJECT_NO_SCORECARD", ctx.project_place(project, "no_scorecard_reason"), message)
        return
    scorecard = ctx.scorecards.get(project.scorecard_ref)
    if scorecard is None:
        message = f"项目「{project.name}」指向的附件3 {project.scorecard_ref} 不存在"
        yield _finding("PROJECT_SCORECARD_UNKNOWN", ctx.project_place(project, "scorecard_ref"), message)
        return
    total = fund_total(scorecard)
    name = project.name
    if _known(project.initial_budget, total.initial) and project.initial_budget != total.initial:
        message = f"项目「{name}」年初预算 {fmt_amount(project.initial_budget)} ≠ 附件3 年初预算数 {fmt_amount(total.initial)}"
        yield _finding("PROJECT_INITIAL_MISMATCH", ctx.project_place(project, "initial_budget"), message)
    budget = sum_known(project.initial_budget, project.adjustment)
    if _known(budget, total.full_year) and budget != total.full_year:
        message = (
            f"项目「{name}」年初预算 {fmt_amount(project.initial_budget)} + 年中调整 "
            f"{fmt_amount(project.adjustment)} = {fmt_amount(budget)} ≠ 附件3 全年预算数 {fmt_amount(total.full_year)}"
        )
        yield _finding("PROJECT_BUDGET_MISMATCH", ctx.project_place(project, "adjustment"), message)
    if _known(project.actual_spent, total.executed) and project.actual_spent != total.executed:
        message = f"项目「{name}」实际支出 {fmt_amount(project.actual_spent)} ≠ 附件3 全年执行数 {fmt_amount(total.executed)}"
        yield _finding("PROJECT_SPENT_MISMATCH", ctx.project_place(project, "actual_spent"), message)


def _check_project_names(ctx: _Context, project: Project) -> Iterator[Finding]:
    titles = dict(catalogue.SECTIONS)
    names = [(project.name, "项目名称")]
    names += [
        (name, f"正文{titles.get(key, key)[:1]}") for key, name in sorted(project.names_in_text.items())
    ]
    scorecard = ctx.scorecards.get(project.scorecard_ref or "")
    if scorecard is not None:
        names.append((scorecard.title, "附件3"))
    if len({name for name, _ in names}) > 1:
        listed = "、".join(f"「{name}」（{where}）" for name, where in names)
        message = f"同一项目使用了 {len({n for n, _ in names})} 个名称：{listed}"
        yield _finding("PROJECT_NAME_INCONSISTENT", ctx.project_place(project, "name"), message)


# ---------------------------------------------------------------- scorecards


def _check_scorecard(ctx: _Context, scorecard: Scorecard) -> Iterator[Finding]:
    result = ctx.results[scorecard.ref]
    yield from _check_printed_funds_total(ctx, scorecard, result)
    yield from _check_execution(ctx, scorecard, result)
    yield from _check_budget_cut(ctx, scorecard)
    yield from _check_goals(ctx, scorecard)
    yield from _check_structure(ctx, scorecard, result)
    for indicator in scorecard.indicators:
        yield from _check_indicator(ctx, scorecard, indicator, result.indicators[indicator.ref])
    yield from _check_totals(ctx, scorecard, result)
    yield from _check_grade(ctx, scorecard, result)
    yield from _scorecard_personal_numbers(ctx, scorecard)


def _check_printed_funds_total(
    ctx: _Context, scorecard: Scorecard, result: ScorecardResult
) -> Iterator[Finding]:
    """附件3's 年度资金总额 as printed against the sum of its rows, column by column; the likely wrong row is
    named the way 附件1's totals name it (a row equal to the difference, a row copied from its neighbour)."""
    if scorecard.kind != "project":
        return
    labels_ = dict(catalogue.FUND_SOURCES)
    for column, header in catalogue.FUND_COLUMNS:
        printed, computed = getattr(scorecard.reported_funds, column), getattr(result.funds, column)
        if printed is None or computed is None or _total_agrees(printed, computed, ctx.pack.decimal_places):
            continue
        parts = [
            _Part(
                ctx.card_place,
                (scorecard, f"funds:{key}", labels_[key].removeprefix("其中："), column),
                labels_[key].removeprefix("其中："),
                getattr(line, column),
            )
            for key, line in fund_lines_used(scorecard)
        ]
        suspect, hint = _suspect(parts, printed, computed)
        listed = " + ".join(f"{part.name} {fmt_amount(part.value)}" for part in parts)
        message = (
            f"年度资金总额 {header} 填报 {fmt_amount(printed)} ≠ {listed} = {fmt_amount(computed)}{hint}"
        )
        place = ctx.card_place(scorecard, "funds", "年度资金总额", column)
        yield _finding("ATT3_FUNDS_TOTAL_MISMATCH", place, message, suspect=suspect)


def _check_grade(ctx: _Context, scorecard: Scorecard, result: ScorecardResult) -> Iterator[Finding]:
    """The printed 等级 against the band of the computed 总分 (or of the printed 总分, when that is the figure
    the grade was read from: a grade that fits neither is wrong whichever total is right)."""
    printed = (scorecard.reported_grade or "").strip()
    if not printed or _undecided_levels(ctx.pack, scorecard):
        return
    if not _known(*(i.score for i in scorecard.indicators), result.execution.raw_score):
        return
    computed = result.grade
    if printed == computed:
        return
    bands = "；".join(f"{band.label} ≥ {fmt_amount(band.minimum)}" for band in ctx.pack.grade_bands)
    message = (
        f"等级 填报「{printed}」≠ 总分 {fmt_amount(result.self_total)} 按规则包所得「{computed}」（{bands}）"
    )
    reported_total = scorecard.reported_total_score
    if reported_total is not None and reported_total != result.self_total:
        message += f"；按填报总分 {fmt_amount(reported_total)} 则为「{grade_of(reported_total, ctx.pack)}」"
    yield _finding("GRADE_MISMATCH", ctx.card_place(scorecard, "total", "总分", "grade"), message)


def _scorecard_personal_numbers(ctx: _Context, scorecard: Scorecard) -> Iterator[Finding]:
    place = ctx.card_place(scorecard, "funds", "年度资金总额", "execution_explanation")
    yield from _personal_numbers(scorecard.execution_explanation, place)
    for indicator in scorecard.indicators:
        for column, text in (
            ("target", indicator.target_text),
            ("actual", indicator.actual_text),
            ("deviation_reason", indicator.deviation_reason),
        ):
            place = ctx.card_place(scorecard, f"indicator:{indicator.ref}", indicator.name, column)
            yield from _personal_numbers(text, place)


def _check_execution(ctx: _Context, scorecard: Scorecard, result: ScorecardResult) -> Iterator[Finding]:
    ex = result.execution
    funds = result.funds
    denominator = getattr(funds, ctx.pack.execution_denominator)

    def place(column: str) -> Place:
        return ctx.card_place(scorecard, "funds", "年度资金总额", column)

    if not _known(funds.executed, denominator):
        return  # a blank operand: its 未填 says it all
    if ex.rate is None:
        yield _finding("EXEC_RATE_UNDEFINED", place("execution_rate"), ex.steps[0])
    reported = scorecard.reported_execution_rate
    if reported is not None and not _agrees(reported, ex.raw_rate, ctx.pack):
        message = f"执行率 填报 {fmt_percent(reported)} ≠ 计算值 {fmt_percent(ex.raw_rate)}：{ex.steps[0]}"
        yield _finding("EXEC_RATE_MISMATCH", place("execution_rate"), message)
    reported = scorecard.reported_execution_score
    if reported is not None and not _agrees(reported, ex.raw_score, ctx.pack):
        message = f"执行率得分 填报 {fmt_amount(reported)} ≠ 计算 {'；'.join(ex.steps)}"
        yield _finding("EXEC_SCORE_MISMATCH", place("execution_score"), message)
    if ex.explanation_required and _blank(scorecard.execution_explanation):
        message = f"须说明执行情况：{'；'.join(ex.explanation_reasons)}"
        yield _finding("EXEC_EXPLANATION_MISSING", place("execution_explanation"), message)


def _check_budget_cut(ctx: _Context, scorecard: Scorecard) -> Iterator[Finding]:
    """A budget cut deeper than the pack's threshold while every indicator keeps full marks: the targets
    were probably not revised with the money."""
    funds = ctx.results[scorecard.ref].funds
    rows = scorecard.indicators
    if not _known(funds.initial, funds.full_year) or funds.initial <= 0 or not rows:
        return
    cut = (funds.initial - funds.full_year) / funds.initial
    if cut <= ctx.pack.budget_cut_threshold:
        return
    if not all(_known(i.score, i.weight) and i.score == i.weight for i in rows):
        return
    message = (
        f"全年预算数 {fmt_amount(funds.full_year)} 比年初预算数 {fmt_amount(funds.initial)} 调减 "
        f"{fmt_percent(cut * 100)}（超过 {fmt_percent(ctx.pack.budget_cut_threshold * 100)}），"
        f"{len(rows)} 个三级指标却都得满分：目标是否随预算调整？"
    )
    yield _finding(
        "BUDGET_CUT_FULL_MARKS", ctx.card_place(scorecard, "funds", "年度资金总额", "full_year"), message
    )


_GOAL_TOTAL = re.compile(r"(?:共|合计|总计|总额|共计)[^\d。；;]{0,12}?(\d+(?:\.\d+)?)\s*万元")
_GOAL_ITEM = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*万元")
_PUNCTUATION = re.compile(r"[\s，,。．.、；;：:“”\"'（）()《》]")


def _check_goals(ctx: _Context, scorecard: Scorecard) -> Iterator[Finding]:
    place = ctx.card_place(scorecard, "goals", "年度总体目标", "")
    text = scorecard.goal_expected or ""
    total_match = _GOAL_TOTAL.search(text)
    if total_match is not None:
        # The items are the amounts of the same sentence after the total: 「共 100 万元，其中 A 60 万元、B 30 万元」.
        sentence = re.split(r"[。；;]", text[total_match.end() :], maxsplit=1)[0]
        items = [Decimal(m.group(1)) for m in _GOAL_ITEM.finditer(sentence)]
        total = Decimal(total_match.group(1))
        if len(items) >= 2 and sum(items, Decimal(0)) != total:
            listed = " + ".join(fmt_amount(i) for i in items)
            message = f"预期目标写合计 {fmt_amount(total)} 万元，分项 {listed} = {fmt_amount(sum(items, Decimal(0)))} 万元"
            yield _finding("GOAL_AMOUNTS_MISMATCH", place, message)
    if scorecard.kind == "project" and text.strip():
        remainder = _PUNCTUATION.sub("", text.replace(scorecard.title, ""))
        for word in ("完成", "实施", "开展", "做好", "项目", "工作", "的", "年度", "目标"):
            remainder = remainder.replace(word, "")
        if len(remainder) <= 2:
            message = f"预期目标「{text.strip()[:40]}」只是重复项目名称「{scorecard.title}」：请写明要达到的产出和效果"
            yield _finding("GOAL_RESTATES_NAME", place, message)


def _check_structure(ctx: _Context, scorecard: Scorecard, result: ScorecardResult) -> Iterator[Finding]:
    pack = ctx.pack
    for indicator in scorecard.indicators:
        found = pack.level2(indicator.level2)
        if found is None or found[0].key != indicator.level1:
            place = ctx.card_place(scorecard, f"indicator:{indicator.ref}", indicator.name, "level2")
            message = f"「{indicator.name}」挂在 {indicator.level1}/{indicator.level2} 下，规则包「{pack.name}」没有这一级"
            yield _finding("IND_LEVEL_UNKNOWN", place, message)
    for level in pack.skeleton:
        rows = [i for i in scorecard.indicators if i.level1 == level.key]
        for child in level.children:
            count = sum(1 for i in rows if i.level2 == child.key)
            place = ctx.card_place(scorecard, f"level2:{child.key}", child.label, "not_applicable")
            if child.key in scorecard.not_applicable and count:
                yield _finding(
                    "LEVEL2_NOT_APPLICABLE_HAS_ROWS",
                    place,
                    f"{child.label} 标为「不适用」，下面却有 {count} 个三级指标",
                )
        if not _known(*(i.weight for i in rows)) or level.key in _undecided_levels(ctx.pack, scorecard):
            continue
        weight = result.level1_weights.get(level.key, Decimal(0))
        if weight != level.weight:
            parts = " + ".join(fmt_amount(i.weight) for i in rows) or "（没有三级指标）"
            message = (
                f"{level.label} 三级分值 {parts} = {fmt_amount(weight)} ≠ 规定分值 {fmt_amount(level.weight)}"
            )
            yield _finding(
                "LEVEL1_WEIGHT_MISMATCH",
                ctx.card_place(scorecard, f"level1:{level.key}", level.label, "weight"),
                message,
            )


def _undecided_levels(pack, scorecard: Scorecard) -> set[str]:
    """一级 with no 三级 row yet and a 二级 not marked 不适用: their 分值 are blanks (未填, listed by the part's
    completeness), not a sum of 0 — a new year's 附件3 starts so."""
    used = {i.level1 for i in scorecard.indicators}
    return {
        level.key
        for level in pack.skeleton
        if level.key not in used and any(c.key not in scorecard.not_applicable for c in level.children)
    }


def _check_totals(ctx: _Context, scorecard: Scorecard, result: ScorecardResult) -> Iterator[Finding]:
    exec_weight = ctx.pack.execution_weight
    rows = scorecard.indicators
    undecided = _undecided_levels(ctx.pack, scorecard)
    if _known(*(i.weight for i in rows)) and not undecided and result.weight_total != 100:
        message = (
            f"总分值 = 执行率 {fmt_amount(exec_weight)} + 三级 {fmt_amount(result.weight_total - exec_weight)} = "
            f"{fmt_amount(result.weight_total)} ≠ 100"
        )
        yield _finding("WEIGHT_TOTAL_MISMATCH", ctx.card_place(scorecard, "total", "总分", "weight"), message)
    reported = scorecard.reported_total_score
    exec_score = result.execution.raw_score
    exec_operands = (result.funds.executed, getattr(result.funds, ctx.pack.execution_denominator))
    if reported is None or undecided or not _known(exec_score, *exec_operands, *(i.score for i in rows)):
        return
    if not _agrees(reported, result.self_total, ctx.pack):
        parts = [_Part(ctx.card_place, (scorecard, f"indicator:{i.ref}", i.name, "score"), f"「{i.name}」得分", i.score)
                 for i in rows]  # fmt: skip
        suspect, hint = _suspect(parts, reported - exec_score, result.self_total - exec_score)
        message = (
            f"总分 填报 {fmt_amount(reported)} ≠ 计算 执行率得分 {fmt_amount(quantize(exec_score, ctx.pack.decimal_places))} "
            f"+ 三级得分 {fmt_amount(result.self_total - quantize(exec_score, ctx.pack.decimal_places))} = "
            f"{fmt_amount(result.self_total)}{hint}"
        )
        place = ctx.card_place(scorecard, "total", "总分", "score")
        yield _finding("TOTAL_SCORE_MISMATCH", place, message, suspect=suspect)


def _check_indicator(
    ctx: _Context, scorecard: Scorecard, indicator: Indicator, rule: RuleScore
) -> Iterator[Finding]:
    def place(column: str) -> Place:
        return ctx.card_place(scorecard, f"indicator:{indicator.ref}", indicator.name, column)

    yield from _check_indicator_definition(indicator, place)
    yield from _check_indicator_judgement(ctx, scorecard, indicator, place)
    yield from _check_indicator_score(indicator, rule, place)
    yield from _check_indicator_evidence(ctx, indicator, place)
    if rule.deviation_required and _blank(indicator.deviation_reason):
        code = "IND_DEVIATION_MISSING" if rule.deviation_severity == ERROR else "IND_OVER_ACHIEVED_NO_REASON"
        reasons = list(rule.deviation_reasons)
        if indicator.score is not None and rule.score is not None and indicator.score < rule.score:
            reasons.append(f"自评得分 {fmt_amount(indicator.score)} 低于规则得分 {fmt_amount(rule.score)}")
        yield _finding(code, place("deviation_reason"), f"须填写偏差原因分析及改进措施：{'；'.join(reasons)}")


def evidence_pattern(pack: RulePack, indicator: Indicator) -> str | None:
    """The pack's ``evidence_required`` pattern that ``indicator`` matches — in its name or the label of its
    一级/二级指标 — or None when the pack asks for no evidence for it."""
    found = pack.level2(indicator.level2)
    labels_of = (indicator.name, *((found[0].label, found[1].label) if found else ()))
    return next((p for p in pack.evidence_required if any(p in text for text in labels_of)), None)


def _check_indicator_evidence(
    ctx: _Context, indicator: Indicator, place: Callable[[str], Place]
) -> Iterator[Finding]:
    # None: the payload says nothing of evidence (open data, an uploaded file), so there is nothing to judge.
    if indicator.evidence != 0:
        return
    pattern = evidence_pattern(ctx.pack, indicator)
    if pattern is not None:
        yield _finding(
            "IND_EVIDENCE_MISSING",
            place("evidence"),
            f"「{indicator.name}」属于规则包要求附佐证材料的指标（含「{pattern}」），"
            "请上传调查报告等佐证材料（PDF、图片、xlsx、docx 或 OFD）",
        )


def _check_indicator_definition(indicator: Indicator, place: Callable[[str], Place]) -> Iterator[Finding]:
    text = indicator.target_text
    if indicator.weight is not None and indicator.weight <= 0:
        message = f"「{indicator.name}」分值为 {fmt_amount(indicator.weight)}：每个三级指标的分值须大于 0"
        yield _finding("IND_WEIGHT_NOT_POSITIVE", place("weight"), message)
    if _blank(text) and indicator.target_value is None:
        return  # 未填
    if indicator.operator is None:
        if indicator.target_value is not None or parse_target(text).value is not None:
            message = f"年度指标值「{text}」只有数值没有方向：请选择 ≥、≤ 或 =（定性请选「定性」）"
            yield _finding("IND_OPERATOR_MISSING", place("operator"), message)
        else:
            yield _finding(
                "IND_TARGET_UNPARSEABLE",
                place("target"),
                f"年度指标值「{text}」无法识别：请选择指标方向并填写数值",
            )
    elif indicator.operator not in ("ge", "le", "eq", "qual"):
        message = f"指标方向 {indicator.operator!r} 无效：请选择 ≥、≤、= 或定性"
        yield _finding("IND_OPERATOR_MISSING", place("operator"), message)
    elif indicator.operator == "qual":
        return
    elif indicator.target_value is None:
        yield _finding("IND_TARGET_UNPARSEABLE", place("target"), f"年度指标值「{text}」没有可计算的数值")
    elif indicator.actual_value is None:
        if not _blank(indicator.actual_text):
            message = f"实际完成值「{indicator.actual_text}」没有可计算的数值"
            yield _finding("IND_ACTUAL_MISSING", place("actual"), message)
    else:
        actual_unit = parse_actual(indicator.actual_text).unit
        if actual_unit and indicator.target_unit and actual_unit != indicator.target_unit:
            message = f"实际完成值单位「{actual_unit}」≠ 年度指标值单位「{indicator.target_unit}」"
            yield _finding("IND_UNIT_MISMATCH", place("actual"), message)


# 定性 targets that only name a direction: nothing a reviewer could check the actual against.
_BARE_VERBS = frozenset(
    {"促进", "维护", "保护", "化解", "提高", "提升", "改善", "加强", "推进", "保障", "稳定", "有效", "良好"}
)
_MONEY_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}


def _normalized(text: str) -> str:
    return _PUNCTUATION.sub("", text or "")


def _check_indicator_judgement(
    ctx: _Context, scorecard: Scorecard, indicator: Indicator, place: Callable[[str], Place]
) -> Iterator[Finding]:
    funds = ctx.results[scorecard.ref].funds
    denominator = ctx.pack.execution_denominator
    unit = _MONEY_UNITS.get(indicator.target_unit)
    target = indicator.target_value
    if unit is not None and target is not None:
        amount = target * unit
        # 成本 is a 一级 in the Hunan pack and a 二级 of 产出 in the central one; either way its label says 成本.
        found = ctx.pack.level2(indicator.level2)
        is_cost = (
            indicator.level1 == "cost"
            or indicator.level2 == "cost"
            or (found is not None and "成本" in found[1].label)
        )
        if (
            is_cost
            and denominator == "full_year"
            and _known(funds.initial, funds.full_year)
            and funds.initial != funds.full_year
            and amount == funds.initial
        ):
            message = (
                f"成本目标 {indicator.target_text} = 年初预算数 {fmt_amount(funds.initial)}，而执行率按全年预算数 "
                f"{fmt_amount(funds.full_year)} 计算：目标应以全年预算数为准，或说明为何仍按年初"
            )
            yield _finding("IND_COST_ON_INITIAL", place("target"), message)
        if indicator.level2 == "quantity" and amount in {funds.initial, funds.full_year} - {None}:
            message = (
                f"数量指标「{indicator.name}」的目标 {indicator.target_text} 就是预算金额：数量指标应写产出的"
                "数量（人次、件、期…），资金放在成本指标"
            )
            yield _finding("IND_OUTPUT_IS_MONEY", place("target"), message)
    if indicator.operator == "qual" and not _blank(indicator.target_text):
        target_text, actual_text = _normalized(indicator.target_text), _normalized(indicator.actual_text)
        reasons = []
        if target_text in _BARE_VERBS:
            reasons.append(f"目标「{indicator.target_text}」只有一个动词")
        if target_text and target_text == actual_text:
            reasons.append("实际完成值照抄目标")
        if reasons:
            message = (
                f"定性指标「{indicator.name}」{'，'.join(reasons)}：无法据此判断是否达成，请写明可检验的目标和实际"
                "情况，并自行选择评价等级"
            )
            yield _finding("IND_QUAL_VAGUE", place("target"), message)


def _check_indicator_score(
    indicator: Indicator, rule: RuleScore, place: Callable[[str], Place]
) -> Iterator[Finding]:
    score, weight = indicator.score, indicator.weight
    if score is None:
        return
    if weight is not None and not 0 <= score <= weight:
        message = f"得分 {fmt_amount(score)} 不在 [0, 分值 {fmt_amount(weight)}] 之内"
        yield _finding("IND_SCORE_OUT_OF_RANGE", place("score"), message)
    elif indicator.operator == "qual" and not rule.allows(score):
        yield _finding(
            "IND_SCORE_OUTSIDE_BAND", place("score"), f"得分 {fmt_amount(score)} 不符合：{rule.steps[0]}"
        )
    elif indicator.operator != "qual" and rule.score is not None and score > rule.score:
        message = f"得分 {fmt_amount(score)} 高于规则得分 {fmt_amount(rule.score)}：{'；'.join(rule.steps)}"
        yield _finding("IND_SCORE_ABOVE_RULE", place("score"), message)
