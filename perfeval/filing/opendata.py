"""Models ⇄ the open-data payload (schema ``perfeval.report/1``, README): the report's one shape.

Every output reads the payload: the rules (``perfeval.rules.payload``), the page and the PDF
(``presentation``), the workbook, the CSV and the snapshots. The demo fixture is in this format, ``load_demo``
reads it with :func:`import_report`, and ``export_report --format json`` writes it with :func:`export_report`,
so a load → export round trip is exact.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from perfeval.filing import hooks
from perfeval.filing.creation import complete_skeletons
from perfeval.filing.locking import assert_editable
from perfeval.filing.models import (
    BuildingRow,
    ExpenseAmount,
    FundLine,
    Indicator,
    Project,
    Report,
    Scorecard,
    ScorecardKind,
    SpecialRow,
)
from perfeval.filing.parts import department_scorecard, project_scorecards
from perfeval.rules import catalogue, data
from perfeval.rules.catalogue import DEPARTMENT_FILING, PROJECT_FILING
from perfeval.rules.decimals import decimal_text as dec
from perfeval.rules.packs import RulePack
from perfeval.rules.payload import AMOUNT_FIELDS, FUND_FIELDS, TEXT_FIELDS, report_data

SCHEMA = "perfeval.report/1"
BUILDING_FIELDS = (
    "approved_area", "actual_area", "budget_investment", "actual_investment",
    "reported_area_rate", "reported_investment_rate",
)  # fmt: skip
PROJECT_AMOUNTS = ("initial_budget", "adjustment", "actual_spent", "carryover")
PROJECT_TEXTS = ("name_in_s2", "name_in_s6", "s6_text", "no_scorecard_reason")
SCORECARD_TEXTS = (
    "competent_department",
    "implementing_unit",
    "goal_expected",
    "goal_actual",
    "execution_explanation",
)
INCOME_FIELDS = ("income_general", "income_gov_fund", "income_non_tax", "income_other")
NATURE_FIELDS = ("nature_basic", "nature_project")
REVENUE_FIELDS = tuple(f"revenue_{key}" for key, _ in catalogue.REVENUE_KINDS)
# Figures an imported document printed where the system computes them (the page shows them as 「原填」).
REPORTED_FIELDS = (
    "reported_execution_rate", "reported_execution_score", "reported_total_score",
    "reported_funds_initial", "reported_funds_full_year", "reported_funds_executed",
)  # fmt: skip
REPORTED_TEXTS = ("reported_grade",)
INDICATOR_TEXTS = (
    "level1",
    "level2",
    "name",
    "target_unit",
    "target_text",
    "actual_text",
    "deviation_reason",
)


class OpenDataError(ValueError):
    """The payload cannot be written; ``problems`` lists every bad value with its place."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


def _parse_dec(value, where: str) -> Decimal | None:
    if value is None:
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise OpenDataError(f"{where}：{value!r} 不是数字") from None
    if not result.is_finite():
        raise OpenDataError(f"{where}：{value!r} 不是有限数字")
    return result


def _fields(obj, names, convert=lambda v: v):
    return {name: convert(getattr(obj, name)) for name in names}


def _with_ref(row: dict, obj, refs: bool) -> dict:
    return {"ref": str(obj.pk), **row} if refs else row


def _attachment1(report: Report, refs: bool) -> dict:
    """附件1 of the payload (``export_report``)."""
    return {
        "staff_quota": report.staff_quota,
        "staff_actual": report.staff_actual,
        "reported_control_rate": dec(report.reported_control_rate),
        "expenses": {e.item_id: _fields(e, AMOUNT_FIELDS, dec) for e in report.expenses.all()},
        "special_rows": [
            _with_ref({"name": r.name, **_fields(r, AMOUNT_FIELDS, dec)}, r, refs)
            for r in report.special_rows.all()
        ],
        "buildings": [
            _with_ref({"name": b.name, **_fields(b, BUILDING_FIELDS, dec)}, b, refs)
            for b in report.buildings.all()
        ],
        "frugality_measures": report.frugality_measures,
    }


