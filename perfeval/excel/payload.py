"""A blank payload for the workbook template, and the human-readable difference of two payloads (the import
preview). The payload's rules data comes from perfeval.rules.payload."""

from perfeval.filing.opendata import SCHEMA
from perfeval.rules import catalogue

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
        "reported_funds_initial": None,
        "reported_funds_full_year": None,
        "reported_funds_executed": None,
        "reported_grade": "",
        "indicators": [],
    }
    if kind == "department":
        card |= {f"revenue_{key}": None for key, _ in catalogue.REVENUE_KINDS}
        card |= {f"income_{key}": None for key, _ in catalogue.INCOME_KINDS}
        card |= {f"nature_{key}": None for key, _ in catalogue.NATURE_KINDS}
    return card


def blank_payload(
    *,
    department_code: str,
    department_name: str,
    year: int,
    rule_pack: dict,
    prior=None,
    kind: str = catalogue.DEPARTMENT_FILING,
) -> dict:
    """An empty report of the department and year; ``prior`` (last year's payload) fills the 上年决算数 column.
    A project-only filing (``kind``) has no 正文, 附件1 or 附件2."""
    payload = {
        "schema": SCHEMA,
        "department": {"code": department_code, "name": department_name},
        "year": year,
        "kind": kind,
        "rule_pack": rule_pack,
        "status": "draft",
        "cover_date": None,
        "footer": {"preparer_name": "", "fill_date": None, "phone": "", "head_name": ""},
        "text": {},
        "personnel_expense": None,
        "attachment1": {},
        "attachment2": None,
        "projects": [],
    }
    if kind == catalogue.PROJECT_FILING:
        return payload
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
    payload["attachment1"] = {
        "staff_quota": None,
        "staff_actual": None,
        "reported_control_rate": None,
        "expenses": expenses,
        "special_rows": special_rows,
        "buildings": [],
        "frugality_measures": "",
    }
    payload["attachment2"] = blank_scorecard("department")
    return payload
