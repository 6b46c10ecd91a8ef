"""Rule packs: the scoring rules as versioned data (domain.md §3).

A filing period points at a pack stored in the database as the JSON of ``definition``; this module ships the
two packs of domain.md and turns a stored definition into a validated :class:`RulePack`.
"""

import decimal
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .decimals import quantize

# The rounding modes a pack may name: the decimal module's own.
ROUNDING_MODES = frozenset(name for name in dir(decimal) if name.startswith("ROUND_"))


class RulePackError(ValueError):
    pass


@dataclass(frozen=True)
class Level2:
    key: str
    label: str


@dataclass(frozen=True)
class Level1:
    key: str
    label: str
    weight: Decimal
    children: tuple[Level2, ...]


@dataclass(frozen=True)
class GradeBand:
    label: str
    minimum: Decimal  # the band holds scores ≥ minimum and below the next band's minimum


@dataclass(frozen=True)
class RulePack:
    code: str
    version: int
    name: str
    execution_weight: Decimal
    execution_denominator: str  # "full_year" (全年预算数) or "initial" (年初预算数)
    execution_explanation_threshold: Decimal  # a rate below it needs an explanation (0.90 = 90%)
    over_achievement_threshold: Decimal  # actual above target by more than this needs a reason (0.20)
    qual_achieved_min: Decimal  # 定性 达成: score ≥ this share of 分值 (0.80)
    qual_partial_min: Decimal  # 定性 部分达成: score ≥ this share of 分值 (0.60)
    grade_bands: tuple[GradeBand, ...]  # highest first
    decimal_places: int
    skeleton: tuple[Level1, ...]
    # An "=" target is met when |actual − target| ≤ this share of |target| (0 = exactly equal).
    eq_tolerance: Decimal = Decimal(0)
    # A 全年预算数 below 年初预算数 by more than this share, with every indicator at full marks, is a 提示.
    budget_cut_threshold: Decimal = Decimal("0.10")
    # Check code → "error" | "warning", overriding the default severity of perfeval.rules.checks.CHECKS.
    severities: tuple[tuple[str, str], ...] = ()
    rounding_mode: str = decimal.ROUND_HALF_UP  # a name of ROUNDING_MODES
    # What the pack was made for: a filing year (None: any year) and a region ("": every region).
    year: int | None = None
    region: str = ""
    # Copied narrative: two texts are flagged at or above this Jaccard similarity of their character shingles
    # (perfeval/rules/similarity.py). Packs stored before the detector existed get the default.
    copy_threshold: Decimal = Decimal("0.60")

    def round(self, value: Decimal) -> Decimal:
        """A computed rate or score rounded as the pack says (places and mode); only for what is shown."""
        return quantize(value, self.decimal_places, self.rounding_mode)

    def level1(self, key: str) -> Level1 | None:
        return next((level for level in self.skeleton if level.key == key), None)

    def level2(self, key: str) -> tuple[Level1, Level2] | None:
        for level in self.skeleton:
            for child in level.children:
                if child.key == key:
                    return level, child
        return None

    def severity_overrides(self) -> dict[str, str]:
        return dict(self.severities)

    def level2_keys(self) -> list[str]:
        return [child.key for level in self.skeleton for child in level.children]


def _decimal(value, field: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, TypeError) as exc:
        raise RulePackError(f"规则包字段 {field} 不是数字：{value!r}") from exc
    if not result.is_finite():
        raise RulePackError(f"规则包字段 {field} 不是有限数字：{value!r}")
    return result


def _share(value, field: str) -> Decimal:
    """A threshold given as a share of 1: 0 ≤ value ≤ 1."""
    result = _decimal(value, field)
    if not 0 <= result <= 1:
        raise RulePackError(f"规则包字段 {field} 须在 0 到 1 之间（例如 0.20 表示 20%），而不是 {value!r}")
    return result


def _severities(value) -> tuple[tuple[str, str], ...]:
    # Imported here: checks imports this module for RulePack.
    from .checks import CHECKS

    if not isinstance(value, dict):
        raise RulePackError("规则包字段 severities 须是「检查代码 → error 或 warning」的对照表")
    for code, severity in value.items():
        if code not in CHECKS:
            raise RulePackError(f"规则包字段 severities 中的检查代码 {code!r} 不存在")
        if severity not in ("error", "warning"):
            raise RulePackError(f"规则包字段 severities.{code} 只能是 error 或 warning，而不是 {severity!r}")
    return tuple(sorted(value.items()))


