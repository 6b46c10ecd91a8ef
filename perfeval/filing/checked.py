"""A report's checks and computed figures, worked out once per report version and rule pack and kept in Django's
cache (the database cache by default, shared by every process and server), split by part so that a page reads
only its own.

Every write moves a report's version on (``locking.claim_version``, the workflow's and the import's updates),
and the rule pack is keyed by its content, as the admin may edit it in place: a key never names stale results,
so nothing is ever invalidated. The first page that asks for a version pays for the whole report once (every
part at once, since the checks read across parts); every later page, on any server, reads its part.
"""

import copy
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from perfeval import caching
from perfeval.filing.models import Report
from perfeval.rules.checks import Finding, check_report
from perfeval.rules.payload import report_data
from perfeval.rules.scoring import Att1Computed, ScorecardResult, attachment1_computed, scorecard_result

TIMEOUT = 7 * 24 * 60 * 60


@dataclass(frozen=True)
class Index:
    """What every page of a report needs whatever its part: the counts for the tabs, the tables with findings
    (in check order), 附件2's scorecard id, and each 附件3's project (id, name) by scorecard id in project
    order, for links and titles."""

    errors: int
    warnings: int
    tables: tuple[str, ...]
    department_card: str | None
    cards: dict[str, tuple[int, str]]


@dataclass(frozen=True)
class Totals:
    """A scorecard's computed totals, as the overview lists them."""

    execution_rate: Decimal | None
    execution_score: Decimal | None
    self_total: Decimal
    rule_total: Decimal | None
    grade: str


def _pack_digest(pack) -> str:
    """The rule pack's content as a short digest, once per pack object (the row is loaded once a request)."""
    digest = getattr(pack, "_checked_digest", None)
    if digest is None:
        text = json.dumps(pack.definition, sort_keys=True, default=str)
        digest = pack._checked_digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return digest


def version_key(report: Report) -> str:
    """The cache key prefix of the report's version and rule pack: what is cached under it never goes stale."""
    pack = report.period.rule_pack
    return f"perfeval:checked:{report.pk}:{report.version}:{pack.pk}:{_pack_digest(pack)}"


def _work_out(report: Report) -> dict[str, object]:
    """Every cached value of the report's current version, by key suffix. Loads the whole report."""
    from perfeval.filing.parts import reports_with_parts

    return work_out_loaded(reports_with_parts().get(pk=report.pk))


def work_out_loaded(full: Report, *, keep: bool = True) -> dict[str, object]:
    """Every value of a report loaded whole (``parts.reports_with_parts``), worked out — and kept for its
    version unless ``keep`` is False — by key suffix: what a batch of reports (the dashboard's summaries)
    reads, like any page, from here. A batch keeps nothing: storing a thousand reports' values in the shared
    cache, key by key, cost a cold dashboard seven times its checks."""
    from perfeval.filing.opendata import export_report
    from perfeval.filing.parts import department_scorecard, project_scorecards
    from perfeval.filing.presentation import derived_paragraphs

    pack = full.period.rule_pack.rules()
    payload = export_report(full, refs=True)
    plain = report_data(payload)
    findings = check_report(plain, pack)
    by_table: dict[str, list[Finding]] = {}
    for finding in findings:
        by_table.setdefault(finding.place.table, []).append(finding)
    department = department_scorecard(full)
    cards = {str(card.pk): (card.project_id, card.project.name) for card in project_scorecards(full)}
    index = Index(
        errors=sum(1 for f in findings if f.severity == "error"),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        tables=tuple(by_table),
        department_card=str(department.pk) if department else None,
        cards=cards,
    )
    values: dict[str, object] = {
        "index": index,
        "att1": attachment1_computed(plain, pack),
        "paragraphs": derived_paragraphs(payload),
    }
    values.update({f"t:{table}": items for table, items in by_table.items()})
    plain_cards = (plain.department_scorecard,) if plain.department_scorecard else ()
    totals = {}
    for card in plain_cards + plain.project_scorecards:
        result = values[f"card:{card.ref}"] = scorecard_result(card, pack)
        totals[card.ref] = Totals(
            result.execution.rate, result.execution.score, result.self_total, result.rule_total, result.grade
        )
    values["totals"] = totals
    # Each part's payload as exported (the one shape, with row refs): a live recompute puts what is typed into it.
    values["payload:att1"] = payload["attachment1"]
    for card in [payload["attachment2"], *(p["attachment3"] for p in payload["projects"])]:
        if card:
            values[f"payload:{card['ref']}"] = card
    # The version the values belong to: the report may have moved on since the caller loaded it.
    prefix = version_key(full)
    if keep:
        caching.keep_many({f"{prefix}:{suffix}": value for suffix, value in values.items()}, TIMEOUT)
    return values


def _read(report: Report, suffixes: list[str]) -> dict[str, object]:
    """The values of ``suffixes`` for the report's version, each read once per report object; all are worked
    out again if one is missing (the cache may have dropped it)."""
    cached = report.__dict__.setdefault("_checked", {})
    wanted = [s for s in dict.fromkeys(["index", *suffixes]) if s not in cached]
    if wanted:
        prefix = version_key(report)
        found = {
            key[len(prefix) + 1 :]: value
            for key, value in caching.read_many([f"{prefix}:{s}" for s in wanted]).items()
        }
        if any(s not in found for s in wanted):
            found = _work_out(report)
        cached.update({s: found.get(s) for s in wanted})
    return cached


def index(report: Report) -> Index:
    return _read(report, [])["index"]


def findings(report: Report, tables=None) -> list[Finding]:
    """The findings of ``tables`` (None: every table), in check order; a table without findings has no key."""
    shown = [t for t in index(report).tables if tables is None or t in tables]
    values = _read(report, [f"t:{t}" for t in shown])
    return [finding for table in shown for finding in values[f"t:{table}"]]


def report_findings(report: Report) -> list[Finding]:
    """Every finding of check_report for the report's version."""
    return findings(report)


def scorecard_results(report: Report, refs: list[str]) -> dict[str, ScorecardResult]:
    """Each scorecard's rule result (execution, rule scores, totals, grade) by scorecard id."""
    values = _read(report, [f"card:{ref}" for ref in refs])
    return {ref: values[f"card:{ref}"] for ref in refs}


def scorecard_totals(report: Report) -> dict[str, Totals]:
    """Every scorecard's totals by scorecard id, without the rows' rule scores."""
    return _read(report, ["totals"])["totals"]


def part_payload(report: Report, part: str) -> dict | None:
    """The payload of one part of the report's version — ``"att1"`` or a scorecard's id — as ``export_report``
    gives it with row refs: a copy of its own, for a live recompute to put what is typed into. None: no such
    scorecard in this version."""
    key = f"payload:{part}"
    value = caching.read(
        f"{version_key(report)}:{key}"
    )  # a fresh copy: values that are not texts are pickled
    if value is None:
        value = copy.deepcopy(_read(report, [key])[key])
    return value


def attachment1_results(report: Report) -> Att1Computed:
    return _read(report, ["att1"])["att1"]


def derived_paragraphs(report: Report) -> dict[str, list[str]]:
    """The sentences of each 正文 section that the document prints from the tables (``presentation``)."""
    return _read(report, ["paragraphs"])["paragraphs"]
