"""The key figures of a published report: the one place the portal reads them from a public version."""

from perfeval.filing.models import RulePack
from perfeval.publishing.models import PublishedVersion
from perfeval.rules.payload import report_data
from perfeval.rules.results import FIGURE_NAMES, NO_FIGURES, KeyFigures, is_complete, key_figures_of, results

__all__ = ["FIGURE_NAMES", "KeyFigures", "key_figures", "rule_pack_for"]


def rule_pack_for(payload: dict, packs: dict):
    """The RulePack (rules) a payload names, or None; ``packs`` caches them over a batch."""
    ref = payload.get("rule_pack") or {}
    key = (ref.get("code"), ref.get("version"))
    if key not in packs:
        stored = RulePack.objects.filter(code=key[0], version=key[1]).first()
        packs[key] = stored.rules() if stored else None
    return packs[key]


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
        return NO_FIGURES
    return key_figures_of(computed)
