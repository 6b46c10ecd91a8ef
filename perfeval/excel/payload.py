"""A blank payload for the workbook template, and the human-readable difference of two payloads (the import
preview). The payload's rules data comes from perfeval.rules.payload."""

from dataclasses import dataclass
from decimal import Decimal

from perfeval.filing.opendata import SCHEMA
from perfeval.rules import catalogue
from perfeval.rules.decimals import fmt_amount
from perfeval.rules.packs import RulePack
from perfeval.rules.payload import to_decimal

# ---------------------------------------------------------------- blank payload (the template)


def blank_scorecard(kind: str) -> dict:
    card = {
        "competent_department": "",
        "implementing_unit": "",
        "goal_expected": "",
        "goal_actual": "",
        "execution_explanation": "",
        "funds": {},
        "not_applicable": [],
        "reported_execution_rate": None,
        "reported_execution_score": None,
        "reported_total_score": None,
        "indicators": [],
    }
    if kind == "department":
        card |= {f"income_{key}": None for key, _ in catalogue.INCOME_KINDS}
        card |= {f"nature_{key}": None for key, _ in catalogue.NATURE_KINDS}
    return card


def blank_payload(
    *, department_code: str, department_name: str, year: int, rule_pack: dict, prior=None
) -> dict:
    """An empty report of the department and year; ``prior`` (last year's payload) fills the 上年决算数 column."""
    prior_att1 = (prior or {}).get("attachment1") or {}
    prior_expenses = prior_att1.get("expenses") or {}
    expenses = {}
    for item in catalogue.EXPENSE_ITEMS:
        last = prior_expenses.get(item.code) or {}
        expenses[item.code] = {
            "prior_final": last.get("final") if item.has_prior else None,
            "budget": None,
            "final": None,
        }
    special_rows = [
        {"name": row.get("name") or "", "prior_final": row.get("final"), "budget": None, "final": None}
        for row in prior_att1.get("special_rows") or []
    ]
    return {
        "schema": SCHEMA,
        "department": {"code": department_code, "name": department_name},
        "year": year,
        "rule_pack": rule_pack,
        "status": "draft",
        "cover_date": None,
        "footer": {"preparer_name": "", "fill_date": None, "phone": "", "head_name": ""},
        "text": {},
        "personnel_expense": None,
        "attachment1": {
            "staff_quota": None,
            "staff_actual": None,
            "reported_control_rate": None,
            "expenses": expenses,
            "special_rows": special_rows,
            "buildings": [],
            "frugality_measures": "",
        },
        "attachment2": blank_scorecard("department"),
        "projects": [],
    }


# ---------------------------------------------------------------- what changes (the preview)


@dataclass(frozen=True)
class Change:
    place: str  # e.g. "附件1 · 三公经费 · 2023年决算数"
    old: str
    new: str