def _scorecard(card: Scorecard, refs: bool) -> dict:
    """附件2 or one 附件3 of the payload (``export_report``)."""
    lines = {line.source: _fields(line, FUND_FIELDS, dec) for line in card.fund_lines.all()}
    result = {
        **({"ref": str(card.pk)} if refs else {}),
        **_fields(card, SCORECARD_TEXTS),
        "funds": dict(sorted(lines.items())),
        "not_applicable": list(card.not_applicable or []),
        **_fields(card, REPORTED_FIELDS, dec),
        **_fields(card, REPORTED_TEXTS),
        "indicators": [
            _with_ref(
                {
                    **_fields(row, INDICATOR_TEXTS),
                    "operator": row.operator,
                    "target_value": dec(row.target_value),
                    "actual_value": dec(row.actual_value),
                    "qual_band": row.qual_band,
                    "weight": dec(row.weight),
                    "score": dec(row.score),
                },
                row,
                refs,
            )
            for row in card.indicators.all()
        ],
    }
    if card.kind == ScorecardKind.DEPARTMENT:
        result.update(_fields(card, INCOME_FIELDS + NATURE_FIELDS + REVENUE_FIELDS, dec))
    return result


def export_report(report: Report, *, refs: bool = False) -> dict:
    """Every figure and text of a report loaded with ``parts.reports_with_parts``. ``refs`` adds each row's
    database id as ``"ref"`` (for the rules' findings and the edit pages' links; never in open data)."""
    cards = {card.project_id: card for card in project_scorecards(report)}
    dept_card = department_scorecard(report)
    payload = {
        "schema": SCHEMA,
        "department": {"code": report.department.code, "name": report.department.name},
        "year": report.period.year,
        "kind": report.period.kind,
        "rule_pack": {"code": report.period.rule_pack.code, "version": report.period.rule_pack.version},
        "status": report.status,
        "cover_date": report.cover_date.isoformat() if report.cover_date else None,
        "footer": {
            "preparer_name": report.preparer_name,
            "fill_date": report.fill_date.isoformat() if report.fill_date else None,
            "phone": report.phone,
            "head_name": report.head_name,
        },
        "text": {name: getattr(report, name) for name in TEXT_FIELDS},
        "personnel_expense": dec(report.personnel_expense),
        "attachment1": _attachment1(report, refs),
        "attachment2": _scorecard(dept_card, refs) if dept_card else None,
        "projects": [
            _with_ref(
                {
                    "name": p.name,
                    "category": p.category,
                    **_fields(p, PROJECT_AMOUNTS, dec),
                    **_fields(p, PROJECT_TEXTS),
                    "attachment3": _scorecard(cards[p.pk], refs) if p.pk in cards else None,
                },
                p,
                refs,
            )
            for p in report.projects.all()
        ],
    }
    if refs:
        payload |= {key: build(report) for key, build in hooks.internal_parts.items()}
    return payload


CARRIED_TEXTS = ("s1_intro", "s1_duties", "s1_organization")


def carried_forward(prior: dict, pack: RulePack | None = None) -> dict:
    """What a department's new report starts from, given last year's payload: 附件1's 上年决算数 (last year's
    本年决算数), 编制, the 一 texts, the 专项 rows, the projects and every scorecard's 三级 indicators with their
    targets and 分值 (:func:`carried_card`). What the year brings — amounts, 实际完成值, 得分, 偏差原因 — stays
    blank: a carried figure would look filled and be wrong; budgets are set anew each year."""
    att1 = prior.get("attachment1") or {}
    if prior.get("kind", DEPARTMENT_FILING) == PROJECT_FILING:
        # A project-only filing carries its projects and their tables, nothing of the 部门整体 parts.
        return {
            "schema": SCHEMA,
            "kind": PROJECT_FILING,
            "projects": [
                {
                    "name": p.get("name"),
                    "category": "",
                    "attachment3": carried_card(p.get("attachment3"), pack),
                }
                for p in prior.get("projects") or []
            ],
        }
    return {
        "schema": SCHEMA,
        "text": {name: (prior.get("text") or {}).get(name) or "" for name in CARRIED_TEXTS},
        "attachment1": {
            "staff_quota": att1.get("staff_quota"),
            "expenses": {
                code: {"prior_final": values.get("final")}
                for code, values in (att1.get("expenses") or {}).items()
                if catalogue.EXPENSE_ITEMS_BY_CODE[code].has_prior
            },
            "special_rows": [
                {"name": row.get("name"), "prior_final": row.get("final")}
                for row in att1.get("special_rows") or []
            ],
        },
        "attachment2": carried_card(prior.get("attachment2"), pack),
        "projects": [
            {
                "name": p.get("name"),
                "category": p.get("category"),
                "attachment3": carried_card(p.get("attachment3"), pack),
            }
            for p in prior.get("projects") or []
        ],
    }


