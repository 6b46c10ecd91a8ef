"""Plain data the rules work on, built from the open-data payload by perfeval/rules/payload.py (for a stored
report, an upload and a snapshot alike). ``None`` means "left blank" everywhere; amounts are Decimal 万元."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Amounts:
    """One row of 附件1's 经费控制情况: {年−1}年决算数 · {年}年预算数 · {年}年决算数."""

    prior_final: Decimal | None = None
    budget: Decimal | None = None
    final: Decimal | None = None


@dataclass(frozen=True)
class SpecialRow:
    """A free 专项 row under 3、市级专项资金."""

    ref: str  # key of the row in finding places: the database id as text, or its position (rules/payload.py)
    name: str
    amounts: Amounts


@dataclass(frozen=True)
class BuildingRow:
    """A 楼堂馆所 row."""

    ref: str
    name: str
    approved_area: Decimal | None
    actual_area: Decimal | None
    budget_investment: Decimal | None
    actual_investment: Decimal | None
    reported_area_rate: Decimal | None = None  # 规模控制率 as printed by an imported file (percent)
    reported_investment_rate: Decimal | None = None  # 投资概算控制率 as printed (percent)


@dataclass(frozen=True)
class FundLine:
    initial: Decimal | None = None  # 年初预算数
    full_year: Decimal | None = None  # 全年预算数
    executed: Decimal | None = None  # 全年执行数


@dataclass(frozen=True)
class Indicator:
    ref: str
    level1: str  # rule pack key, e.g. "output"
    level2: str  # rule pack key, e.g. "quantity"
    name: str  # 三级指标
    operator: str | None  # "ge" | "le" | "eq" | "qual" | None (not chosen yet)
    target_value: Decimal | None
    target_unit: str
    target_text: str  # the original 年度指标值 text
    actual_value: Decimal | None
    actual_text: str  # the original 实际完成值 text
    qual_band: str | None  # "achieved" | "partial" | "missed" | None, for operator "qual"
    weight: Decimal | None  # 分值
    score: Decimal | None  # 得分 (the preparer's self score)
    deviation_reason: str  # 偏差原因分析及改进措施
    # 佐证材料 attached to this row; None when the payload says nothing of evidence (open data, uploads).
    evidence: int | None = None


@dataclass(frozen=True)
class Scorecard:
    """附件2 (kind "department", one per report) or 附件3 (kind "project", one per project)."""

    ref: str
    kind: str  # "department" | "project"
    title: str  # the department name (附件2) or the project name (附件3)
    # 附件2: {"total": FundLine}; 附件3: {"current", "carryover", "other"}: the total is their sum.
    funds: dict[str, FundLine]
    execution_explanation: str
    indicators: tuple[Indicator, ...]
    not_applicable: frozenset[str] = frozenset()  # level2 keys marked 不适用
    # 附件2 only: breakdowns of 全年执行数 (keys of catalogue.INCOME_KINDS / NATURE_KINDS).
    income: dict[str, Decimal | None] = field(default_factory=dict)
    nature: dict[str, Decimal | None] = field(default_factory=dict)
    # Values as printed in an imported document; None when the system computes them (forms never type these).
    reported_execution_rate: Decimal | None = None  # percent, e.g. Decimal("98")
    reported_execution_score: Decimal | None = None
    reported_total_score: Decimal | None = None
    reported_grade: str = ""  # 等级 as printed ("" when not printed)
    # 附件3: 年度资金总额 as printed, each column None when not printed (the system adds the rows).
    reported_funds: FundLine = FundLine()
    # 附件2: 收入 (keys of catalogue.REVENUE_KINDS); all blank in a document that prints no income side.
    revenue: dict[str, Decimal | None] = field(default_factory=dict)
    # 年度总体目标: 预期目标 | 实际完成情况 (free text; the judgement checks read them).
    goal_expected: str = ""
    goal_actual: str = ""


@dataclass(frozen=True)
class Project:
    ref: str
    name: str
    category: str  # "business" | "operation" | "special"
    initial_budget: Decimal | None  # 年初预算
    adjustment: Decimal | None  # 年中调整 (追加 / 调增; negative for 调减)
    actual_spent: Decimal | None  # 实际支出
    carryover: Decimal | None  # 结余结转
    names_in_text: dict[str, str]  # section key ("s2", "s6") -> the name the 正文 uses there, when it differs
    scorecard_ref: str | None  # ref of its 附件3, None when it has none
    no_scorecard_reason: str


@dataclass(frozen=True)
class Report:
    year: int
    department_name: str
    staff_quota: int | None  # 编制数
    staff_actual: int | None  # 实际在职人数
    reported_control_rate: Decimal | None  # 控制率 as printed by an imported document (percent)
    expenses: dict[str, Amounts]  # catalogue code -> amounts
    special_rows: tuple[SpecialRow, ...]
    buildings: tuple[BuildingRow, ...]
    frugality_measures: str  # 厉行节约保障措施
    personnel_expense: Decimal | None  # 人员经费 (正文 二（一）; in no attachment)
    projects: tuple[Project, ...]
    department_scorecard: Scorecard | None
    project_scorecards: tuple[Scorecard, ...]
    sections: dict[str, str]  # "s1" … "s10" -> the free text of that section
    footer: dict[str, str]  # "preparer", "date", "phone", "head"
    # catalogue.DEPARTMENT_FILING (正文 + 附件1/2/3) or catalogue.PROJECT_FILING (project tables only).
    kind: str = "department"
