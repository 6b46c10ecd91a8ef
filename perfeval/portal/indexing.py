"""Publication feeds the portal: the key figures and the narrative texts of each public version.

``index_version`` runs in the publishing transaction (a post_save hook registered by PortalConfig.ready), so a
version is listed and searchable exactly when it exists; ``rebuild`` redoes everything in batches.
"""

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction

from perfeval.filing.models import Report
from perfeval.portal.figures import FIGURE_NAMES, KeyFigures, key_figures, rule_pack_for
from perfeval.portal.models import NarrativeText, PublishedFigures
from perfeval.publishing.models import PublishedVersion
from perfeval.rules import catalogue
from perfeval.rules.payload import section_texts
from perfeval.rules.similarity import BANDS, fingerprint

STATE_CACHE_KEY = "portal:state"  # the public pages' view of the index (portal/views.py: _state)
BAND_FIELDS = tuple(f"band{i}" for i in range(BANDS))


@dataclass(frozen=True)
class TextUnit:
    place: str  # "s7", "att2-3", "p0-3"
    label: str  # where a reader finds it
    text: str


def narrative_units(payload: dict) -> list[TextUnit]:
    """Each 正文 section and each 偏差原因分析及改进措施 of an open-data payload, in document order."""
    projects = payload.get("projects") or []
    sections = section_texts(payload)
    units = [TextUnit(key, f"正文 {title}", sections.get(key) or "") for key, title in catalogue.SECTIONS]

    def reasons(card, place: str, where: str):
        for index, row in enumerate((card or {}).get("indicators") or []):
            if row.get("deviation_reason"):
                name = row.get("name") or f"第 {index + 1} 行"
                units.append(
                    TextUnit(
                        f"{place}-{index}",
                        f"{where} · {name} · 偏差原因分析及改进措施",
                        row["deviation_reason"],
                    )
                )

    reasons(payload.get("attachment2"), "att2", "附件2")
    for p, project in enumerate(projects):
        reasons(project.get("attachment3"), f"p{p}", f"附件3「{project.get('name') or ''}」")
    return units


TEXT_COLUMNS = ("report_id", "number", "department_code", "department_name", "year", "place", "label", "text",
                "signature", *BAND_FIELDS)  # fmt: skip


def text_entries(payload: dict) -> list[tuple]:
    """(place, label, text, packed signature, *band keys) of each text long enough to judge."""
    entries = []
    for unit in narrative_units(payload):
        found = fingerprint(unit.text)
        if found is not None:
            entries.append((unit.place, unit.label[:300], unit.text, found.packed, *found.bands))
    return entries


def analyse(versions: list[PublishedVersion], packs: dict) -> list[tuple[KeyFigures, list[tuple]]]:
    """Key figures and text entries of versions whose rule packs are in ``packs``: no database access, so
    rebuild runs it in worker processes."""
    return [(key_figures(v, packs=packs), text_entries(v.public_data)) for v in versions]


def _meta(version: PublishedVersion) -> tuple:
    return (version.report_id, version.number, version.department_code, version.department_name, version.year)


def text_values(version: PublishedVersion) -> list[tuple]:
    """The NarrativeText rows of a version as plain tuples (TEXT_COLUMNS): a season is 150,000 rows, and
    building a model instance for each would cost more than fingerprinting it."""
    return [(*_meta(version), *entry) for entry in text_entries(version.public_data)]


