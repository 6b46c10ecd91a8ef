"""The Chinese label of every field of the open-data payload, as the official tables print it.

The one label table: the diff of two payloads (import preview, 退回后的修改, 与上年比较), the reviewer's
places to pin a reason and the checks' place labels read it. Row labels come from :mod:`catalogue`; a column
header holding the year ("{year}年决算数") is formatted with the report's year by :func:`column`.
"""

from perfeval.rules import catalogue

FOOTER = {
    "preparer_name": "填表人",
    "fill_date": "填报日期",
    "phone": "联系电话",
    "head_name": "单位负责人签字",
}

SECTION_TITLES = dict(catalogue.SECTIONS)
# 正文 fields of the payload: (section, the part of it the field holds; "" when it is the whole section).
TEXT_FIELDS = {
    "s1_intro": ("s1", "单位概况"),
    "s1_duties": ("s1", "主要职责"),
    "s1_organization": ("s1", "内设科室与下属单位"),
    "s2_note": ("s2", "补充说明"),
    "s3_note": ("s3", "补充说明"),
    "s4_text": ("s4", ""),
    "s5_text": ("s5", ""),
    "s6_overall": ("s6", "（一）整体支出绩效情况"),
    "s7_problems": ("s7", ""),
    "s8_measures": ("s8", ""),
    "s9_application": ("s9", ""),
    "s10_other": ("s10", ""),
}
PERSONNEL_EXPENSE = "正文 · 二、一般公共预算支出情况 · 人员经费"

STAFF = {"staff_quota": "编制数", "staff_actual": "{year}年实际在职人数", "control_rate": "控制率"}
AMOUNT_COLUMNS = dict(catalogue.EXPENSE_COLUMNS)
BUILDING_COLUMNS = {
    "name": "项目名称",
    "approved_area": "批复规模（m²）",
    "actual_area": "实际规模（m²）",
    "reported_area_rate": "规模控制率",
    "budget_investment": "预算投资（万元）",
    "actual_investment": "实际投资（万元）",
    "reported_investment_rate": "投资概算控制率",
}
FRUGALITY = "厉行节约保障措施"

PROJECT_COLUMNS = {
    "name": "项目名称",
    "category": "项目类别",
    "initial_budget": "年初预算",
    "adjustment": "年中调整",
    "actual_spent": "实际支出",
    "carryover": "结余结转",
    "name_in_s2": "正文二中的名称",
    "name_in_s6": "正文六中的名称",
    "s6_text": "正文六 项目支出绩效情况",
    "scorecard_ref": "附件3",
    "no_scorecard_reason": "未编附件3 的原因",
}
CATEGORIES = dict(catalogue.PROJECT_CATEGORIES)

SCORECARD_TEXTS = {
    "competent_department": "主管部门",
    "implementing_unit": "实施单位",
    "goal_expected": "年度总体目标 · 预期目标",
    "goal_actual": "年度总体目标 · 实际完成情况",
    "execution_explanation": "执行情况说明",
}
FUND_ROWS = {
    "total": "年度资金总额",
    **{key: label.removeprefix("其中：") for key, label in catalogue.FUND_SOURCES},
}
FUND_COLUMNS = dict(catalogue.FUND_COLUMNS)
INCOME = {f"income_{key}": f"按收入性质分 · {label}" for key, label in catalogue.INCOME_KINDS}
NATURE = {f"nature_{key}": f"按支出性质分 · {label}" for key, label in catalogue.NATURE_KINDS}
REVENUE = {f"revenue_{key}": f"收入 · {label}" for key, label in catalogue.REVENUE_KINDS}
SCORECARD_COLUMNS = {
    **FUND_COLUMNS,
    "execution_rate": "执行率",
    "execution_score": "执行率得分",
    "execution_explanation": "执行情况说明",
    "total_score": "总分",
    "grade": "等级",
    "not_applicable": "不适用",
    "level2": "二级指标",
    "operator": "指标方向",
    "target": "年度指标值",
    "target_value": "目标数值",
    "target_unit": "目标单位",
    "actual": "实际完成值",
    "actual_value": "实际数值",
    "qual_band": "定性等级",
    "weight": "分值",
    "score": "得分",
    "deviation_reason": "偏差原因分析及改进措施",
}
# Payload keys of an indicator row, in the order the preview lists them.
INDICATOR_COLUMNS = {
    "target_text": SCORECARD_COLUMNS["target"],
    "operator": SCORECARD_COLUMNS["operator"],
    "target_value": SCORECARD_COLUMNS["target_value"],
    "target_unit": SCORECARD_COLUMNS["target_unit"],
    "actual_text": SCORECARD_COLUMNS["actual"],
    "actual_value": SCORECARD_COLUMNS["actual_value"],
    "qual_band": SCORECARD_COLUMNS["qual_band"],
    "weight": SCORECARD_COLUMNS["weight"],
    "score": SCORECARD_COLUMNS["score"],
    "deviation_reason": SCORECARD_COLUMNS["deviation_reason"],
}
# A figure an imported document printed where the system computes it: shown with 「原填」, as on the page.
REPORTED = {
    "reported_control_rate": "控制率（原填）",
    "reported_execution_rate": "执行率（原填）",
    "reported_execution_score": "执行率得分（原填）",
    "reported_total_score": "总分（原填）",
    "reported_grade": "等级（原填）",
    "reported_funds_initial": "年度资金总额 · 年初预算数（原填）",
    "reported_funds_full_year": "年度资金总额 · 全年预算数（原填）",
    "reported_funds_executed": "年度资金总额 · 全年执行数（原填）",
    "reported_area_rate": "规模控制率（原填）",
    "reported_investment_rate": "投资概算控制率（原填）",
}
# The printed figures of a scorecard (附件2 / 附件3), in the payload's order.
SCORECARD_REPORTED = (
    "reported_execution_rate", "reported_execution_score", "reported_total_score", "reported_grade",
    "reported_funds_initial", "reported_funds_full_year", "reported_funds_executed",
)  # fmt: skip
OPERATORS = dict(catalogue.OPERATORS)
QUAL_BANDS = dict(catalogue.QUAL_BANDS)


def column(label: str, year: int) -> str:
    """A header with the year in it: "{year}年决算数" → "2023年决算数", "{prior_year}年决算数" → "2022年决算数"."""
    return label.format(year=year, prior_year=year - 1)


def join(*parts: str) -> str:
    """A place label: its non-empty parts joined by " · " (「附件1 · 三公经费 · 2023年决算数」)."""
    return " · ".join(part for part in parts if part)


def section(key: str) -> str:
    return join("正文", SECTION_TITLES[key])


def text_field(key: str) -> str:
    section_key, part = TEXT_FIELDS[key]
    return join(section(section_key), part)


def scorecard_table(project_name: str | None, *, project_only: bool = False) -> str:
    """附件2 for the department's scorecard, 附件3（项目名称） for a project's; in a project-only filing, which has
    no attachments, 项目支出绩效自评表（项目名称）."""
    if project_name is None:
        return "附件2"
    return f"项目支出绩效自评表（{project_name}）" if project_only else f"附件3（{project_name}）"


def project(name: str) -> str:
    return f"项目 · {name}"
