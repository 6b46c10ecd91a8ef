"""The open data as plain rows (table, row, column, value) for the CSV download."""

from perfeval.rules import catalogue
from perfeval.textsafety import looks_like_formula

AMOUNT_LABELS = dict(catalogue.EXPENSE_COLUMNS)
FUND_LABELS = dict(catalogue.FUND_COLUMNS)
SOURCE_LABELS = {"total": "年度资金总额", **dict(catalogue.FUND_SOURCES)}
BUILDING_LABELS = {
    "approved_area": "批复规模（m²）",
    "actual_area": "实际规模（m²）",
    "budget_investment": "预算投资（万元）",
    "actual_investment": "实际投资（万元）",
}
PROJECT_LABELS = {
    "initial_budget": "年初预算",
    "adjustment": "年中调整",
    "actual_spent": "实际支出",
    "carryover": "结余结转",
}
INDICATOR_COLUMNS = (
    ("target_text", "年度指标值"),
    ("actual_text", "实际完成值"),
    ("weight", "分值"),
    ("score", "得分"),
    ("deviation_reason", "偏差原因分析及改进措施"),
)


def _cell(value) -> str:
    """A value as CSV text; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if looks_like_formula(text):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def _scorecard_rows(table: str, card: dict, computed: dict | None) -> list[tuple]:
    rows = []
    # Sorted: a JSON column on PostgreSQL does not keep the keys' order.
    for source, line in sorted(card.get("funds", {}).items()):
        for key, label in FUND_LABELS.items():
            rows.append((table, SOURCE_LABELS.get(source, source), label, line.get(key)))
    if computed:
        for key, label in FUND_LABELS.items():
            rows.append((table, "年度资金总额（计算）", label, computed["funds_total"][key]))
        rows.append((table, "年度资金总额", "执行率（%）", computed["execution_rate"]))
        rows.append((table, "年度资金总额", "执行率得分", computed["execution_score"]))
        rows.append((table, "总分", "分值", computed["weight_total"]))
        rows.append((table, "总分", "得分", computed["self_total"]))
        rows.append((table, "总分", "等级", computed["grade"]))
    for key, label in catalogue.INCOME_KINDS:
        if f"income_{key}" in card:
            rows.append((table, "按收入性质分", label, card[f"income_{key}"]))
    for key, label in catalogue.NATURE_KINDS:
        if f"nature_{key}" in card:
            rows.append((table, "按支出性质分", label, card[f"nature_{key}"]))
    for indicator in card.get("indicators", []):
        for key, label in INDICATOR_COLUMNS:
            rows.append((table, indicator["name"], label, indicator.get(key)))
    return rows


def figure_rows(data: dict) -> list[tuple[str, str, str, str]]:
    year = data["year"]
    att1 = data.get("attachment1") or {}
    computed = data.get("computed") or {}
    table1 = "附件1"
    rows = [
        (table1, "财政供养人员情况（人）", "编制数", att1.get("staff_quota")),
        (table1, "财政供养人员情况（人）", f"{year}年实际在职人数", att1.get("staff_actual")),
        (
            table1,
            "财政供养人员情况（人）",
            "控制率（%）",
            (computed.get("attachment1") or {}).get("control_rate"),
        ),
    ]
    columns = {key: label.format(year=year, prior_year=year - 1) for key, label in AMOUNT_LABELS.items()}
    for item in catalogue.EXPENSE_ITEMS:
        values = (att1.get("expenses") or {}).get(item.code)
        if values is not None:
            rows.extend((table1, item.label, columns[key], values.get(key)) for key in columns)
        if item.code == "special":
            for special in att1.get("special_rows") or []:
                rows.extend((table1, special["name"], columns[key], special.get(key)) for key in columns)
    for building in att1.get("buildings") or []:
        name = building.get("name") or "楼堂馆所"
        rows.extend((table1, name, label, building.get(key)) for key, label in BUILDING_LABELS.items())
    if data.get("attachment2"):
        rows.extend(_scorecard_rows("附件2", data["attachment2"], computed.get("attachment2")))
    att3_computed = iter(computed.get("attachment3") or [])
    for project in data.get("projects") or []:
        rows.extend(
            ("项目支出", project["name"], label, project.get(key)) for key, label in PROJECT_LABELS.items()
        )
        if project.get("attachment3"):
            rows.extend(
                _scorecard_rows(
                    f"附件3 · {project['name']}", project["attachment3"], next(att3_computed, None)
                )
            )
    return [tuple(_cell(value) for value in row) for row in rows]
