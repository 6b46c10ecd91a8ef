"""§一 to §六 figures drafted from the tables: the 正文 shows them, nobody types them again."""

from decimal import Decimal

from perfeval.filing.parts import department_scorecard
from perfeval.rules.decimals import fmt_amount, fmt_percent
from perfeval.rules.scoring import add_optional, attachment1_computed


def section_drafts(report, plain) -> dict[str, list[str]]:
    """Sentences per section key, from the plain data of the report (perfeval.rules.data.Report)."""
    att1 = attachment1_computed(plain)
    expenses = plain.expenses
    public = expenses.get("public")
    public_final = public.final if public else None
    projects_final = att1.sums.get("projects").final if att1.sums.get("projects") else None
    basic = add_optional(plain.personnel_expense, public_final)
    card = department_scorecard(report)
    gov_fund = card.income_gov_fund if card else None
    drafts = {
        "s1": [
            f"编制数 {_count(plain.staff_quota)} 人，实际在职人数 {_count(plain.staff_actual)} 人，"
            f"控制率 {fmt_percent(att1.control_rate)}（来自附件1）。"
        ],
        "s2": [
            f"（一）基本支出 {fmt_amount(basic)} 万元 = 人员经费 {fmt_amount(plain.personnel_expense)} 万元"
            f"（本页填写）+ 公用经费 {fmt_amount(public_final)} 万元（附件1 公用经费决算数）。",
            f"（二）项目支出 {fmt_amount(projects_final)} 万元（附件1 项目支出决算数），其中：",
            *(
                f"{p.names_in_text.get('s2', p.name)} {fmt_amount(p.actual_spent)} 万元；"
                for p in plain.projects
            ),
        ],
        "s3": [
            "我单位无政府性基金预算支出。"
            if not gov_fund
            else f"政府性基金预算支出 {fmt_amount(gov_fund)} 万元（附件2 按收入性质分）。"
        ],
        "s4": ["附件中无国有资本经营预算支出；如确无，正文写明「我单位无国有资本经营预算支出」。"],
        "s5": ["附件中无社会保险基金预算支出；如确无，正文写明「我单位无社会保险基金预算支出」。"],
        "s6": [
            f"{p.names_in_text.get('s6', p.name)}：年初预算 {fmt_amount(p.initial_budget)} 万元，"
            f"年中调整 {fmt_amount(p.adjustment)} 万元，实际支出 {fmt_amount(p.actual_spent)} 万元，"
            f"结余结转 {fmt_amount(p.carryover)} 万元（来自项目支出表）。"
            for p in plain.projects
        ],
    }
    return drafts


def _count(value: int | None) -> str:
    return fmt_amount(None if value is None else Decimal(value))