CARRIED_INDICATOR_FIELDS = ("name", "operator", "target_value", "target_unit", "target_text", "weight")


def carried_card(card: dict | None, pack: RulePack | None = None) -> dict | None:
    """A scorecard's header, 不适用 choices and 三级 rows with blank actuals. Under ``pack`` (the new period's), a
    row whose 二级 the pack lacks is dropped (it would have no place in the grid) and one whose 二级 moved to
    another 一级 follows it (成本 is 一级 in the Hunan pack, 二级 under 产出 in the central one)."""
    if card is None:
        return None
    rows = []
    for row in card.get("indicators") or ():
        place = pack.level2(row.get("level2")) if pack is not None else None
        if pack is not None and place is None:
            continue
        level1 = place[0].key if place is not None else row.get("level1")
        rows.append(
            {"level1": level1, "level2": row.get("level2")}
            | {k: row.get(k) for k in CARRIED_INDICATOR_FIELDS}
        )
    return {
        "competent_department": card.get("competent_department") or "",
        "implementing_unit": card.get("implementing_unit") or "",
        "not_applicable": [
            key for key in card.get("not_applicable") or () if pack is None or pack.level2(key) is not None
        ],
        "indicators": rows,
    }


def without_refs(value):
    """A payload (or any part of one) as open data: every row's ``"ref"`` and the internal parts apps add
    (``hooks.internal_parts``, such as the evidence list) dropped."""
    if isinstance(value, dict):
        return {
            key: without_refs(item)
            for key, item in value.items()
            if key != "ref" and key not in hooks.internal_parts
        }
    if isinstance(value, list):
        return [without_refs(item) for item in value]
    return value


def rules_data(report: Report) -> data.Report:
    """The rules' plain data of a report loaded with parts, its rows named by database id."""
    return report_data(export_report(report, refs=True))


def _date(value, where):
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise OpenDataError(f"{where}：{value!r} 不是 YYYY-MM-DD 日期") from None


def _decimals(source: dict, names, where: str) -> dict:
    return {name: _parse_dec(source.get(name), f"{where}.{name}") for name in names}


def _texts(source: dict, names) -> dict:
    return {name: str(source.get(name) or "") for name in names}


def _write_scorecard(report, kind, source: dict, where: str, project=None) -> None:
    values = {
        **_texts(source, SCORECARD_TEXTS + REPORTED_TEXTS),
        **_decimals(source, REPORTED_FIELDS, where),
    }
    if kind == ScorecardKind.DEPARTMENT:
        values.update(_decimals(source, INCOME_FIELDS + NATURE_FIELDS + REVENUE_FIELDS, where))
    card = Scorecard.objects.create(
        report=report,
        kind=kind,
        project=project,
        not_applicable=list(source.get("not_applicable") or []),
        **values,
    )
    FundLine.objects.bulk_create(
        FundLine(scorecard=card, source=src, **_decimals(line, FUND_FIELDS, f"{where}.funds.{src}"))
        for src, line in (source.get("funds") or {}).items()
    )
    Indicator.objects.bulk_create(
        Indicator(
            scorecard=card,
            order=index,
            operator=row.get("operator"),
            qual_band=row.get("qual_band"),
            **_texts(row, INDICATOR_TEXTS),
            **_decimals(
                row, ("target_value", "actual_value", "weight", "score"), f"{where}.indicators[{index}]"
            ),
        )
        for index, row in enumerate(source.get("indicators") or [])
    )


def _clear_parts(report: Report) -> None:
    Scorecard.objects.filter(report=report).delete()
    for model in (ExpenseAmount, SpecialRow, BuildingRow, Project):
        model.objects.filter(report=report).delete()