def insert_texts(rows: list[tuple]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(NarrativeText._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(NarrativeText._meta.get_field(c).column) for c in TEXT_COLUMNS
    )
    placeholders = ", ".join(["%s"] * len(TEXT_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def figures_row(version: PublishedVersion, figures: KeyFigures, bureau: str = "") -> PublishedFigures:
    """``bureau``: the code of the finance bureau whose period the report was filed in (the portal's filter)."""
    return PublishedFigures(
        report_id=version.report_id,
        bureau=bureau,
        version=version,
        number=version.number,
        department_code=version.department_code,
        department_name=version.department_name,
        year=version.year,
        public_date=version.public_date,
        **{name: getattr(figures, name) for name in FIGURE_NAMES},
    )


UPDATE_FIELDS = ["version", "number", "department_name", "public_date", "bureau", *FIGURE_NAMES, "indexed_at"]


def _store(versions: list[PublishedVersion], results: list[tuple[KeyFigures, list[tuple]]]) -> None:
    bureaus = dict(
        Report.objects.filter(pk__in=[v.report_id for v in versions]).values_list(
            "pk", "period__bureau__code"
        )
    )
    PublishedFigures.objects.bulk_create(
        [
            figures_row(v, figures, bureaus.get(v.report_id) or "")
            for v, (figures, _) in zip(versions, results, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["report"],
        update_fields=UPDATE_FIELDS,
    )
    cache.delete(STATE_CACHE_KEY)
    NarrativeText.objects.filter(report_id__in=[v.report_id for v in versions]).delete()
    insert_texts(
        [(*_meta(v), *entry) for v, (_, entries) in zip(versions, results, strict=True) for entry in entries]
    )


def index_version(version: PublishedVersion) -> None:
    """List a new public version and replace its report's texts in the copy index (an older version never
    replaces a newer one)."""
    newer = PublishedFigures.objects.filter(report_id=version.report_id, number__gt=version.number).exists()
    if not newer:
        _store([version], analyse([version], {}))


def on_version_saved(sender, instance: PublishedVersion, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        index_version(instance)


@transaction.atomic
def rebuild(*, batch: int = 200, workers: int | None = None) -> int:
    """Empty both indexes and index the latest public version of every report again; returns the count.

    The rules and the fingerprints are CPU work on plain data: worker processes (one per core) do it while
    this process reads the next batch and writes the last."""
    PublishedFigures.objects.all().delete()
    NarrativeText.objects.all().delete()
    band_indexes = [
        index for index in NarrativeText._meta.indexes if index.name.startswith("portal_text_band")
    ]
    _drop_indexes(band_indexes)
    latest: dict[int, tuple[int, int]] = {}
    for pk, report_id, number in PublishedVersion.objects.values_list("pk", "report_id", "number"):
        if number > latest.get(report_id, (0, 0))[1]:
            latest[report_id] = (pk, number)
    pks = sorted(pk for pk, _ in latest.values())
    workers = workers or os.cpu_count() or 1
    packs: dict = {}
    fields = (
        "report_id",
        "number",
        "department_code",
        "department_name",
        "year",
        "public_date",
        "public_data",
    )

    def batches():
        for start in range(0, len(pks), batch):
            versions = list(PublishedVersion.objects.filter(pk__in=pks[start : start + batch]).only(*fields))
            for version in versions:
                rule_pack_for(version.public_data, packs)  # resolved here, where the database is
            yield versions

    if workers < 2 or len(pks) <= batch:
        for versions in batches():
            _store(versions, analyse(versions, packs))
    else:
        # fork: the children inherit the loaded code and never touch the database connection.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = deque()
            for versions in batches():
                pending.append((versions, pool.submit(analyse, versions, dict(packs))))
                if len(pending) > 2 * workers:
                    done_versions, future = pending.popleft()
                    _store(done_versions, future.result())
            for done_versions, future in pending:
                _store(done_versions, future.result())
    _create_indexes(band_indexes)
    return len(pks)


# One B-tree built from sorted data costs less than 150,000 random insertions into each of twenty. Plain SQL,
# the same on SQLite and PostgreSQL (the SQLite schema editor refuses to run inside a transaction).
def _drop_indexes(indexes) -> None:
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index.name)}")


def _create_indexes(indexes) -> None:
    table = connection.ops.quote_name(NarrativeText._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL builds no index on a table with deferred foreign-key checks pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for index in indexes:
            columns = ", ".join(
                connection.ops.quote_name(NarrativeText._meta.get_field(name).column) for name in index.fields
            )
            cursor.execute(f"CREATE INDEX {connection.ops.quote_name(index.name)} ON {table} ({columns})")
