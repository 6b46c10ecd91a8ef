"""The open-data payload (schema perfeval.report/1) as the rules' plain data, and a blank payload for a
template."""

from decimal import Decimal

from perfeval.filing.parts import sections_from_fields
from perfeval.rules import catalogue, data

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