def refuse_bad_payload(payload, report: Report) -> None:
    """Check the whole payload before anything is written (perfeval/filing/validate.py): every problem at once."""
    from perfeval.filing.validate import payload_problems

    problems = payload_problems(payload, pack=report.period.rule_pack.rules(), kind=report.period.kind)
    if problems:
        raise OpenDataError(f"有 {len(problems)} 处无法导入，未写入任何内容：{problems[0]}", problems)


def refuse_too_long(report: Report) -> None:
    """After writing (inside the import's transaction): the document must still print within the caps."""
    from perfeval.filing.bounds import document_problem
    from perfeval.filing.parts import reports_with_parts

    message = document_problem(reports_with_parts().get(pk=report.pk))
    if message:
        raise OpenDataError(message)


@transaction.atomic
def import_report(payload: dict, *, report: Report, check_document: bool = True) -> Report:
    """Replace every part of ``report`` with ``payload``; all or nothing. ``check_document`` False skips the
    page estimate (the page-estimate benchmark stores oversized documents on purpose)."""
    assert_editable(report)
    refuse_bad_payload(payload, report)
    footer = payload.get("footer") or {}
    att1 = payload.get("attachment1") or {}
    report.cover_date = _date(payload.get("cover_date"), "cover_date")
    report.preparer_name = footer.get("preparer_name") or ""
    report.fill_date = _date(footer.get("fill_date"), "footer.fill_date")
    report.phone = footer.get("phone") or ""
    report.head_name = footer.get("head_name") or ""
    for name in TEXT_FIELDS:
        setattr(report, name, (payload.get("text") or {}).get(name) or "")
    report.personnel_expense = _parse_dec(payload.get("personnel_expense"), "personnel_expense")
    report.staff_quota = att1.get("staff_quota")
    report.staff_actual = att1.get("staff_actual")
    report.reported_control_rate = _parse_dec(
        att1.get("reported_control_rate"), "attachment1.reported_control_rate"
    )
    report.frugality_measures = att1.get("frugality_measures") or ""
    report.save()
    _clear_parts(report)

    unknown = set(att1.get("expenses") or {}) - set(catalogue.EXPENSE_ITEMS_BY_CODE)
    if unknown:
        raise OpenDataError(f"attachment1.expenses 含未知行：{', '.join(sorted(unknown))}")
    ExpenseAmount.objects.bulk_create(
        ExpenseAmount(
            report=report, item_id=code, **_decimals(values, AMOUNT_FIELDS, f"attachment1.expenses.{code}")
        )
        for code, values in (att1.get("expenses") or {}).items()
    )
    SpecialRow.objects.bulk_create(
        SpecialRow(
            report=report,
            order=i,
            name=row.get("name") or "",
            **_decimals(row, AMOUNT_FIELDS, f"special[{i}]"),
        )
        for i, row in enumerate(att1.get("special_rows") or [])
    )
    BuildingRow.objects.bulk_create(
        BuildingRow(
            report=report,
            order=i,
            name=row.get("name") or "",
            **_decimals(row, BUILDING_FIELDS, f"buildings[{i}]"),
        )
        for i, row in enumerate(att1.get("buildings") or [])
    )
    if payload.get("attachment2"):
        _write_scorecard(report, ScorecardKind.DEPARTMENT, payload["attachment2"], "attachment2")
    for index, source in enumerate(payload.get("projects") or []):
        where = f"projects[{index}]"
        project = Project.objects.create(
            report=report,
            order=index,
            name=source.get("name") or "",
            category=source.get("category") or "",
            **_decimals(source, PROJECT_AMOUNTS, where),
            **_texts(source, PROJECT_TEXTS),
        )
        if source.get("attachment3"):
            _write_scorecard(
                report, ScorecardKind.PROJECT, source["attachment3"], f"{where}.attachment3", project
            )
    if check_document:
        refuse_too_long(report)
    # A payload without 附件2 or with a budget block short of rows still gives a fillable report; which projects
    # have a 附件3 is the document's to say (a missing one is a finding, not something to invent).
    complete_skeletons(report_ids=[report.pk], projects=())
    return report