def _year(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise RulePackError(f"规则包字段 year 应为年份（如 2023），而不是 {value!r}")
    return value


def rule_pack_from_dict(data: dict) -> RulePack:
    """Validate a stored definition; raise RulePackError (message in Chinese) when it is malformed."""
    try:
        skeleton = tuple(
            Level1(
                key=str(level["key"]),
                label=str(level["label"]),
                weight=_decimal(level["weight"], f"skeleton.{level['key']}.weight"),
                children=tuple(Level2(str(c["key"]), str(c["label"])) for c in level["children"]),
            )
            for level in data["skeleton"]
        )
        pack = RulePack(
            code=str(data["code"]),
            version=int(data["version"]),
            name=str(data["name"]),
            execution_weight=_decimal(data["execution"]["weight"], "execution.weight"),
            execution_denominator=str(data["execution"].get("denominator", "full_year")),
            execution_explanation_threshold=_decimal(
                data["execution"].get("explanation_threshold", "0.90"), "execution.explanation_threshold"
            ),
            over_achievement_threshold=_decimal(
                data.get("over_achievement_threshold", "0.20"), "over_achievement_threshold"
            ),
            qual_achieved_min=_decimal(
                data.get("qualitative", {}).get("achieved_min", "0.80"), "qualitative"
            ),
            qual_partial_min=_decimal(data.get("qualitative", {}).get("partial_min", "0.60"), "qualitative"),
            grade_bands=tuple(
                GradeBand(str(label), _decimal(minimum, "grade_bands"))
                for label, minimum in data["grade_bands"]
            ),
            decimal_places=int(data.get("rounding", {}).get("places", 2)),
            skeleton=skeleton,
            rounding_mode=str(data.get("rounding", {}).get("mode", decimal.ROUND_HALF_UP)),
            eq_tolerance=_share(data.get("eq_tolerance", "0"), "eq_tolerance"),
            budget_cut_threshold=_share(data.get("budget_cut_threshold", "0.10"), "budget_cut_threshold"),
            severities=_severities(data.get("severities", {})),
            year=_year(data.get("year")),
            region=str(data.get("region") or ""),
            copy_threshold=_decimal(
                data.get("copy_detection", {}).get("threshold", "0.60"), "copy_detection"
            ),
        )
    except (KeyError, TypeError) as exc:
        raise RulePackError(f"规则包缺少字段：{exc}") from exc
    if pack.execution_denominator not in ("full_year", "initial"):
        raise RulePackError(f"执行率分母只能是 full_year 或 initial，而不是 {pack.execution_denominator!r}")
    if pack.rounding_mode not in ROUNDING_MODES:
        raise RulePackError(
            f"舍入方式只能是 {'、'.join(sorted(ROUNDING_MODES))} 之一，而不是 {pack.rounding_mode!r}"
        )
    total = pack.execution_weight + sum((level.weight for level in skeleton), Decimal(0))
    if total != Decimal(100):
        raise RulePackError(f"各一级指标分值合计 {total} ≠ 100")
    keys = pack.level2_keys()
    if len(keys) != len(set(keys)):
        raise RulePackError("规则包的二级指标键重复")
    if not Decimal("0.5") <= pack.copy_threshold <= Decimal(1):
        # Below 0.5 the LSH bands of similarity.py miss many pairs: the threshold would be a promise the index
        # cannot keep.
        raise RulePackError(f"文字雷同阈值须在 0.5 与 1 之间，而不是 {pack.copy_threshold}")
    minimums = [band.minimum for band in pack.grade_bands]
    if minimums != sorted(minimums, reverse=True):
        raise RulePackError("等级区间须从高到低排列")
    if not minimums or minimums[-1] != 0:
        raise RulePackError("最低等级的下限须为 0，否则有的总分没有等级")
    if not 0 < pack.qual_partial_min < pack.qual_achieved_min <= 1:
        raise RulePackError(
            f"定性区间自相矛盾：须 0 < 部分达成下限 {pack.qual_partial_min} < 达成下限 {pack.qual_achieved_min} ≤ 1"
        )
    for field, value in (
        ("execution.explanation_threshold", pack.execution_explanation_threshold),
        ("over_achievement_threshold", pack.over_achievement_threshold),
    ):
        if not 0 <= value <= 1:
            raise RulePackError(f"规则包字段 {field} 须在 0 到 1 之间，而不是 {value}")
    if any(level.weight <= 0 for level in skeleton) or pack.execution_weight <= 0:
        raise RulePackError("规则包中每个一级指标和执行率的权重都须大于 0")
    return pack


_COMMON = {
    "over_achievement_threshold": "0.20",
    "qualitative": {"achieved_min": "0.80", "partial_min": "0.60"},
    "grade_bands": [["优", "90"], ["良", "80"], ["中", "60"], ["差", "0"]],
    "rounding": {"places": 2, "mode": "ROUND_HALF_UP"},
    "copy_detection": {"threshold": "0.60"},
}

_EXECUTION = {"weight": "10", "denominator": "full_year", "explanation_threshold": "0.90"}
_OUTPUT_CHILDREN = [
    {"key": "quantity", "label": "数量指标"},
    {"key": "quality", "label": "质量指标"},
    {"key": "timeliness", "label": "时效指标"},
]
_BENEFIT_CHILDREN = [
    {"key": "economic", "label": "经济效益指标"},
    {"key": "social", "label": "社会效益指标"},
    {"key": "ecological", "label": "生态效益指标"},
    {"key": "sustainable", "label": "可持续影响指标"},
]
_SATISFACTION = {
    "key": "satisfaction",
    "label": "满意度指标",
    "weight": "10",
    "children": [{"key": "beneficiary", "label": "服务对象满意度指标"}],
}

HUNAN_ZHUZHOU_2023 = {
    "code": "hunan-zhuzhou",
    "version": 2023,
    "name": "湖南省株洲市 2023 年度（市级部门整体支出绩效自评）",
    "year": 2023,
    "region": "湖南省株洲市",
    "execution": _EXECUTION,
    **_COMMON,
    "skeleton": [
        {"key": "output", "label": "产出指标", "weight": "40", "children": _OUTPUT_CHILDREN},
        {"key": "benefit", "label": "效益指标", "weight": "20", "children": _BENEFIT_CHILDREN},
        _SATISFACTION,
        {
            "key": "cost",
            "label": "成本指标",
            "weight": "20",
            "children": [
                {"key": "economic_cost", "label": "经济成本指标"},
                {"key": "social_cost", "label": "社会成本指标"},
                {"key": "ecological_cost", "label": "生态环境成本指标"},
            ],
        },
    ],
}

# 财预〔2020〕10号 puts 成本 under 产出 and weighs 产出 50, 效益 30.
CENTRAL_DEFAULT_2020 = {
    "code": "central-default",
    "version": 2020,
    "name": "中央默认（财预〔2020〕10号）",
    # A standing national framework: made for no particular year or region.
    "execution": _EXECUTION,
    **_COMMON,
    "skeleton": [
        {
            "key": "output",
            "label": "产出指标",
            "weight": "50",
            "children": [*_OUTPUT_CHILDREN, {"key": "cost", "label": "成本指标"}],
        },
        {"key": "benefit", "label": "效益指标", "weight": "30", "children": _BENEFIT_CHILDREN},
        _SATISFACTION,
    ],
}

SHIPPED_PACKS = (HUNAN_ZHUZHOU_2023, CENTRAL_DEFAULT_2020)


def pack_mismatches(
    pack: RulePack,
    *,
    year: int,
    previous: RulePack | None = None,
    previous_year: int | None = None,
    region: str = "",
) -> list[str]:
    """Why ``pack`` may be the wrong pack for a period of ``year``, in words for the administrator: it was made
    for another year, for another region than the opening bureau's ``region`` (a pack made for a city covers
    its districts: 湖南省株洲市 covers 湖南省株洲市芦淞区), or for another region than ``previous`` (the pack of
    the period before)."""
    problems = []
    if pack.year is not None and pack.year != year:
        problems.append(f"规则包「{pack.name}」是为 {pack.year} 年度制定的，本填报期是 {year} 年度")
    if pack.region and region and not region.startswith(pack.region):
        problems.append(f"规则包「{pack.name}」适用于{pack.region}，开启本填报期的财政部门属于{region}")
    if previous is not None and pack.region and previous.region and pack.region != previous.region:
        problems.append(
            f"规则包「{pack.name}」适用于{pack.region}，上一填报期（{previous_year} 年度）"
            f"使用的规则包适用于{previous.region}"
        )
    return problems
