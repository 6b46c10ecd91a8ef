"""Old → new: what changed since a return (open-data JSON at return time against now) and what differs from
the department's previous year."""

from dataclasses import dataclass

from perfeval.filing.models import Report
from perfeval.rules import catalogue

LABELS = {
    "cover_date": "封面日期",
    "footer": "表尾",
    "preparer_name": "填表人",
    "fill_date": "填报日期",
    "phone": "联系电话",
    "head_name": "单位负责人",
    "text": "正文",
    "s1_intro": "一、单位概况",
    "s1_duties": "一、主要职责",
    "s1_organization": "一、内设机构与下属单位",
    "s2_note": "二、补充说明",
    "s3_note": "三、补充说明",
    "s4_text": "四、国有资本经营预算支出情况",
    "s5_text": "五、社会保险基金预算支出情况",
    "s6_overall": "六、整体支出绩效情况",
    "s7_problems": "七、存在的问题及原因分析",
    "s8_measures": "八、下一步改进措施",
    "s9_application": "九、自评结果拟应用和公开情况",
    "s10_other": "十、其他需要说明的情况",
    "personnel_expense": "二、人员经费",
    "attachment1": "附件1",
    "staff_quota": "编制数",
    "staff_actual": "实际在职人数",
    "reported_control_rate": "控制率",
    "expenses": "经费控制情况",
    "special_rows": "市级专项资金",
    "buildings": "楼堂馆所",
    "frugality_measures": "厉行节约保障措施",
    "prior_final": "上年决算数",
    "budget": "本年预算数",
    "final": "本年决算数",
    "attachment2": "附件2",
    "attachment3": "附件3",
    "projects": "项目",
    "category": "类别",
    "initial_budget": "年初预算",
    "adjustment": "年中调整",
    "actual_spent": "实际支出",
    "carryover": "结余结转",
    "name_in_s2": "正文二中的名称",
    "name_in_s6": "正文六中的名称",
    "s6_text": "六、项目支出绩效情况",
    "no_scorecard_reason": "未填附件3的原因",
    "competent_department": "主管部门",
    "implementing_unit": "实施单位",
    "goal_expected": "预期目标",
    "goal_actual": "实际完成情况",
    "execution_explanation": "执行情况说明",
    "funds": "资金",
    "total": "年度资金总额",
    "current": "当年财政拨款",
    "other": "其他资金",
    "initial": "年初预算数",
    "full_year": "全年预算数",
    "executed": "全年执行数",
    "not_applicable": "不适用的二级指标",
    "reported_execution_rate": "执行率",
    "reported_execution_score": "执行率得分",
    "reported_total_score": "总分",
    "indicators": "绩效指标",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "名称",
    "operator": "方向",
    "target_value": "目标值",
    "target_unit": "单位",
    "target_text": "年度指标值",
    "actual_value": "实际值",
    "actual_text": "实际完成值",
    "qual_band": "定性档次",
    "weight": "分值",
    "score": "得分",
    "deviation_reason": "偏差原因分析及改进措施",
    "income_general": "一般公共预算",
    "income_gov_fund": "政府性基金拨款",
    "income_non_tax": "非税收入拨款",
    "income_other": "其他资金（收入性质）",
    "nature_basic": "基本支出",
    "nature_project": "项目支出（支出性质）",
    "approved_area": "批复规模",
    "actual_area": "实际规模",
    "budget_investment": "预算投资",
    "actual_investment": "实际投资",
    "reported_area_rate": "规模控制率",
    "reported_investment_rate": "投资概算控制率",
    **{item.code: item.label for item in catalogue.EXPENSE_ITEMS},
}
# Not content: where the report stands, whose it is.
IGNORED = {"schema", "status", "department", "year", "rule_pack"}


@dataclass(frozen=True)
class Change:
    label: str
    old: object
    new: object


