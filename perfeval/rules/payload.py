"""The open-data payload (schema ``perfeval.report/1``, README) as the rules' plain data: the one builder.

A payload exported for internal use carries each row's database id as ``"ref"``, so a finding names the form
field it is about; an uploaded or published payload has no refs and its rows are named by position
(``p0`` project, ``s0`` 专项 row, ``b0`` 楼堂馆所 row, ``att2`` / ``att3-0`` scorecards, ``att3-0-2`` indicator).
"""

from decimal import Decimal

from . import catalogue, data

TEXT_FIELDS = (
    "s1_intro", "s1_duties", "s1_organization", "s2_note", "s3_note", "s4_text", "s5_text", "s6_overall",
    "s7_problems", "s8_measures", "s9_application", "s10_other",
)  # fmt: skip
AMOUNT_FIELDS = ("prior_final", "budget", "final")
FUND_FIELDS = ("initial", "full_year", "executed")


def to_decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _ref(row: dict, positional: str) -> str:
    return str(row["ref"]) if row.get("ref") is not None else positional


def section_texts(payload: dict) -> dict[str, str]:
    """The ten sections' free text ("s1" … "s10"); 六 adds each project's 六（二） paragraph."""
    fields = payload.get("text") or {}
    s1 = "\n".join(
        part for part in (fields.get(k) for k in ("s1_intro", "s1_duties", "s1_organization")) if part
    )
    projects = payload.get("projects") or []
    s6 = "\n".join([fields.get("s6_overall") or "", *(p.get("s6_text") or "" for p in projects)]).strip()
    simple = {"s2": "s2_note", "s3": "s3_note", "s4": "s4_text", "s5": "s5_text", "s7": "s7_problems",
              "s8": "s8_measures", "s9": "s9_application", "s10": "s10_other"}  # fmt: skip
    return {"s1": s1, **{key: fields.get(name) or "" for key, name in simple.items()}, "s6": s6}


def evidence_counts(payload: dict) -> dict[str, int] | None:
    """Files per attachment place ("{row}" of the place, e.g. "indicator:12") from the internal payload's
    ``evidence`` list; None when the payload carries no such list (open data never does)."""
    items = payload.get("evidence")
    if items is None:
        return None
    counts: dict[str, int] = {}
    for item in items:
        row = item.get("row") or ""
        counts[row] = counts.get(row, 0) + 1
    return counts


def scorecard_data(
    card: dict, *, ref: str, kind: str, title: str, evidence: dict[str, int] | None = None
) -> data.Scorecard:
    """附件2 (kind "department") or a 附件3 of the payload; ``ref`` is used when the card carries none.
    ``evidence`` (see :func:`evidence_counts`) gives each indicator its number of files."""
    ref = _ref(card, ref)
    funds = {
        source: data.FundLine(**{name: to_decimal(line.get(name)) for name in FUND_FIELDS})
        for source, line in (card.get("funds") or {}).items()
    }
    if kind == "department":
        funds.setdefault("total", data.FundLine())
        income = {key: to_decimal(card.get(f"income_{key}")) for key, _ in catalogue.INCOME_KINDS}
        nature = {key: to_decimal(card.get(f"nature_{key}")) for key, _ in catalogue.NATURE_KINDS}
        revenue = {key: to_decimal(card.get(f"revenue_{key}")) for key, _ in catalogue.REVENUE_KINDS}
    else:
        for source, _ in catalogue.FUND_SOURCES:
            funds.setdefault(source, data.FundLine())
        income, nature, revenue = {}, {}, {}
    return data.Scorecard(
        ref=ref,
        kind=kind,
        title=title,
        funds=funds,
        execution_explanation=card.get("execution_explanation") or "",
        goal_expected=card.get("goal_expected") or "",
        goal_actual=card.get("goal_actual") or "",
        indicators=tuple(
            data.Indicator(
                ref=_ref(row, f"{ref}-{index}"),
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
                evidence=None
                if evidence is None
                else evidence.get(f"indicator:{_ref(row, f'{ref}-{index}')}", 0),
            )
            for index, row in enumerate(card.get("indicators") or [])
        ),
        not_applicable=frozenset(card.get("not_applicable") or ()),
        income=income,
        nature=nature,
        reported_execution_rate=to_decimal(card.get("reported_execution_rate")),
        reported_execution_score=to_decimal(card.get("reported_execution_score")),
        reported_total_score=to_decimal(card.get("reported_total_score")),
        reported_grade=card.get("reported_grade") or "",
        reported_funds=data.FundLine(
            **{name: to_decimal(card.get(f"reported_funds_{name}")) for name in FUND_FIELDS}
        ),
        revenue=revenue,
    )


def _amounts(row: dict) -> data.Amounts:
    return data.Amounts(**{name: to_decimal(row.get(name)) for name in AMOUNT_FIELDS})


def report_data(payload: dict) -> data.Report:
    """The plain data the rules check and score, from a payload (with or without row refs)."""
    att1 = payload.get("attachment1") or {}
    department_name = (payload.get("department") or {}).get("name") or ""
    project_rows, project_cards = [], []
    evidence = evidence_counts(payload)
    for index, project in enumerate(payload.get("projects") or []):
        name = project.get("name") or ""
        card = project.get("attachment3")
        if card:
            project_cards.append(
                scorecard_data(card, ref=f"att3-{index}", kind="project", title=name, evidence=evidence)
            )
        project_rows.append(
            data.Project(
                ref=_ref(project, f"p{index}"),
                name=name,
                category=project.get("category") or "",
                initial_budget=to_decimal(project.get("initial_budget")),
                adjustment=to_decimal(project.get("adjustment")),
                actual_spent=to_decimal(project.get("actual_spent")),
                carryover=to_decimal(project.get("carryover")),
                names_in_text={
                    key: other
                    for key, other in (("s2", project.get("name_in_s2")), ("s6", project.get("name_in_s6")))
                    if other and other != name
                },
                scorecard_ref=project_cards[-1].ref if card else None,
                no_scorecard_reason=project.get("no_scorecard_reason") or "",
            )
        )
    dept_card = payload.get("attachment2")
    footer = payload.get("footer") or {}
    return data.Report(
        year=payload["year"],
        kind=payload.get("kind") or catalogue.DEPARTMENT_FILING,
        department_name=department_name,
        staff_quota=att1.get("staff_quota"),
        staff_actual=att1.get("staff_actual"),
        reported_control_rate=to_decimal(att1.get("reported_control_rate")),
        expenses={code: _amounts(values) for code, values in (att1.get("expenses") or {}).items()},
        special_rows=tuple(
            data.SpecialRow(ref=_ref(row, f"s{index}"), name=row.get("name") or "", amounts=_amounts(row))
            for index, row in enumerate(att1.get("special_rows") or [])
        ),
        buildings=tuple(
            data.BuildingRow(
                ref=_ref(row, f"b{index}"),
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
            scorecard_data(dept_card, ref="att2", kind="department", title=department_name, evidence=evidence)
            if dept_card
            else None
        ),
        project_scorecards=tuple(project_cards),
        sections=section_texts(payload),
        footer={
            "preparer": footer.get("preparer_name") or "",
            "date": footer.get("fill_date") or "",
            "phone": footer.get("phone") or "",
            "head": footer.get("head_name") or "",
        },
    )
