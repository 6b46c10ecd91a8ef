"""Copied narrative: each 正文 section and each 偏差原因分析及改进措施 of a report against the published texts
of the same department's earlier years and of other departments' reports of the same year.

Only published texts are in the index (NarrativeText), so a draft is compared with them but never shown to
anyone else. The threshold is the rule pack's ``copy_threshold``.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q

from perfeval.filing.models import Report
from perfeval.filing.opendata import export_report
from perfeval.portal.indexing import BAND_FIELDS, TextUnit, narrative_units
from perfeval.portal.models import Kind, NarrativeText
from perfeval.rules.checks import WARNING, Finding, Place
from perfeval.rules.similarity import (
    Fingerprint,
    Segment,
    fingerprint,
    jaccard,
    likely_similar,
    normalise,
    shingles,
    side_by_side,
    unpack_signature,
)

MATCHES_PER_TEXT = 3
SAME_YEAR, EARLIER_YEAR = "same_year", "earlier_year"


@dataclass(frozen=True)
class CopyMatch:
    unit: TextUnit
    other: NarrativeText
    similarity: Decimal
    relation: str  # SAME_YEAR (another department) | EARLIER_YEAR (the same department)

    @property
    def other_name(self) -> str:
        what = "年度报告" if self.other.kind == Kind.DEPARTMENT else "年度项目支出绩效自评"
        return f"{self.other.department_name}（{self.other.department_code}）{self.other.year} {what}"

    def segments(self) -> tuple[list[Segment], list[Segment]]:
        return side_by_side(self.unit.text, self.other.text)


def find_copies(
    payload: dict, *, department_code: str, year: int, threshold: Decimal, report_id: int | None = None
) -> list[CopyMatch]:
    """Matches at or above ``threshold``, best first within each text, in document order. Two queries: the
    candidates' bands and signatures (same year, earlier years), then the texts of the few whose signature
    comes near the threshold."""
    prints: list[tuple[TextUnit, Fingerprint]] = []
    for unit in narrative_units(payload):
        found = fingerprint(unit.text)
        if found is not None:
            prints.append((unit, found))
    if not prints:
        return []
    # One query: other departments of the same year, a row a candidate when any of its bands equals the same
    # band of a text (one IN list per (band, year) index), and the department's own earlier years (a few rows,
    # all read).
    bands = reduce(
        or_, (Q(**{f"{name}__in": {p.bands[i] for _, p in prints}}) for i, name in enumerate(BAND_FIELDS))
    )
    candidates = NarrativeText.objects.filter(
        (bands & Q(year=year) & ~Q(department_code=department_code))
        | Q(department_code=department_code, year__lt=year)
    )
    if report_id is not None:
        candidates = candidates.exclude(report_id=report_id)
    columns = ("pk", "signature", *BAND_FIELDS)
    # For each band, which texts of this report have which key: a candidate row is looked up, not scanned.
    wanted: list[dict[int, list[int]]] = [{} for _ in BAND_FIELDS]
    for n, (_, found) in enumerate(prints):
        for i, key in enumerate(found.bands):
            wanted[i].setdefault(key, []).append(n)
    near: list[set[int]] = [set() for _ in prints]
    for pk, sig, *keys in candidates.values_list(*columns):
        units = {n for i, key in enumerate(keys) for n in wanted[i].get(key, ())}
        if units:
            other = unpack_signature(sig)
            for n in units:
                if likely_similar(prints[n][1].signature, other, threshold):
                    near[n].add(pk)
    pairs = [(unit, found, sorted(near[n])) for n, (unit, found) in enumerate(prints) if near[n]]
    if not pairs:
        return []
    rows = NarrativeText.objects.defer("signature", *BAND_FIELDS).in_bulk(
        {pk for *_, pks in pairs for pk in pks}
    )
    other_shingles = {pk: frozenset(shingles(normalise(row.text))) for pk, row in rows.items()}
    matches = []
    for unit, found, pks in pairs:
        scored = []
        for pk in pks:
            similarity = jaccard(found.shingles, other_shingles[pk])
            if similarity >= threshold:
                row = rows[pk]
                relation = EARLIER_YEAR if row.department_code == department_code else SAME_YEAR
                scored.append(CopyMatch(unit, row, similarity, relation))
        scored.sort(key=lambda m: (-m.similarity, m.other.year, m.other.department_code, m.other.place))
        matches.extend(scored[:MATCHES_PER_TEXT])
    return matches


def report_copies(report: Report) -> list[CopyMatch]:
    """The matches of a stored report (any status), loaded with reports_with_parts."""
    return find_copies(
        export_report(report),
        department_code=report.department.code,
        year=report.period.year,
        threshold=report.period.rule_pack.rules().copy_threshold,
        report_id=report.pk,
    )


def copy_findings(report: Report) -> list[Finding]:
    """The matches as findings for check_report (registered by PortalConfig.ready)."""
    findings = []
    for match in report_copies(report):
        other = match.other
        findings.append(
            Finding(
                code="TEXT_COPIED",
                severity=WARNING,
                place=Place("copies", match.unit.place, "", match.unit.label),
                message=(
                    f"与 {other.department_code} {other.year} 年度报告（{other.department_name}）"
                    f"{other.label}的文字相似度 {match.similarity}（阈值见规则包）"
                ),
            )
        )
    return findings
