"""The key figures of a published report: the one place the portal reads them from a public version."""

from dataclasses import dataclass, fields
from decimal import Decimal

from perfeval.excel.payload import payload_to_data
from perfeval.filing.models import RulePack
from perfeval.publishing.models import PublishedVersion
from perfeval.rules import scoring


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


def _from_payload(payload: dict, pack) -> KeyFigures:
    plain = payload_to_data(payload)
    sangong = scoring.attachment1_computed(plain).sums["sangong"].final
    card = plain.department_scorecard
    if card is None or pack is None:
        return KeyFigures(None, "", None, None, None, None, sangong)
    result = scoring.scorecard_result(card, pack)
    return KeyFigures(
        total_score=result.self_total,
        grade=result.grade,
        execution_rate=result.execution.rate,
        budget_initial=result.funds.initial,
        budget_full_year=result.funds.full_year,
        executed=result.funds.executed,
        sangong=sangong,
    )


def key_figures(version: PublishedVersion, *, packs: dict | None = None) -> KeyFigures:
    """总分, 等级, 执行率, 年初/全年预算数, 执行数 and 三公 of a public version, computed by the rules from its
    open data with the rule pack it names. ``packs`` caches the packs over a batch.

    When approval freezes the computed results with the payload, this is the function to point at them. It
    reads only the version's own fields (and the pack cache): rebuild runs it in worker processes that have
    no database connection, with the packs resolved beforehand."""
    payload = version.public_data
    return _from_payload(payload, rule_pack_for(payload, {} if packs is None else packs))
