"""The open-data payload (schema perfeval.report/1) as the rules' plain data, a blank payload for a template,
and the human-readable difference of two payloads (the import preview)."""

from dataclasses import dataclass
from decimal import Decimal

from perfeval.filing.parts import sections_from_fields
from perfeval.rules import catalogue, data
from perfeval.rules.decimals import fmt_amount
from perfeval.rules.packs import RulePack

SCHEMA = "perfeval.report/1"
AMOUNT_FIELDS = ("prior_final", "budget", "final")
FUND_FIELDS = ("initial", "full_year", "executed")


def to_decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def project_ref(index: int) -> str:
    return f"p{index}"


def scorecard_ref(index: int | None) -> str:
    return "att2" if index is None else f"att3-{index}"


def _section_texts(payload: dict) -> dict[str, str]:
    projects = payload.get("projects") or []
    return sections_from_fields(payload.get("text") or {}, (p.get("s6_text") for p in projects))


def scorecard_data(card: dict, *, ref: str, kind: str, title: str) -> data.Scorecard:
    funds = {
        source: data.FundLine(**{name: to_decimal(line.get(name)) for name in FUND_FIELDS})
        for source, line in (card.get("funds") or {}).items()
    }
    if kind == "department":
        funds.setdefault("total", data.FundLine())
        income = {key: to_decimal(card.get(f"income_{key}")) for key, _ in catalogue.INCOME_KINDS}
        nature = {key: to_decimal(card.get(f"nature_{key}")) for key, _ in catalogue.NATURE_KINDS}
    else:
        for source, _ in catalogue.FUND_SOURCES:
            funds.setdefault(source, data.FundLine())
        income, nature = {}, {}
    return data.Scorecard(
        ref=ref,
        kind=kind,
        title=title,
        funds=funds,
        execution_explanation=card.get("execution_explanation") or "",
        indicators=tuple(
            data.Indicator(
                ref=f"{ref}-{index}",
                level1=row.get("level1") or "",
                level2=row.get("level2") or "",
                name=row.get("name") or "",
                operator=row.get("operator"),
                target_value=to_decimal(row.get("target_value")),
                target_unit=row.get("target_unit") or "",
                target_text=row.get("target_text") or "",
                actual_value=to_decimal(row.get("actual_value")),
                actual_text=row.get("actual_text") or "",
                qual_band=row.get("qual_band"),
                weight=to_decimal(row.get("weight")),
                score=to_decimal(row.get("score")),
                deviation_reason=row.get("deviation_reason") or "",
            )
            for index, row in enumerate(card.get("indicators") or [])
        ),
        not_applicable=frozenset(card.get("not_applicable") or ()),
        income=income,
        nature=nature,
        reported_execution_rate=to_decimal(card.get("reported_execution_rate")),
        reported_execution_score=to_decimal(card.get("reported_execution_score")),
        reported_total_score=to_decimal(card.get("reported_total_score")),
    )


def payload_to_data(payload: dict) -> data.Report:
    """What ``parts.report_data`` gives for a saved report, built from a payload that is not saved (yet)."""
    att1 = payload.get("attachment1") or {}
    projects = payload.get("projects") or []
    project_cards = []
    project_rows = []
    for index, project in enumerate(projects):
        card = project.get("attachment3")
        ref = scorecard_ref(index)
        if card:
            project_cards.append(
                scorecard_data(card, ref=ref, kind="project", title=project.get("name") or "")
            )
        project_rows.append(
            data.Project(
                ref=project_ref(index),
                name=project.get("name") or "",
                category=project.get("category") or "",
                initial_budget=to_decimal(project.get("initial_budget")),
                adjustment=to_decimal(project.get("adjustment")),
                actual_spent=to_decimal(project.get("actual_spent")),
                carryover=to_decimal(project.get("carryover")),
                names_in_text={
                    key: name
                    for key, name in (("s2", project.get("name_in_s2")), ("s6", project.get("name_in_s6")))
                    if name and name != project.get("name")
                },
                scorecard_ref=ref if card else None,
                no_scorecard_reason=project.get("no_scorecard_reason") or "",
            )
        )
    footer = payload.get("footer") or {}
    dept_card = payload.get("attachment2")
    department_name = (payload.get("department") or {}).get("name") or ""
    return data.Report(
        year=payload["year"],
        department_name=department_name,
        staff_quota=att1.get("staff_quota"),
        staff_actual=att1.get("staff_actual"),
        reported_control_rate=to_decimal(att1.get("reported_control_rate")),
        expenses={
            code: data.Amounts(**{name: to_decimal(values.get(name)) for name in AMOUNT_FIELDS})
            for code, values in (att1.get("expenses") or {}).items()
        },
        special_rows=tuple(
            data.SpecialRow(
                ref=f"s{index}",
                name=row.get("name") or "",
                amounts=data.Amounts(**{name: to_decimal(row.get(name)) for name in AMOUNT_FIELDS}),
            )
            for index, row in enumerate(att1.get("special_rows") or [])
        ),
        buildings=tuple(
            data.BuildingRow(
                ref=f"b{index}",
                name=row.get("name") or "",
                approved_area=to_decimal(row.get("approved_area")),
                actual_area=to_decimal(row.get("actual_area")),
                budget_investment=to_decimal(row.get("budget_investment")),
                actual_investment=to_decimal(row.get("actual_investment")),
                reported_area_rate=to_decimal(row.get("reported_area_rate")),
                reported_investment_rate=to_decimal(row.get("reported_investment_rate")),
            )
            for index, row in enumerate(att1.get("buildings") or [])
        ),
        frugality_measures=att1.get("frugality_measures") or "",
        personnel_expense=to_decimal(payload.get("personnel_expense")),
        projects=tuple(project_rows),
        department_scorecard=(
            scorecard_data(dept_card, ref=scorecard_ref(None), kind="department", title=department_name)
            if dept_card
            else None
        ),
        project_scorecards=tuple(project_cards),
        sections=_section_texts(payload),
        footer={
            "preparer": footer.get("preparer_name") or "",
            "date": footer.get("fill_date") or "",
            "phone": footer.get("phone") or "",
            "head": footer.get("head_name") or "",
        },
    )


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
