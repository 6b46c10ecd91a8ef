"""The scoring rules of domain.md §4 and the computed figures of 附件1. Every number comes from the rule pack.

Rounding: every shown rate and score is rounded by the pack's rounding (places and mode); totals add the unrounded parts
and are rounded once at the end.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from . import catalogue
from .data import Amounts, FundLine, Indicator, Report, Scorecard
from .decimals import HUNDRED, fmt_amount, fmt_percent, percent, quantize
from .packs import RulePack

ZERO = Decimal(0)
OPERATOR_SIGNS = {"ge": "≥", "le": "≤", "eq": "="}
BAND_LABELS = dict(catalogue.QUAL_BANDS)
FUND_COLUMN_LABELS = dict(catalogue.FUND_COLUMNS)
AMOUNT_COLUMNS = tuple(key for key, _ in catalogue.EXPENSE_COLUMNS)


def sum_known(*values: Decimal | None) -> Decimal | None:
    """Σ of figures that are all filled; None (unknown) as soon as one is blank: blank is not zero."""
    if any(value is None for value in values):
        return None
    return sum(values, ZERO)


def _share(fraction: Decimal) -> str:
    return fmt_percent(fraction * HUNDRED)


# ---------------------------------------------------------------- 执行率 (§4 rule 1)


@dataclass(frozen=True)
class ExecutionResult:
    denominator: str  # "full_year" | "initial", from the pack
    rate: Decimal | None  # percent, rounded; None when the denominator is blank or 0
    raw_rate: Decimal | None
    weight: Decimal | None
    score: Decimal | None  # rounded; None only when the weight is blank
    raw_score: Decimal | None
    steps: list[str] = field(default_factory=list)
    explanation_required: bool = False
    explanation_reasons: list[str] = field(default_factory=list)


def execution(funds_total: FundLine, weight: Decimal | None, pack: RulePack) -> ExecutionResult:
    """执行率 = 全年执行数 ÷ 全年预算数 (or 年初预算数); score = min(执行率, 100%) × 分值."""
    label = FUND_COLUMN_LABELS[pack.execution_denominator]
    denominator = getattr(funds_total, pack.execution_denominator)
    raw_rate = percent(funds_total.executed, denominator)
    if raw_rate is None and (funds_total.executed is None or denominator is None):
        # Blank is not zero: a blank operand leaves the rate and its score 未填, never a 0 that looks computed.
        blank = "、".join(
            name
            for name, value in (("全年执行数", funds_total.executed), (label, denominator))
            if value is None
        )
        steps = [f"未填 {blank}，执行率不计算，不计分"]
        raw_score = None
    elif raw_rate is None:
        steps = [f"{label}为 {fmt_amount(denominator)}，执行率无法计算，得 0"]
        raw_score = None if weight is None else ZERO
    else:
        rate_text = fmt_percent(raw_rate, pack.decimal_places, pack.rounding_mode)
        steps = [
            f"执行率 = 全年执行数 {fmt_amount(funds_total.executed)} ÷ {label} {fmt_amount(denominator)} = {rate_text}"
        ]
        raw_score, score_step = _execution_score(raw_rate, weight, pack)
        steps.append(score_step)
    reasons = _explanation_reasons(funds_total, raw_rate, pack)
    return ExecutionResult(
        denominator=pack.execution_denominator,
        rate=None if raw_rate is None else pack.round(raw_rate),
        raw_rate=raw_rate,
        weight=weight,
        score=None if raw_score is None else pack.round(raw_score),
        raw_score=raw_score,
        steps=steps,
        explanation_required=bool(reasons),
        explanation_reasons=reasons,
    )


def _execution_score(raw_rate: Decimal, weight: Decimal | None, pack: RulePack) -> tuple[Decimal | None, str]:
    if weight is None:
        return None, "分值未填，无法计分"
    # Clamped below too: a negative 执行数 (a refund booked as spending) must not give a negative score.
    capped = max(min(raw_rate, HUNDRED), ZERO)
    raw_score = capped * weight / HUNDRED
    return raw_score, (
        f"得分 = min({fmt_percent(raw_rate, pack.decimal_places, pack.rounding_mode)}, 100%) × "
        f"{fmt_amount(weight)} = {fmt_amount(pack.round(raw_score))}"
    )


def _explanation_reasons(funds_total: FundLine, raw_rate: Decimal | None, pack: RulePack) -> list[str]:
    reasons = []
    threshold = pack.execution_explanation_threshold * HUNDRED
    if raw_rate is not None and raw_rate < threshold:
        reasons.append(
            f"执行率 {fmt_percent(raw_rate, pack.decimal_places, pack.rounding_mode)} 低于 {fmt_percent(threshold)}"
        )
    initial, full_year = funds_total.initial, funds_total.full_year
    if initial is not None and full_year is not None and initial != full_year:
        reasons.append(f"年初预算数 {fmt_amount(initial)} ≠ 全年预算数 {fmt_amount(full_year)}")
    return reasons


def fund_lines_used(scorecard: Scorecard) -> list[tuple[str, FundLine]]:
    """附件3's fund rows that take part in 年度资金总额: 当年财政拨款 always; 上年结转资金 and 其他资金 once any of
    their cells is filled (the official table leaves an unused source's row empty)."""
    used = []
    for key, _label in catalogue.FUND_SOURCES:
        line = scorecard.funds.get(key, FundLine())
        if key == "current" or any(getattr(line, column) is not None for column, _ in catalogue.FUND_COLUMNS):
            used.append((key, line))
    return used


def fund_total(scorecard: Scorecard) -> FundLine:
    """年度资金总额: 附件2 types it; 附件3 adds its used rows (当年财政拨款 + 上年结转资金 + 其他资金) in every column.
    A column with a blank cell in a used row has no total (None): blank is not zero."""
    if scorecard.kind == "department":
        return scorecard.funds.get("total", FundLine())
    lines = [line for _key, line in fund_lines_used(scorecard)]
    return FundLine(
        **{
            column: sum_known(*(getattr(line, column) for line in lines))
            for column, _ in catalogue.FUND_COLUMNS
        }
    )


# ---------------------------------------------------------------- 三级指标 (§4 rules 2–6)


@dataclass(frozen=True)
class RuleScore:
    """What the rules give one 三级 row, and the range the preparer's self score must stay in.

    For 定性 the rule score is the chosen band's upper bound. 达成 includes it (分值); 部分达成 and 未达成
    exclude it (max_inclusive False): 部分达成 of 分值 5 allows 3 ≤ 得分 < 4.
    """

    score: Decimal | None  # rounded; None when the row cannot be scored (the steps say why)
    raw_score: Decimal | None
    met: bool | None
    steps: list[str] = field(default_factory=list)
    deviation_required: bool = False
    deviation_reasons: list[str] = field(default_factory=list)
    # "error" when a reason is a miss, a lower band or a cut score; "warning" when over-achievement alone.
    deviation_severity: str | None = None
    over_achieved: bool = False
    min_score: Decimal | None = None
    max_score: Decimal | None = None
    max_inclusive: bool = True

    def allows(self, self_score: Decimal) -> bool:
        """Whether a self score lies in the rule's range (unknown range → no verdict, True)."""
        if self.min_score is None or self.max_score is None:
            return True
        if self_score < self.min_score:
            return False
        return self_score <= self.max_score if self.max_inclusive else self_score < self.max_score


def rule_score(indicator: Indicator, pack: RulePack) -> RuleScore:
    weight, operator = indicator.weight, indicator.operator
    if weight is None:
        return _finish(indicator, pack, steps=["分值未填，无法计分"])
    if operator is None:
        return _finish(
            indicator,
            pack,
            steps=[f"年度指标值「{indicator.target_text}」未选择指标方向（≥、≤、= 或定性），无法计分"],
        )
    if operator == "qual":
        return _qualitative(indicator, pack)
    if operator not in OPERATOR_SIGNS:
        return _finish(indicator, pack, steps=[f"指标方向 {operator!r} 无效，无法计分"])
    if indicator.target_value is None:
        if _blank_text(indicator.target_text):
            return _finish(indicator, pack, steps=["未填 年度指标值，不计分"])
        return _finish(
            indicator, pack, steps=[f"年度指标值「{indicator.target_text}」没有可计算的数值，无法计分"]
        )
    if indicator.actual_value is None:
        # Blank is not zero: nothing is compared with the target until the actual is filled.
        if _blank_text(indicator.actual_text):
            return _finish(indicator, pack, steps=["未填 实际值，不计分"])
        return _finish(
            indicator, pack, steps=[f"实际完成值「{indicator.actual_text}」没有可计算的数值，无法计分"]
        )
    return _quantitative(indicator, pack)


def _blank_text(text: str | None) -> bool:
    return not (text or "").strip()


def _met(operator: str, actual: Decimal, target: Decimal, tolerance: Decimal = ZERO) -> bool:
    if operator == "ge":
        return actual >= target
    if operator == "le":
        return actual <= target
    return abs(actual - target) <= tolerance * abs(target)


def _miss_ratio(operator: str, actual: Decimal, target: Decimal) -> tuple[Decimal | None, str]:
    """The share of 分值 a missed target earns, and the formula; None when no positive ratio exists.

    A ≤ target of 0 (重大群体性事件 ≤0) has no ratio, and neither has any ratio with a non-positive side:
    such a miss earns 0.
    """
    t, a = fmt_amount(target), fmt_amount(actual)
    if actual <= 0 or target <= 0:
        return None, ""
    if operator == "ge":
        return actual / target, f"{a} ÷ {t}"
    if operator == "le":
        return target / actual, f"{t} ÷ {a}"
    return min(actual, target) / max(
        actual, target
    ), f"{fmt_amount(min(actual, target))} ÷ {fmt_amount(max(actual, target))}"


_MISS_SIGNS = {"ge": "<", "le": ">", "eq": "≠"}


def _quantitative(indicator: Indicator, pack: RulePack) -> RuleScore:
    operator, weight = indicator.operator, indicator.weight
    target, actual = indicator.target_value, indicator.actual_value
    t, a, w = fmt_amount(target), fmt_amount(actual), fmt_amount(weight)
    if _met(operator, actual, target, pack.eq_tolerance):
        step = f"实际 {a} {OPERATOR_SIGNS[operator]} 目标 {t}，达成，得满分 {w}"
        if operator == "eq" and actual != target:
            step = f"实际 {a} 与目标 {t} 之差在容差 {_share(pack.eq_tolerance)} 之内，达成，得满分 {w}"
        over = _over_achievement(operator, actual, target, pack)
        return _finish(indicator, pack, raw=weight, met=True, steps=[step], over=over)
    ratio, formula = _miss_ratio(operator, actual, target)
    head = f"实际 {a} {_MISS_SIGNS[operator]} 目标 {t}，未达成："
    if ratio is None:
        step = head + "没有可用的比值（目标或实际 ≤ 0），得 0"
        raw = ZERO
    else:
        raw = ratio * weight
        step = head + f"{formula} × {w} = {fmt_amount(pack.round(raw))}"
    reason = f"未达成目标：实际 {a}，目标 {OPERATOR_SIGNS[operator]}{t}"
    return _finish(indicator, pack, raw=raw, met=False, steps=[step], reasons=[reason])


def _over_achievement(operator: str, actual: Decimal, target: Decimal, pack: RulePack) -> str | None:
    """A ≥ target beaten by more than the threshold was probably set too low (财预〔2020〕10号).

    Only ≥ targets can be over-achieved. A ≤ target is a ceiling (incidents, costs): staying far below it is
    the intended result, and money left unspent is already caught by the 执行率 explanation rule. A target
    of 0 or less has no relative excess.
    """
    if operator != "ge" or target <= 0:
        return None
    excess = (actual - target) / target
    if excess <= pack.over_achievement_threshold:
        return None
    return (
        f"实际 {fmt_amount(actual)} 超出目标 {fmt_amount(target)} 的 {_share(excess)}，"
        f"超过 {_share(pack.over_achievement_threshold)}，目标可能定得偏低"
    )


def band_of_score(score: Decimal | None, weight: Decimal | None, pack: RulePack) -> str | None:
    """The 定性 band a printed self score falls in (达成 from the pack's 80 %, 部分达成 from 60 %), as an import
    reads it: the score is what the preparer stated. Never from the words: a 实际完成值 that repeats its target
    (「促进」/「促进」) says nothing about the result, so without a score the preparer picks."""
    if score is None or weight is None or weight <= 0 or not 0 <= score <= weight:
        return None
    share = score / weight
    if share >= pack.qual_achieved_min:
        return "achieved"
    return "partial" if share >= pack.qual_partial_min else "missed"


def _qualitative(indicator: Indicator, pack: RulePack) -> RuleScore:
    band, weight = indicator.qual_band, indicator.weight
    if band is None:
        return _finish(indicator, pack, steps=["定性指标未选择评价等级（达成、部分达成、未达成），无法计分"])
    achieved_min = weight * pack.qual_achieved_min
    partial_min = weight * pack.qual_partial_min
    ranges = {
        "achieved": (achieved_min, weight, True),
        "partial": (partial_min, achieved_min, False),
        "missed": (ZERO, partial_min, False),
    }
    if band not in ranges:
        return _finish(indicator, pack, steps=[f"定性评价等级 {band!r} 无效，无法计分"])
    low, high, inclusive = ranges[band]
    bracket = "]" if inclusive else ")"
    step = (
        f"定性「{BAND_LABELS[band]}」：得分须在 [{fmt_amount(low)}, {fmt_amount(high)}{bracket} 之内"
        f"（分值 {fmt_amount(weight)} 的 {_share(low / weight) if weight else '0%'}"
        f"–{_share(high / weight) if weight else '0%'}）"
    )
    reasons = [] if band == "achieved" else [f"定性评价为「{BAND_LABELS[band]}」，低于「达成」"]
    return _finish(
        indicator,
        pack,
        raw=high,
        met=band == "achieved",
        steps=[step],
        reasons=reasons,
        band=(low, high, inclusive),
    )


def _finish(
    indicator: Indicator,
    pack: RulePack,
    *,
    steps: list[str],
    raw: Decimal | None = None,
    met: bool | None = None,
    reasons: list[str] | None = None,
    over: str | None = None,
    band: tuple[Decimal, Decimal, bool] | None = None,
) -> RuleScore:
    """Add the reasons every row shares (a cut self score, over-achievement) and the allowed range."""
    reasons = list(reasons or [])
    weight, self_score = indicator.weight, indicator.score
    if self_score is not None and weight is not None and self_score < weight:
        reasons.append(f"自评得分 {fmt_amount(self_score)} < 分值 {fmt_amount(weight)}")
    severity = "error" if reasons else None
    if over:
        reasons.append(over)
        severity = severity or "warning"
    score = None if raw is None else pack.round(raw)
    if band is None:
        low, high, inclusive = (ZERO, score, True) if score is not None else (None, None, True)
    else:
        low, high, inclusive = band
    return RuleScore(
        score=score,
        raw_score=raw,
        met=met,
        steps=steps,
        deviation_required=bool(reasons),
        deviation_reasons=reasons,
        deviation_severity=severity,
        over_achieved=over is not None,
        min_score=low,
        max_score=high,
        max_inclusive=inclusive,
    )


# ---------------------------------------------------------------- one scorecard (§4 rules 7–8)


@dataclass(frozen=True)
class ScorecardResult:
    funds: FundLine  # 年度资金总额 (computed for 附件3)
    execution: ExecutionResult
    indicators: dict[str, RuleScore]  # by indicator ref
    weight_total: Decimal  # Σ分值 = 执行率分值 + Σ 三级分值
    self_total: Decimal  # Σ得分 = 执行率得分 + Σ 自评得分 (blank counts 0)
    rule_total: Decimal | None  # 执行率得分 + Σ 规则得分; None when a row cannot be scored
    grade: str  # of self_total
    level1_weights: dict[str, Decimal]  # Σ 三级分值 per 一级 key (every pack 一级, plus unknown keys used)
    level1_expected: dict[str, Decimal]  # the pack's 一级 weights


def scorecard_result(scorecard: Scorecard, pack: RulePack) -> ScorecardResult:
    funds = fund_total(scorecard)
    exec_result = execution(funds, pack.execution_weight, pack)
    rules = {indicator.ref: rule_score(indicator, pack) for indicator in scorecard.indicators}
    level1_weights = {level.key: ZERO for level in pack.skeleton}
    for indicator in scorecard.indicators:
        level1_weights[indicator.level1] = level1_weights.get(indicator.level1, ZERO) + (
            indicator.weight or ZERO
        )
    exec_raw = exec_result.raw_score or ZERO
    self_total = pack.round(exec_raw + sum((i.score or ZERO for i in scorecard.indicators), ZERO))
    rule_raws = [rule.raw_score for rule in rules.values()]
    rule_total = None if None in rule_raws else pack.round(exec_raw + sum(rule_raws, ZERO))
    return ScorecardResult(
        funds=funds,
        execution=exec_result,
        indicators=rules,
        weight_total=pack.execution_weight + sum(level1_weights.values(), ZERO),
        self_total=self_total,
        rule_total=rule_total,
        grade=grade(self_total, pack),
        level1_weights=level1_weights,
        level1_expected={level.key: level.weight for level in pack.skeleton},
    )


def grade(total: Decimal, pack: RulePack) -> str:
    """优 ≥ 90; 良 80 to < 90; 中 60 to < 80; 差 < 60 (bands from the pack, highest first)."""
    for band in pack.grade_bands:
        if total >= band.minimum:
            return band.label
    return pack.grade_bands[-1].label


# ---------------------------------------------------------------- 附件1 computed figures


@dataclass(frozen=True)
class BuildingRates:
    area_rate: Decimal | None  # 规模控制率 = 实际规模 ÷ 批复规模, percent; None ("—") for a zero denominator
    investment_rate: Decimal | None  # 投资概算控制率 = 实际投资 ÷ 预算投资


@dataclass(frozen=True)
class Att1Computed:
    control_rate: Decimal | None  # 控制率 = 在职 ÷ 编制, percent, rounded; None shows as "—"
    # Rows with children_rule "sum": Σ of the children as typed (a parent is checked against its own rows,
    # so 三公 adds the typed 公务用车 row, not the recomputed one); None in a column with a blank child.
    sums: dict[str, Amounts]
    subset_sums: dict[str, Amounts]  # rows with children_rule "subset": Σ of their 其中 rows
    buildings: dict[str, BuildingRates]  # by building ref


def expense_children(report: Report, code: str) -> list[tuple[str, Amounts]]:
    """(label, amounts) of the rows under a 附件1 row; 市级专项资金's children are the free 专项 rows."""
    if code == "special":
        return [(row.name, row.amounts) for row in report.special_rows]
    return [
        (item.label, report.expenses.get(item.code, Amounts()))
        for item in catalogue.EXPENSE_ITEMS
        if item.parent == code
    ]


def _column_sums(children: list[tuple[str, Amounts]]) -> Amounts:
    return Amounts(
        **{
            column: sum_known(*(getattr(amounts, column) for _, amounts in children))
            for column in AMOUNT_COLUMNS
        }
    )


def attachment1_computed(report: Report, pack: RulePack | None = None) -> Att1Computed:
    """The sums (exact) and rates (rounded by ``pack``; 2 places half up without one) of 附件1."""
    rounded = pack.round if pack else quantize
    quota = None if report.staff_quota is None else Decimal(report.staff_quota)
    actual = None if report.staff_actual is None else Decimal(report.staff_actual)
    control = percent(actual, quota)
    sums, subset_sums = {}, {}
    for item in catalogue.EXPENSE_ITEMS:
        if item.children_rule == "sum":
            sums[item.code] = _column_sums(expense_children(report, item.code))
        elif item.children_rule == "subset":
            subset_sums[item.code] = _column_sums(expense_children(report, item.code))
    return Att1Computed(
        control_rate=None if control is None else rounded(control),
        sums=sums,
        subset_sums=subset_sums,
        buildings={row.ref: building_rates(row, rounded) for row in report.buildings},
    )


def building_rates(row, rounded=quantize) -> BuildingRates:
    area = percent(row.actual_area, row.approved_area)
    investment = percent(row.actual_investment, row.budget_investment)
    return BuildingRates(
        area_rate=None if area is None else rounded(area),
        investment_rate=None if investment is None else rounded(investment),
    )