def _show(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（空）"
    return str(value)


OPERATOR_LABELS = {key: label for key, label in catalogue.OPERATORS}
BAND_LABELS = {key: label for key, label in catalogue.QUAL_BANDS}
CATEGORY_LABELS = dict(catalogue.PROJECT_CATEGORIES)
INDICATOR_COLUMNS = (
    ("target_text", "年度指标值"),
    ("operator", "指标方向"),
    ("target_value", "目标数值"),
    ("target_unit", "目标单位"),
    ("actual_text", "实际完成值"),
    ("actual_value", "实际数值"),
    ("qual_band", "定性档次"),
    ("weight", "分值"),
    ("score", "得分"),
    ("deviation_reason", "偏差原因分析及改进措施"),
)
SCORECARD_TEXT_LABELS = (
    ("competent_department", "主管部门"),
    ("implementing_unit", "实施单位"),
    ("goal_expected", "年度总体目标 · 预期目标"),
    ("goal_actual", "年度总体目标 · 实际完成情况"),
    ("execution_explanation", "执行率说明"),
    ("reported_execution_rate", "执行率（原填报值）"),
    ("reported_execution_score", "执行率得分（原填报值）"),
    ("reported_total_score", "总分（原填报值）"),
)
FUND_LABELS = {
    "total": "年度资金总额",
    **{key: label.removeprefix("其中：") for key, label in catalogue.FUND_SOURCES},
}
BUILDING_LABELS = (
    ("name", "项目名称"),
    ("approved_area", "批复规模（m²）"),
    ("actual_area", "实际规模（m²）"),
    ("budget_investment", "预算投资（万元）"),
    ("actual_investment", "实际投资（万元）"),
    ("reported_area_rate", "规模控制率（原填报值）"),
    ("reported_investment_rate", "投资概算控制率（原填报值）"),
)
FOOTER_LABELS = (
    ("preparer_name", "填表人"),
    ("fill_date", "填报日期"),
    ("phone", "联系电话"),
    ("head_name", "单位负责人签字"),
)


def _flatten_scorecard(card: dict, table: str, pack: RulePack, out: dict) -> None:
    for key, label in SCORECARD_TEXT_LABELS:
        out[f"{table}.{key}"] = (f"{table} · {label}", card.get(key))
    for source, line in (card.get("funds") or {}).items():
        for column, column_label in catalogue.FUND_COLUMNS:
            out[f"{table}.funds.{source}.{column}"] = (
                f"{table} · {FUND_LABELS.get(source, source)} · {column_label}",
                line.get(column),
            )
    for key, label in catalogue.INCOME_KINDS:
        if f"income_{key}" in card:
            out[f"{table}.income.{key}"] = (f"{table} · 按收入性质分 · {label}", card.get(f"income_{key}"))
    for key, label in catalogue.NATURE_KINDS:
        if f"nature_{key}" in card:
            out[f"{table}.nature.{key}"] = (f"{table} · 按支出性质分 · {label}", card.get(f"nature_{key}"))
    labels = {child.key: child.label for level in pack.skeleton for child in level.children}
    out[f"{table}.not_applicable"] = (
        f"{table} · 不适用的二级指标",
        sorted(labels.get(key, key) for key in card.get("not_applicable") or []),
    )
    seen: dict[tuple, int] = {}
    for row in card.get("indicators") or []:
        identity = (row.get("level2"), row.get("name"))
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        name = row.get("name") or "（未命名）"
        if occurrence:
            name = f"{name}（第{occurrence + 1}行）"
        prefix = f"{table} · {labels.get(row.get('level2'), row.get('level2'))} · {name}"
        for column, column_label in INDICATOR_COLUMNS:
            value = row.get(column)
            value = OPERATOR_LABELS.get(value, value) if column == "operator" else value
            value = BAND_LABELS.get(value, value) if column == "qual_band" else value
            out[f"{table}.ind.{identity}.{occurrence}.{column}"] = (f"{prefix} · {column_label}", value)


def flatten(payload: dict, pack: RulePack) -> dict[str, tuple[str, object]]:
    """Every figure and text of a payload: stable key → (human place label, value)."""
    year = payload["year"]
    out: dict[str, tuple[str, object]] = {}
    footer = payload.get("footer") or {}
    for key, label in FOOTER_LABELS:
        out[f"footer.{key}"] = (f"表尾 · {label}", footer.get(key))
    att1 = payload.get("attachment1") or {}
    out["att1.staff_quota"] = ("附件1 · 编制数", att1.get("staff_quota"))
    out["att1.staff_actual"] = (f"附件1 · {year}年实际在职人数", att1.get("staff_actual"))
    out["att1.reported_control_rate"] = ("附件1 · 控制率（原填报值）", att1.get("reported_control_rate"))
    columns = [
        (key, label.format(year=year, prior_year=year - 1)) for key, label in catalogue.EXPENSE_COLUMNS
    ]
    for item in catalogue.EXPENSE_ITEMS:
        values = (att1.get("expenses") or {}).get(item.code) or {}
        for column, column_label in columns:
            out[f"att1.{item.code}.{column}"] = (f"附件1 · {item.label} · {column_label}", values.get(column))
    for index, row in enumerate(att1.get("special_rows") or []):
        out[f"att1.special.{index}.name"] = (f"附件1 · 市级专项资金第{index + 1}行 · 名称", row.get("name"))
        for column, column_label in columns:
            out[f"att1.special.{index}.{column}"] = (
                f"附件1 · 专项「{row.get('name')}」 · {column_label}",
                row.get(column),
            )
    for index, row in enumerate(att1.get("buildings") or []):
        for column, column_label in BUILDING_LABELS:
            out[f"att1.building.{index}.{column}"] = (
                f"附件1 · 楼堂馆所第{index + 1}行 · {column_label}",
                row.get(column),
            )
    out["att1.frugality"] = ("附件1 · 厉行节约保障措施", att1.get("frugality_measures"))
    if payload.get("attachment2"):
        _flatten_scorecard(payload["attachment2"], "附件2", pack, out)
    for project in payload.get("projects") or []:
        name = project.get("name")
        out[f"project.{name}"] = (f"项目「{name}」", "存在")
        out[f"project.{name}.category"] = (
            f"项目「{name}」 · 类别",
            CATEGORY_LABELS.get(project.get("category")),
        )
        if project.get("attachment3"):
            _flatten_scorecard(project["attachment3"], f"附件3（{name}）", pack, out)
    return out


def _same(a, b) -> bool:
    if a in (None, "", []) and b in (None, "", []):
        return True
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except ArithmeticError:
        return a == b


def diff_payloads(old: dict, new: dict, pack: RulePack) -> list[Change]:
    """What applying ``new`` over ``old`` changes, in the order of the tables."""
    before, after = flatten(old, pack), flatten(new, pack)
    changes = []
    for key in [*after, *(k for k in before if k not in after)]:
        label, new_value = after.get(key, (before.get(key, ("", None))[0], None))
        old_value = before.get(key, (label, None))[1]
        if not _same(old_value, new_value):
            changes.append(Change(label, _show(old_value), _show(new_value)))
    return changes


def amount_text(value) -> str:
    return fmt_amount(to_decimal(value))
