"""A frozen snapshot back into unsaved model objects, so the SAME templates that show the live report render it.

The objects are never saved. Their related lists are put where Django's prefetch would put them, so templates
and ``perfeval.filing.parts`` read them without a query — and can never read the live report by accident.
Primary keys are synthetic (1, 2, …): ``parts.report_data`` uses them only as refs between a project and its
附件3.
"""

from datetime import date
from decimal import Decimal
from itertools import count

from perfeval.filing import opendata
from perfeval.filing.models import (
    BuildingRow,
    ExpenseAmount,
    ExpenseItem,
    FilingPeriod,
    FindingExplanation,
    FundLine,
    Indicator,
    Project,
    Report,
    RulePack,
    Scorecard,
    ScorecardKind,
    SpecialRow,
)
from perfeval.filing.parts import TEXT_FIELDS
from perfeval.orgs.models import Department
from perfeval.rules import catalogue


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _prefetched(instance, name: str, model, items: list) -> None:
    queryset = model._default_manager.all()
    queryset._result_cache = list(items)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def _expense_item(code: str) -> ExpenseItem:
    item = catalogue.EXPENSE_ITEMS_BY_CODE[code]
    return ExpenseItem(
        code=item.code,
        label=item.label,
        parent_id=item.parent,
        order=item.order,
        children_rule=item.children_rule,
        has_prior=item.has_prior,
        indent=item.indent,
    )


def _scorecard(report, kind, source: dict, ids, project=None) -> Scorecard:
    card = Scorecard(
        pk=next(ids),
        report=report,
        kind=kind,
        not_applicable=list(source.get("not_applicable") or []),
        **{name: source.get(name) or "" for name in opendata.SCORECARD_TEXTS},
        **{name: _dec(source.get(name)) for name in opendata.REPORTED_FIELDS},
    )
    if kind == ScorecardKind.DEPARTMENT:
        for name in opendata.INCOME_FIELDS + opendata.NATURE_FIELDS:
            setattr(card, name, _dec(source.get(name)))
    if project is not None:
        card.project = project
        project.scorecard = card
    lines = [
        FundLine(
            pk=next(ids),
            scorecard=card,
            source=src,
            **{name: _dec(line.get(name)) for name in opendata.FUND_FIELDS},
        )
        for src, line in (source.get("funds") or {}).items()
    ]
    indicators = [
        Indicator(
            pk=next(ids),
            scorecard=card,
            order=index,
            operator=row.get("operator"),
            qual_band=row.get("qual_band"),
            target_value=_dec(row.get("target_value")),
            actual_value=_dec(row.get("actual_value")),
            weight=_dec(row.get("weight")),
            score=_dec(row.get("score")),
            **{name: row.get(name) or "" for name in opendata.INDICATOR_TEXTS},
        )
        for index, row in enumerate(source.get("indicators") or [])
    ]
    _prefetched(card, "fund_lines", FundLine, lines)
    _prefetched(card, "indicators", Indicator, indicators)
    return card


def report_from_snapshot(snapshot_data: dict) -> Report:
    """An unsaved Report carrying every part of ``snapshot_data`` (see services.build_snapshot_data)."""
    payload = snapshot_data["report"]
    pack = snapshot_data["rule_pack"]
    ids = count(1)
    department = Department(
        pk=next(ids), code=payload["department"]["code"], name=payload["department"]["name"]
    )
    rule_pack = RulePack(
        pk=next(ids),
        code=pack["code"],
        version=pack["version"],
        name=pack["name"],
        definition=pack["definition"],
    )
    period = FilingPeriod(pk=next(ids), year=payload["year"], rule_pack=rule_pack)
    footer = payload.get("footer") or {}
    att1 = payload.get("attachment1") or {}
    texts = payload.get("text") or {}
    report = Report(
        pk=snapshot_data.get("report_id"),
        department=department,
        period=period,
        status=payload.get("status") or "approved",
        version=snapshot_data.get("report_version") or 1,
        cover_date=_date(payload.get("cover_date")),
        preparer_name=footer.get("preparer_name") or "",
        fill_date=_date(footer.get("fill_date")),
        phone=footer.get("phone") or "",
        head_name=footer.get("head_name") or "",
        personnel_expense=_dec(payload.get("personnel_expense")),
        staff_quota=att1.get("staff_quota"),
        staff_actual=att1.get("staff_actual"),
        reported_control_rate=_dec(att1.get("reported_control_rate")),
        frugality_measures=att1.get("frugality_measures") or "",
        **{name: texts.get(name) or "" for name in TEXT_FIELDS},
    )
    expenses = []
    for code, values in (att1.get("expenses") or {}).items():
        row = ExpenseAmount(
            pk=next(ids), report=report, **{k: _dec(values.get(k)) for k in opendata.AMOUNT_FIELDS}
        )
        row.item = _expense_item(code)
        expenses.append(row)
    expenses.sort(key=lambda row: row.item.order)
    specials = [
        SpecialRow(
            pk=next(ids),
            report=report,
            order=i,
            name=row.get("name") or "",
            **{k: _dec(row.get(k)) for k in opendata.AMOUNT_FIELDS},
        )
        for i, row in enumerate(att1.get("special_rows") or [])
    ]
    buildings = [
        BuildingRow(
            pk=next(ids),
            report=report,
            order=i,
            name=row.get("name") or "",
            **{k: _dec(row.get(k)) for k in opendata.BUILDING_FIELDS},
        )
        for i, row in enumerate(att1.get("buildings") or [])
    ]
    scorecards, projects = [], []
    if payload.get("attachment2"):
        scorecards.append(_scorecard(report, ScorecardKind.DEPARTMENT, payload["attachment2"], ids))
    for index, source in enumerate(payload.get("projects") or []):
        project = Project(
            pk=next(ids),
            report=report,
            order=index,
            name=source.get("name") or "",
            category=source.get("category") or "",
            **{k: _dec(source.get(k)) for k in opendata.PROJECT_AMOUNTS},
            **{k: source.get(k) or "" for k in opendata.PROJECT_TEXTS},
        )
        if source.get("attachment3"):
            scorecards.append(_scorecard(report, ScorecardKind.PROJECT, source["attachment3"], ids, project))
        else:
            # Cached "no 附件3": reading project.scorecard raises DoesNotExist instead of querying.
            Project.scorecard.related.set_cached_value(project, None)
        projects.append(project)
    _prefetched(report, "expenses", ExpenseAmount, expenses)
    _prefetched(report, "special_rows", SpecialRow, specials)
    _prefetched(report, "buildings", BuildingRow, buildings)
    _prefetched(report, "projects", Project, projects)
    _prefetched(report, "scorecards", Scorecard, scorecards)
    explanations = [
        FindingExplanation(pk=next(ids), report=report, code=e["code"], place=e["place"], text=e["text"])
        for e in snapshot_data.get("explanations") or []
    ]
    _prefetched(report, "explanations", FindingExplanation, explanations)
    return report
