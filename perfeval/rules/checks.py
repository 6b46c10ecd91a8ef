"""The consistency checks of domain.md §5 and every scoring rule of §4, over one :class:`data.Report`.

Each finding names its place with machine keys the UI links to a field, plus a Chinese label, and a message
that shows the arithmetic. Errors block submission; warnings need an explanation the reviewer sees.

Severity choices:
- a required text that is missing is an error (偏差原因 for a missed target, the 执行率 explanation) because
  domain.md says "required"; the one exception is 偏差原因 for over-achievement alone, a warning, since the
  target was met and only its ambition is in question;
- figures that disagree are errors; figures that are merely unusual (spent without a budget, a project
  without 附件3) are warnings;
- "self score below the rule score without 偏差原因" is reported as IND_DEVIATION_MISSING: a self score below
  the rule score is always below 分值, which already requires the reason, and one place gets one finding.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from . import catalogue
from .data import Amounts, Indicator, Project, Report, Scorecard
from .decimals import fmt_amount, fmt_percent, percent
from .packs import RulePack
from .parsing import parse_actual, parse_target
from .scoring import (
    AMOUNT_COLUMNS,
    RuleScore,
    ScorecardResult,
    add_optional,
    attachment1_computed,
    expense_children,
    fund_total,
    scorecard_result,
)

ERROR, WARNING = "error", "warning"

CHECKS: dict[str, tuple[str, str]] = {
    # cover, 正文, footer
    "COVER_NAME_EMPTY": (ERROR, "封面未填部门（单位）名称"),
    "TEXT_SECTION_EMPTY": (WARNING, "正文章节为空"),
    "TEXT_S9_EMPTY": (WARNING, "正文九（自评结果拟应用和公开情况）为空或仅写「无」"),
    "TEXT_PROBLEMS_EMPTY": (WARNING, "存在偏差，但正文七（问题及原因）或八（改进措施）为空"),
    "FOOTER_EMPTY": (WARNING, "表尾填表人、填报日期、联系电话或单位负责人未填"),
    "PERSONAL_NUMBER": (WARNING, "公开版本含个人手机号或身份证号，发布前须遮盖"),
    # 附件1
    "ATT1_SUM_MISMATCH": (ERROR, "附件1 上级行 ≠ 下级行之和（三公、公务用车、项目支出、市级专项资金）"),
    "ATT1_SUBSET_EXCEEDS": (ERROR, "附件1 「其中」行之和大于其上级行（公用经费）"),
    "ATT1_BUDGET_ZERO_SPENT": (WARNING, "附件1 预算为 0 或未填，却有决算支出"),
    "ATT1_STAFF_MISSING": (WARNING, "附件1 编制数或实际在职人数未填"),
    "ATT1_CONTROL_RATE_MISMATCH": (ERROR, "附件1 填报的控制率与 在职 ÷ 编制 不符"),
    "ATT1_BUILDING_RATE_MISMATCH": (ERROR, "附件1 填报的楼堂馆所控制率与计算值不符（分母为 0 时应为「—」）"),
    "ATT1_FRUGALITY_EMPTY": (WARNING, "附件1 厉行节约保障措施未填"),
    "ATT1_PROJECT_CATEGORY_MISMATCH": (ERROR, "附件1 项目支出分类决算数 ≠ 该类项目实际支出之和"),
    "ATT1_SPECIAL_NO_PROJECT": (ERROR, "附件1 专项行没有同名的市级专项资金项目"),
    "ATT1_SPECIAL_ATT3_MISMATCH": (ERROR, "附件1 专项行决算数 ≠ 其附件3 全年执行数"),
    # 附件2 breakdowns and cross-table figures
    "ATT2_MISSING": (ERROR, "缺少附件2 部门整体支出绩效自评表"),
    "ATT2_INCOME_SUM_MISMATCH": (ERROR, "附件2 按收入性质分合计 ≠ 全年执行数"),
    "ATT2_NATURE_SUM_MISMATCH": (ERROR, "附件2 按支出性质分合计 ≠ 全年执行数"),
    "ATT2_BASIC_MISMATCH": (ERROR, "附件2 基本支出 ≠ 人员经费 + 附件1 公用经费"),
    "ATT2_PROJECTS_MISMATCH": (ERROR, "附件2 项目支出 ≠ 附件1 项目支出决算数"),
    # every scorecard (附件2 and each 附件3)
    "EXEC_RATE_UNDEFINED": (ERROR, "执行率无法计算（预算数为 0 或未填，或执行数未填）"),
    "EXEC_RATE_MISMATCH": (ERROR, "填报的执行率与计算值不符"),
    "EXEC_SCORE_MISMATCH": (ERROR, "填报的执行率得分与计算值不符"),
    "EXEC_EXPLANATION_MISSING": (ERROR, "执行率低于阈值或年初预算数 ≠ 全年预算数，须说明执行情况"),
    "LEVEL1_WEIGHT_MISMATCH": (ERROR, "一级指标下三级分值之和 ≠ 规则包权重"),
    "WEIGHT_TOTAL_MISMATCH": (ERROR, "总分值（执行率分值 + 三级分值）≠ 100"),
    "TOTAL_SCORE_MISMATCH": (ERROR, "填报的总分 ≠ 执行率得分 + 三级得分之和"),
    "LEVEL2_NOT_APPLICABLE_HAS_ROWS": (ERROR, "标为「不适用」的二级指标下仍有三级指标"),
    "LEVEL2_EMPTY": (WARNING, "适用的二级指标下没有三级指标"),
    "IND_LEVEL_UNKNOWN": (ERROR, "三级指标挂在规则包中不存在的一级/二级指标下"),
    "IND_WEIGHT_MISSING": (ERROR, "三级指标分值未填"),
    "IND_OPERATOR_MISSING": (ERROR, "年度指标值有数值但没有方向（≥、≤、=）"),
    "IND_TARGET_UNPARSEABLE": (ERROR, "年度指标值无法识别为方向 + 数值"),
    "IND_ACTUAL_MISSING": (ERROR, "定量指标的实际完成值没有可计算的数值"),
    "IND_UNIT_MISMATCH": (WARNING, "实际完成值的单位与年度指标值不同"),
    "IND_QUAL_BAND_MISSING": (ERROR, "定性指标未选择评价等级"),
    "IND_SCORE_MISSING": (ERROR, "三级指标得分未填"),
    "IND_SCORE_OUT_OF_RANGE": (ERROR, "得分小于 0 或大于分值"),
    "IND_SCORE_ABOVE_RULE": (ERROR, "得分高于规则得分"),
    "IND_SCORE_OUTSIDE_BAND": (ERROR, "定性得分不在所选等级的区间内"),
    "IND_DEVIATION_MISSING": (ERROR, "未达成、定性低于「达成」或得分低于分值/规则得分，却未填偏差原因"),
    "IND_OVER_ACHIEVED_NO_REASON": (WARNING, "实际超出目标超过阈值（目标可能偏低），却未填偏差原因"),
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


def _finding(code: str, place: Place, message: str) -> Finding:
    return Finding(code, CHECKS[code][0], place, message)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _differ(a: Decimal | None, b: Decimal | None) -> bool:
    """Blank and 0 are the same figure; two blanks agree."""
    if a is None and b is None:
        return False
    return (a or 0) != (b or 0)


def _agrees(reported: Decimal, computed: Decimal | None, pack: RulePack) -> bool:
    """A printed rate or score is right when it equals the computed one rounded by the pack: rates
    are printed at 2 dp of a percent, so a "98%" for 98.13% is wrong too. No value ("—") only agrees with
    no value."""
    if computed is None:
        return False
    return pack.round(computed) == reported


# ---------------------------------------------------------------- labels and order


_NUMBERING = re.compile(r"^(\d+、|其中：)")
_STAFF_COLUMNS = {"staff_quota": "编制数", "staff_actual": "{year}年实际在职人数", "control_rate": "控制率"}
_BUILDING_COLUMNS = {
    "approved_area": "批复规模（m²）",
    "actual_area": "实际规模（m²）",
    "reported_area_rate": "规模控制率",
    "budget_investment": "预算投资（万元）",
    "actual_investment": "实际投资（万元）",
    "reported_investment_rate": "投资概算控制率",
}
_SCORECARD_COLUMNS = {
    **dict(catalogue.FUND_COLUMNS),
    "execution_rate": "执行率",
    "execution_score": "执行率得分",
    "execution_explanation": "执行情况说明",
    "not_applicable": "不适用",
    "level2": "二级指标",
    "operator": "指标方向",
    "target": "年度指标值",
    "actual": "实际完成值",
    "qual_band": "定性等级",
    "weight": "分值",
    "score": "得分",
    "deviation_reason": "偏差原因分析及改进措施",
}
_FOOTER = {"preparer": "填表人", "date": "填报日期", "phone": "联系电话", "head": "单位负责人签字"}
_PROJECT_COLUMNS = {
    "name": "项目名称",
    "category": "项目类别",
    "initial_budget": "年初预算",
    "adjustment": "年中调整",
    "actual_spent": "实际支出",
    "scorecard_ref": "附件3",
    "no_scorecard_reason": "未编附件3 的原因",
}
_COLUMN_ORDER = {
    name: index
    for index, name in enumerate(
        [
            "department_name", *AMOUNT_COLUMNS, *_STAFF_COLUMNS, *_BUILDING_COLUMNS, *dict(catalogue.FUND_COLUMNS),
            "execution_rate", "execution_score", "execution_explanation", "not_applicable", "level2", "operator",
            "target", "actual", "qual_band", "weight", "score", "deviation_reason", *_PROJECT_COLUMNS,
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
        self.scorecards = {sc.ref: sc for sc in report.project_scorecards}
        dept = report.department_scorecard
        self.results: dict[str, ScorecardResult] = {
            sc.ref: scorecard_result(sc, pack) for sc in ((dept,) if dept else ()) + report.project_scorecards
        }
        self.att1 = attachment1_computed(report, pack)
        self._table_names = {"att2": "附件2"} | {
            f"att3:{sc.ref}": f"附件3（{sc.title}）" for sc in report.project_scorecards
        }

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

    def sort_key(self) -> Callable[[Finding], tuple]:
        tables = {"cover": 0, "text": 1, "att1": 2, "att2": 3}
        tables |= {f"att3:{sc.ref}": 4 + i for i, sc in enumerate(self.report.project_scorecards)}
        tables |= {"projects": 1000, "footer": 1001}
        rows = self._row_ranks()

        def key(finding: Finding) -> tuple:
            place = finding.place
            return (
                tables.get(place.table, 999),
                rows.get((place.table, place.row), (9999,)),
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
        ranks |= {(table, f"income:{key}"): (1, i) for i, (key, _) in enumerate(catalogue.INCOME_KINDS)}
        ranks |= {(table, f"nature:{key}"): (2, i) for i, (key, _) in enumerate(catalogue.NATURE_KINDS)}
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
    """Every check of domain.md §5 and every scoring rule of §4, ordered by table, then row, then column."""
    ctx = _Context(report, pack)
    findings = [
        *_check_cover_and_text(ctx),
        *_check_footer(ctx),
        *_check_att1(ctx),
        *_check_att2_breakdowns(ctx),
        *_check_special_rows(ctx),
        *_check_projects(ctx),
    ]
    for scorecard in (
        (report.department_scorecard,) if report.department_scorecard else ()
    ) + report.project_scorecards:
        findings.extend(_check_scorecard(ctx, scorecard))
    return sorted(findings, key=ctx.sort_key())


# ---------------------------------------------------------------- cover, 正文, footer


MOBILE_NUMBER = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])")
_NOTHING = {"", "无", "无。", "无."}


def _any_deviation(ctx: _Context) -> bool:
    return any(
        result.execution.explanation_required
        or any(rule.deviation_required for rule in result.indicators.values())
        for result in ctx.results.values()
    )


def _check_cover_and_text(ctx: _Context) -> Iterator[Finding]:
    report = ctx.report
    if _blank(report.department_name):
        yield _finding(
            "COVER_NAME_EMPTY",
            Place("cover", "department_name", "", "封面 · 部门（单位）名称"),
            "封面未填部门（单位）名称",
        )
    deviation = _any_deviation(ctx)
    for key, title in catalogue.SECTIONS:
        text = (report.sections.get(key) or "").strip()
        place = Place("text", key, "", f"正文 · {title}")
        if key == "s9" and text in _NOTHING:
            yield _finding(
                "TEXT_S9_EMPTY",
                place,
                f"{title} 填写为「{text or '空'}」：应写明自评结果如何应用、在何处公开",
            )
        elif key in ("s7", "s8") and text in _NOTHING and deviation:
            yield _finding(
                "TEXT_PROBLEMS_EMPTY", place, f"存在偏差（见各表的偏差原因与执行情况说明），{title} 却为空"
            )
        elif not text and key not in catalogue.DERIVED_SECTIONS:
            yield _finding("TEXT_SECTION_EMPTY", place, f"{title} 为空")
        yield from _personal_numbers(text, place)
    frugality = Place("att1", "frugality", "", "附件1 · 厉行节约保障措施")
    yield from _personal_numbers(report.frugality_measures, frugality)


def _personal_numbers(text: str, place: Place) -> Iterator[Finding]:
    for pattern, kind in ((MOBILE_NUMBER, "手机号"), (ID_NUMBER, "身份证号")):
        for match in pattern.finditer(text or ""):
            yield _finding(
                "PERSONAL_NUMBER", place, f"{place.label} 含个人{kind} {match.group()}，公开版本须遮盖"
            )


def _check_footer(ctx: _Context) -> Iterator[Finding]:
    for key, label in _FOOTER.items():
        value = ctx.report.footer.get(key, "")
        place = Place("footer", key, "", f"表尾 · {label}")
        if _blank(value):
            yield _finding("FOOTER_EMPTY", place, f"表尾 {label} 未填")
        else:
            yield from _personal_numbers(value, place)


# ---------------------------------------------------------------- 附件1


def _check_att1(ctx: _Context) -> Iterator[Finding]:
    yield from _check_staff(ctx)
    for item in catalogue.EXPENSE_ITEMS:
        if item.children_rule == "sum":
            yield from _check_parent_sum(ctx, item)
        elif item.children_rule == "subset":
            yield from _check_subset(ctx, item)
    yield from _check_budget_zero_spent(ctx)
    yield from _check_project_categories(ctx)
    for row in ctx.report.buildings:
        yield from _check_building(ctx, row)
    if _blank(ctx.report.frugality_measures):
        yield _finding(
            "ATT1_FRUGALITY_EMPTY",
            Place("att1", "frugality", "", "附件1 · 厉行节约保障措施"),
            "厉行节约保障措施未填",
        )


def _check_staff(ctx: _Context) -> Iterator[Finding]:
    report = ctx.report
    for column, value in (("staff_quota", report.staff_quota), ("staff_actual", report.staff_actual)):
        if value is None:
            place = ctx.att1_place("staff", "财政供养人员情况", column)
            yield _finding("ATT1_STAFF_MISSING", place, f"{place.label} 未填")
    reported = report.reported_control_rate
    if reported is None:
        return
    quota = None if report.staff_quota is None else Decimal(report.staff_quota)
    actual = None if report.staff_actual is None else Decimal(report.staff_actual)
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


def _check_parent_sum(ctx: _Context, item: catalogue.ExpenseItem) -> Iterator[Finding]:
    parent, computed = _expense(ctx, item.code), ctx.att1.sums[item.code]
    children = expense_children(ctx.report, item.code)
    for column in _columns(item):
        value, total = getattr(parent, column), getattr(computed, column)
        if not _differ(value, total):
            continue
        parts = (
            " + ".join(fmt_amount(getattr(amounts, column)) for _, amounts in children) or "（没有明细行）"
        )
        message = f"{row_name(item)} {ctx.amount_column(column)} {fmt_amount(value)} ≠ {parts} = {fmt_amount(total or Decimal(0))}"
        yield _finding("ATT1_SUM_MISMATCH", ctx.att1_place(item.code, row_name(item), column), message)


def _check_subset(ctx: _Context, item: catalogue.ExpenseItem) -> Iterator[Finding]:
    parent, computed = _expense(ctx, item.code), ctx.att1.subset_sums[item.code]
    children = expense_children(ctx.report, item.code)
    for column in _columns(item):
        value, total = getattr(parent, column), getattr(computed, column)
        if total is None or total <= (value or 0):
            continue
        parts = " + ".join(fmt_amount(getattr(amounts, column)) for _, amounts in children)
        message = f"{row_name(item)} {ctx.amount_column(column)} {fmt_amount(value)} < 其中 {parts} = {fmt_amount(total)}"
        yield _finding("ATT1_SUBSET_EXCEEDS", ctx.att1_place(item.code, row_name(item), column), message)


def _check_budget_zero_spent(ctx: _Context) -> Iterator[Finding]:
    rows = [
        (item.code, row_name(item), _expense(ctx, item.code))
        for item in catalogue.EXPENSE_ITEMS
        if item.parent is not None
    ]
    rows += [(f"special:{row.ref}", row.name, row.amounts) for row in ctx.report.special_rows]
    for key, name, amounts in rows:
        if (amounts.budget or 0) == 0 and amounts.final is not None and amounts.final > 0:
            message = (
                f"{name} {ctx.amount_column('budget')}为 {fmt_amount(amounts.budget)}，"
                f"{ctx.amount_column('final')}却为 {fmt_amount(amounts.final)}：预算外支出，请说明"
            )
            yield _finding("ATT1_BUDGET_ZERO_SPENT", ctx.att1_place(key, name, "final"), message)


def _check_project_categories(ctx: _Context) -> Iterator[Finding]:
    for category, label in catalogue.PROJECT_CATEGORIES:
        projects = [p for p in ctx.report.projects if p.category == category]
        final = _expense(ctx, category).final
        spent = add_optional(*(p.actual_spent for p in projects))
        if not _differ(final, spent):
            continue
        parts = " + ".join(fmt_amount(p.actual_spent) for p in projects) or "（没有此类项目）"
        message = (
            f"{label} {ctx.amount_column('final')} {fmt_amount(final)} ≠ 该类项目实际支出 {parts} = "
            f"{fmt_amount(spent or Decimal(0))}"
        )
        yield _finding("ATT1_PROJECT_CATEGORY_MISMATCH", ctx.att1_place(category, label, "final"), message)


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
        computed = percent(numerator, denominator)
        if reported is None or _agrees(reported, computed, ctx.pack):
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
    for code, kinds, title, dict_ in (
        ("ATT2_INCOME_SUM_MISMATCH", catalogue.INCOME_KINDS, "按收入性质分", scorecard.income),
        ("ATT2_NATURE_SUM_MISMATCH", catalogue.NATURE_KINDS, "按支出性质分", scorecard.nature),
    ):
        values = [dict_.get(key) for key, _ in kinds]
        total = add_optional(*values)
        if _differ(total, executed):
            parts = " + ".join(fmt_amount(v) for v in values)
            message = (
                f"{title} {parts} = {fmt_amount(total or Decimal(0))} ≠ 全年执行数 {fmt_amount(executed)}"
            )
            yield _finding(code, ctx.card_place(scorecard, "funds", "年度资金总额", "executed"), message)
    yield from _check_basic(ctx, scorecard)
    att1_projects = _expense(ctx, "projects").final
    att2_projects = scorecard.nature.get("project")
    if _differ(att1_projects, att2_projects):
        message = f"附件2 项目支出 {fmt_amount(att2_projects)} ≠ 附件1 项目支出 {ctx.amount_column('final')} {fmt_amount(att1_projects)}"
        yield _finding(
            "ATT2_PROJECTS_MISMATCH",
            ctx.card_place(scorecard, "nature:project", "项目支出", "executed"),
            message,
        )


def _check_basic(ctx: _Context, scorecard: Scorecard) -> Iterator[Finding]:
    basic = scorecard.nature.get("basic")
    personnel, public = ctx.report.personnel_expense, _expense(ctx, "public").final
    expected = add_optional(personnel, public)
    if _differ(basic, expected):
        message = (
            f"基本支出 {fmt_amount(basic)} ≠ 人员经费 {fmt_amount(personnel)} + 附件1 公用经费 {fmt_amount(public)} = "
            f"{fmt_amount(expected or Decimal(0))}"
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
        if _differ(row.amounts.final, executed):
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
    if _differ(project.initial_budget, total.initial):
        message = f"项目「{project.name}」年初预算 {fmt_amount(project.initial_budget)} ≠ 附件3 年初预算数 {fmt_amount(total.initial)}"
        yield _finding("PROJECT_INITIAL_MISMATCH", ctx.project_place(project, "initial_budget"), message)
    budget = add_optional(project.initial_budget, project.adjustment)
    if _differ(budget, total.full_year):
        message = (
            f"项目「{project.name}」年初预算 {fmt_amount(project.initial_budget)} + 年中调整 "
            f"{fmt_amount(project.adjustment)} = {fmt_amount(budget or Decimal(0))} ≠ 附件3 全年预算数 {fmt_amount(total.full_year)}"
        )
        yield _finding("PROJECT_BUDGET_MISMATCH", ctx.project_place(project, "adjustment"), message)
    if _differ(project.actual_spent, total.executed):
        message = f"项目「{project.name}」实际支出 {fmt_amount(project.actual_spent)} ≠ 附件3 全年执行数 {fmt_amount(total.executed)}"
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
    yield from _check_execution(ctx, scorecard, result)
    yield from _check_structure(ctx, scorecard, result)
    for indicator in scorecard.indicators:
        yield from _check_indicator(ctx, scorecard, indicator, result.indicators[indicator.ref])
    yield from _check_totals(ctx, scorecard, result)


def _check_execution(ctx: _Context, scorecard: Scorecard, result: ScorecardResult) -> Iterator[Finding]:
    ex = result.execution

    def place(column: str) -> Place:
        return ctx.card_place(scorecard, "funds", "年度资金总额", column)

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
            elif child.key not in scorecard.not_applicable and not count:
                yield _finding(
                    "LEVEL2_EMPTY", place, f"{child.label} 没有三级指标：请填写指标或标为「不适用」"
                )
        weight = result.level1_weights.get(level.key, Decimal(0))
        if weight != level.weight:
            parts = " + ".join(fmt_amount(i.weight) for i in rows) or "（没有三级指标）"
            message = f"{level.label} 三级分值 {parts} = {fmt_amount(weight)} ≠ 规则包权重 {fmt_amount(level.weight)}"
            yield _finding(
                "LEVEL1_WEIGHT_MISMATCH",
                ctx.card_place(scorecard, f"level1:{level.key}", level.label, "weight"),
                message,
            )


def _check_totals(ctx: _Context, scorecard: Scorecard, result: ScorecardResult) -> Iterator[Finding]:
    exec_weight = ctx.pack.execution_weight
    if result.weight_total != 100:
        message = (
            f"总分值 = 执行率 {fmt_amount(exec_weight)} + 三级 {fmt_amount(result.weight_total - exec_weight)} = "
            f"{fmt_amount(result.weight_total)} ≠ 100"
        )
        yield _finding("WEIGHT_TOTAL_MISMATCH", ctx.card_place(scorecard, "total", "总分", "weight"), message)
    reported = scorecard.reported_total_score
    if reported is not None and not _agrees(reported, result.self_total, ctx.pack):
        exec_score = result.execution.score or Decimal(0)
        message = (
            f"总分 填报 {fmt_amount(reported)} ≠ 计算 执行率得分 {fmt_amount(exec_score)} + 三级得分 "
            f"{fmt_amount(result.self_total - exec_score)} = {fmt_amount(result.self_total)}"
        )
        yield _finding("TOTAL_SCORE_MISMATCH", ctx.card_place(scorecard, "total", "总分", "score"), message)


def _check_indicator(
    ctx: _Context, scorecard: Scorecard, indicator: Indicator, rule: RuleScore
) -> Iterator[Finding]:
    def place(column: str) -> Place:
        return ctx.card_place(scorecard, f"indicator:{indicator.ref}", indicator.name, column)

    yield from _check_indicator_definition(indicator, place)
    yield from _check_indicator_score(indicator, rule, place)
    if rule.deviation_required and _blank(indicator.deviation_reason):
        code = "IND_DEVIATION_MISSING" if rule.deviation_severity == ERROR else "IND_OVER_ACHIEVED_NO_REASON"
        reasons = list(rule.deviation_reasons)
        if indicator.score is not None and rule.score is not None and indicator.score < rule.score:
            reasons.append(f"自评得分 {fmt_amount(indicator.score)} 低于规则得分 {fmt_amount(rule.score)}")
        yield _finding(code, place("deviation_reason"), f"须填写偏差原因分析及改进措施：{'；'.join(reasons)}")


def _check_indicator_definition(indicator: Indicator, place: Callable[[str], Place]) -> Iterator[Finding]:
    text = indicator.target_text
    if indicator.weight is None:
        yield _finding("IND_WEIGHT_MISSING", place("weight"), f"「{indicator.name}」分值未填")
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
        if indicator.qual_band is None:
            message = f"定性指标「{indicator.name}」（{text} / {indicator.actual_text}）未选择评价等级"
            yield _finding("IND_QUAL_BAND_MISSING", place("qual_band"), message)
    elif indicator.target_value is None:
        yield _finding("IND_TARGET_UNPARSEABLE", place("target"), f"年度指标值「{text}」没有可计算的数值")
    elif indicator.actual_value is None:
        yield _finding(
            "IND_ACTUAL_MISSING", place("actual"), f"实际完成值「{indicator.actual_text}」没有可计算的数值"
        )
    else:
        actual_unit = parse_actual(indicator.actual_text).unit
        if actual_unit and indicator.target_unit and actual_unit != indicator.target_unit:
            message = f"实际完成值单位「{actual_unit}」≠ 年度指标值单位「{indicator.target_unit}」"
            yield _finding("IND_UNIT_MISMATCH", place("actual"), message)


def _check_indicator_score(
    indicator: Indicator, rule: RuleScore, place: Callable[[str], Place]
) -> Iterator[Finding]:
    score, weight = indicator.score, indicator.weight
    if score is None:
        yield _finding("IND_SCORE_MISSING", place("score"), f"「{indicator.name}」得分未填")
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
