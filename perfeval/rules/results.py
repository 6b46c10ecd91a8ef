"""Every figure the system computes for a report, as plain JSON values (Decimals as canonical strings).

The page, the PDF, the workbook and the open data print these; approval freezes them in the snapshot, so an
approved report is printed as it was approved and never computed again. Rates and scores are rounded by the
rule pack (places and mode); sums of typed amounts are exact.
"""

from dataclasses import dataclass, fields
from decimal import Decimal

from .catalogue import PROJECT_FILING
from .checks import check_report
from .data import Report, Scorecard
from .decimals import decimal_text
from .packs import RulePack
from .payload import to_decimal
from .scoring import AMOUNT_COLUMNS, attachment1_computed, scorecard_result

FUND_COLUMNS = ("initial", "full_year", "executed")


def _card(scorecard: Scorecard, pack: RulePack) -> dict:
    result = scorecard_result(scorecard, pack)
    return {
        "title": scorecard.title,
        "funds_total": {column: decimal_text(getattr(result.funds, column)) for column in FUND_COLUMNS},
        "execution_rate": decimal_text(result.execution.rate),
        "execution_score": decimal_text(result.execution.score),
        "weight_total": decimal_text(result.weight_total),
        "self_total": decimal_text(result.self_total),
        "rule_total": decimal_text(result.rule_total),
        "grade": result.grade,
        # The rule score of each 三级 row, in the order of the scorecard's indicators.
        "rule_scores": [decimal_text(result.indicators[row.ref].score) for row in scorecard.indicators],
    }


def results(report: Report, pack: RulePack) -> dict:
    att1 = attachment1_computed(report, pack)
    return {
        "attachment1": {
            "control_rate": decimal_text(att1.control_rate),
            "sums": {
                code: {column: decimal_text(getattr(sums, column)) for column in AMOUNT_COLUMNS}
                for code, sums in att1.sums.items()
            },
            "buildings": [
                {
                    "area_rate": decimal_text(att1.buildings[row.ref].area_rate),
                    "investment_rate": decimal_text(att1.buildings[row.ref].investment_rate),
                }
                for row in report.buildings
            ],
        },
        "attachment2": _card(report.department_scorecard, pack) if report.department_scorecard else None,
        "attachment3": [_card(card, pack) for card in report.project_scorecards],
        "findings": [
            {"code": f.code, "severity": f.severity, "place": f.place.label, "message": f.message}
            for f in check_report(report, pack)
        ],
    }


# What the open-data JSON has carried under "computed" since perfeval.report/1; the other figures are for the
# page and the PDF.
_PAGE_ONLY = {"attachment1": ("sums",), "card": ("rule_scores",)}


def open_data_results(computed: dict) -> dict:
    """``computed`` as the open-data JSON publishes it (README)."""

    def card(value):
        return value and {k: v for k, v in value.items() if k not in _PAGE_ONLY["card"]}

    att1 = computed["attachment1"]
    return {
        **computed,
        "attachment1": {k: v for k, v in att1.items() if k not in _PAGE_ONLY["attachment1"]},
        "attachment2": card(computed["attachment2"]),
        "attachment3": [card(value) for value in computed["attachment3"]],
    }


def is_complete(computed: dict | None) -> bool:
    """Whether ``computed`` holds every figure of :func:`results` (a perfeval.snapshot/1 holds the open-data
    subset only)."""
    return bool(computed) and "sums" in computed["attachment1"]


@dataclass(frozen=True)
class KeyFigures:
    total_score: Decimal | None  # 总分 (附件2 Σ得分)
    grade: str  # 等级 of the 总分; "" when there is no 附件2
    execution_rate: Decimal | None  # 执行率, percent; None when its denominator is blank or 0
    budget_initial: Decimal | None  # 年初预算数 (附件2 年度资金总额)
    budget_full_year: Decimal | None  # 全年预算数
    executed: Decimal | None  # 全年执行数
    sangong: Decimal | None  # 三公经费 决算数 (the sum of its rows)


FIGURE_NAMES = tuple(f.name for f in fields(KeyFigures))
NO_FIGURES = KeyFigures(None, "", None, None, None, None, None)


def _card_figures(card: dict, sangong: Decimal | None) -> KeyFigures:
    """The figures of one scorecard's computed figures (附件2, or a project-only filing's one table)."""
    funds = card.get("funds_total") or {}
    return KeyFigures(
        total_score=to_decimal(card.get("self_total")),
        grade=card.get("grade") or "",
        execution_rate=to_decimal(card.get("execution_rate")),
        budget_initial=to_decimal(funds.get("initial")),
        budget_full_year=to_decimal(funds.get("full_year")),
        executed=to_decimal(funds.get("executed")),
        sangong=sangong,
    )


def _project_filing_figures(cards: list[dict]) -> KeyFigures:
    """A project-only filing: its one table's figures; with several tables, the sums of their money (several
    tables have no one score, rate or grade)."""
    if len(cards) == 1:
        return _card_figures(cards[0], None)

    def total(column):
        values = [to_decimal((card.get("funds_total") or {}).get(column)) for card in cards]
        return None if not values or None in values else sum(values, Decimal(0))

    return KeyFigures(None, "", None, total("initial"), total("full_year"), total("executed"), None)


def key_figures_of(computed: dict | None, kind: str | None = None) -> KeyFigures:
    """The key figures of a report of ``kind`` (the payload's), read from its computed figures (:func:`results`,
    or as frozen at approval): the portal's columns and the 主管部门's side-by-side table."""
    if computed is None:
        return NO_FIGURES
    if kind == PROJECT_FILING:
        return _project_filing_figures(computed.get("attachment3") or [])
    sangong = to_decimal(((computed["attachment1"].get("sums") or {}).get("sangong") or {}).get("final"))
    card = computed.get("attachment2")
    if not card:
        return KeyFigures(None, "", None, None, None, None, sangong)
    return _card_figures(card, sangong)