def _flatten(value, path: tuple[str, ...], out: dict) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in IGNORED:
                continue
            _flatten(item, (*path, LABELS.get(key, key)), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, item in enumerate(value):
            name = item.get("name") or f"第{index + 1}行"
            _flatten({k: v for k, v in item.items() if k != "name"}, (*path, name), out)
            out[(*path, name, "·")] = "（存在）"
    elif isinstance(value, list):
        out[path] = "、".join(str(v) for v in value)
    else:
        out[path] = value


def flatten(payload: dict) -> dict[tuple[str, ...], object]:
    out: dict = {}
    _flatten(payload, (), out)
    return out


def diff_payloads(old: dict, new: dict) -> list[Change]:
    """Every figure or text that differs, in the current document's order (a stored snapshot may have lost its
    key order: PostgreSQL's jsonb sorts keys); a row added or removed shows as one change."""
    before, after = flatten(old), flatten(new)
    changes = []
    for key in list(after) + [k for k in before if k not in after]:
        was, now = before.get(key), after.get(key)
        if (was in (None, "")) and (now in (None, "")):
            continue
        if was != now:
            if key[-1] == "·":
                label = " · ".join(key[:-1])
                was, now = ("（有）" if was else "（无）"), ("（有）" if now else "（无）")
                label += "（行）"
            else:
                label = " · ".join(key)
            changes.append(Change(label, "" if was is None else was, "" if now is None else now))
    return changes


@dataclass(frozen=True)
class YearDifference:
    label: str
    last_year: object
    this_year: object


def differences_from_last_year(report: Report, previous: Report) -> list[YearDifference]:
    """What the preparer should look at: carried items that now differ from last year's approved report.
    Both reports loaded with ``reports_with_parts``."""
    rows = []

    def compare(label, old, new):
        if (old or None) != (new or None):
            rows.append(YearDifference(label, "" if old is None else old, "" if new is None else new))

    for name in ("s1_intro", "s1_duties", "s1_organization"):
        compare(f"正文 · {LABELS[name]}", getattr(previous, name), getattr(report, name))
    compare("附件1 · 编制数", previous.staff_quota, report.staff_quota)
    compare("附件1 · 实际在职人数", previous.staff_actual, report.staff_actual)
    last_final = {e.item_id: e.final for e in previous.expenses.all()}
    for e in report.expenses.all():
        label = catalogue.EXPENSE_ITEMS_BY_CODE[e.item_id].label
        if catalogue.EXPENSE_ITEMS_BY_CODE[e.item_id].has_prior:
            compare(
                f"附件1 · {label} · 上年决算数（上年报告的本年决算数）",
                last_final.get(e.item_id),
                e.prior_final,
            )
    old_projects = {p.name: p for p in previous.projects.all()}
    new_projects = {p.name: p for p in report.projects.all()}
    for name in old_projects.keys() - new_projects.keys():
        rows.append(YearDifference(f"项目 · {name}", "有", "本年已无"))
    for name in new_projects.keys() - old_projects.keys():
        rows.append(YearDifference(f"项目 · {name}", "上年没有", "本年新增"))
    for name in old_projects.keys() & new_projects.keys():
        compare(
            f"项目 · {name} · 类别",
            old_projects[name].get_category_display(),
            new_projects[name].get_category_display(),
        )
    old_cards, new_cards = _cards_by_title(previous), _cards_by_title(report)
    for title in old_cards.keys() & new_cards.keys():
        rows += _indicator_differences(title, old_cards[title], new_cards[title])
    return rows


def _cards_by_title(report: Report) -> dict:
    return {
        ("附件2" if card.project_id is None else f"附件3（{card.project.name}）"): card
        for card in report.scorecards.all()
    }


def _indicator_differences(title: str, old_card, new_card) -> list[YearDifference]:
    """三级 indicators carried from last year and what the preparer did to them: dropped, added, target or
    分值 changed. The actuals are this year's own and not compared."""
    old = {i.name: i for i in old_card.indicators.all()}
    new = {i.name: i for i in new_card.indicators.all()}
    rows = [YearDifference(f"{title} · 指标 · {name}", "有", "本年已删除") for name in old if name not in new]
    rows += [
        YearDifference(f"{title} · 指标 · {name}", "上年没有", "本年新增") for name in new if name not in old
    ]
    for name in old.keys() & new.keys():
        for field, label in (("target_text", "年度指标值"), ("weight", "分值")):
            was, now = getattr(old[name], field), getattr(new[name], field)
            if (was or None) != (now or None):
                rows.append(YearDifference(f"{title} · 指标 · {name} · {label}", was or "", now or ""))
    return rows
