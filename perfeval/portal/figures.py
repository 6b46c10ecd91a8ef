"""The key figures of a published report: the one place the portal reads them from a public version."""

from dataclasses import dataclass, fields
from decimal import Decimal

from perfeval.filing.models import RulePack
from perfeval.publishing.models import PublishedVersion
from perfeval.rules.catalogue import PROJECT_FILING
from perfeval.rules.payload import report_data, to_decimal
from perfeval.rules.results import is_complete, results


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


def rule_pack_for(payload: dict, packs: dict):
    """The RulePack (rules) a payload names, or None; ``packs`` caches them over a batch."""
    ref = payload.get("rule_pack") or {}
    key = (ref.get("code"), ref.get("version"))
    if key not in packs:
        stored = RulePack.objects.filter(code=key[0], version=key[1]).first()
        packs[key] = stored.rules() if stored else None
    return packs[key]


def _card_figures(card: dict, sangong: Decimal | None) -> KeyFigures:
    """The figures of one scorecard's ``computed`` (附件2, or a project-only filing's one table)."""
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


def key_figures(version: PublishedVersion, *, packs: dict | None = None) -> KeyFigures:
    """总分, 等级, 执行率, 年初/全年预算数, 执行数 and 三公 of a public version: the figures frozen at approval
    (its ``computed``, perfeval/rules/results.py), never computed again. A version frozen before 附件1's sums
    were kept (perfeval.snapshot/1) has them computed by the rules from its payload with the rule pack it names;
    ``packs`` caches the packs over a batch.

    It reads only the version's own fields and the pack cache: rebuild runs it in worker processes that have no
    database connection, with the packs resolved beforehand."""
    payload = version.public_data
    computed = payload.get("computed")
    if not is_complete(computed):
        pack = rule_pack_for(payload, {} if packs is None else packs)
        computed = results(report_data(payload), pack) if pack is not None else None
    if computed is None:
        return KeyFigures(None, "", None, None, None, None, None)
    sangong = to_decimal(((computed["attachment1"].get("sums") or {}).get("sangong") or {}).get("final"))
    card = computed.get("attachment2")
    if payload.get("kind") == PROJECT_FILING:
        return _project_filing_figures(computed.get("attachment3") or [])
    if not card:
        return KeyFigures(None, "", None, None, None, None, sangong)
    return _card_figures(card, sangong)
