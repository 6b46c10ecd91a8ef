"""Old → new between two open-data payloads: the one diff behind the import preview, 退回后的修改 and
与上年比较. It reads payloads only (a stored report's comes from ``opendata.export_report``) and names every
place with the labels of :mod:`perfeval.rules.labels`.

Rows of a free list (专项, 楼堂馆所, projects, 三级指标) are matched by name, so a row added or removed shows
as one 「有 → 无」 change plus its figures, and reordering rows changes nothing.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from perfeval.rules import catalogue, labels
from perfeval.rules.packs import RulePack

BLANK = "（空）"
PRESENT, ABSENT = "有", "无"


@dataclass(frozen=True)
class Change:
    place: str  # the field's path in the payload, e.g. "attachment1.expenses.sangong.final"
    label: str  # 「附件1 · 三公经费 · 2023年决算数」
    old: str
    new: str


def diff_payloads(old: dict, new: dict, pack: RulePack | None = None) -> list[Change]:
    """Every figure or text that differs, in the order of the tables of ``new`` (fields only ``old`` has come
    last). Column headers carry the year of ``new``; ``pack`` names the 二级指标 (its keys otherwise)."""
    year = new.get("year") or old.get("year")
    level2 = {child.key: child.label for level in pack.skeleton for child in level.children} if pack else {}
    before = {place: (label, value) for place, label, value in _fields(old, year, level2)}
    after = {place: (label, value) for place, label, value in _fields(new, year, level2)}
    changes = []
    for place in [*after, *(p for p in before if p not in after)]:
        label, now = after.get(place, (before.get(place, ("", None))[0], None))
        was = before.get(place, (label, None))[1]
        if PRESENT in (was, now):  # a row: there on one side only
            was, now = was or ABSENT, now or ABSENT
        if not _same(was, now):
            changes.append(Change(place, label, _show(was), _show(now)))
    return changes


def _same(a, b) -> bool:
    if a in (None, "", []) and b in (None, "", []):
        return True
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:  # "23.70" and "23.7" are one figure
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False
    return a == b


def _show(value) -> str:
    if value is None or value == "" or value == []:
        return BLANK
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


Field = tuple[str, str, object]  # (place, label, value)


def _fields(payload: dict, year: int, level2: dict[str, str]) -> Iterator[Field]:
    """Every figure and text of a payload that is content (not its status or whose it is); a payload may be
    partial (与上年比较 compares only what is carried forward): absent keys yield nothing."""
    if "cover_date" in payload:
        yield "cover_date", "封面 · 日期", payload["cover_date"]
    for key, value in (payload.get("text") or {}).items():
        if key in labels.TEXT_FIELDS:
            yield f"text.{key}", labels.text_field(key), value
    if "personnel_expense" in payload:
        yield "personnel_expense", labels.PERSONNEL_EXPENSE, payload["personnel_expense"]
    if "attachment1" in payload:
        yield from _attachment1(payload["attachment1"] or {}, year)
    if payload.get("attachment2") is not None:
        yield from _scorecard(payload["attachment2"], "attachment2", labels.scorecard_table(None), level2)
    for place, name, project in _named("projects", payload.get("projects")):
        table = labels.project(name)
        yield place, table, PRESENT
        for key, label in labels.PROJECT_COLUMNS.items():
            if key in project and key != "name":
                value = (
                    labels.CATEGORIES.get(project[key], project[key]) if key == "category" else project[key]
                )
                yield f"{place}.{key}", labels.join(table, label), value
        if project.get("attachment3") is not None:
            card_table = labels.scorecard_table(name)
            yield f"{place}.attachment3", card_table, PRESENT
            yield from _scorecard(project["attachment3"], f"{place}.attachment3", card_table, level2)
    footer = payload.get("footer") or {}
    for key, label in labels.FOOTER.items():
        if key in footer:
            yield f"footer.{key}", labels.join("表尾", label), footer[key]


def _named(place: str, rows) -> Iterator[tuple[str, str, dict]]:
    """(place, shown name, row) of a free list; a repeated name is told apart by its occurrence."""
    seen: dict[str, int] = {}
    for row in rows or ():
        name = row.get("name") or "（未命名）"
        seen[name] = seen.get(name, 0) + 1
        shown = name if seen[name] == 1 else f"{name}（第{seen[name]}个）"
        yield f"{place}[{shown}]", shown, row


def _attachment1(att1: dict, year: int) -> Iterator[Field]:
    for key in ("staff_quota", "staff_actual"):
        if key in att1:
            yield (
                f"attachment1.{key}",
                labels.join("附件1", labels.column(labels.STAFF[key], year)),
                att1[key],
            )
    if "reported_control_rate" in att1:
        label = labels.join("附件1", labels.REPORTED["reported_control_rate"])
        yield "attachment1.reported_control_rate", label, att1["reported_control_rate"]
    expenses = att1.get("expenses") or {}
    for item in catalogue.EXPENSE_ITEMS:
        for column, header in labels.AMOUNT_COLUMNS.items():
            values = expenses.get(item.code) or {}
            if column in values:
                label = labels.join("附件1", item.label, labels.column(header, year))
                yield f"attachment1.expenses.{item.code}.{column}", label, values[column]
    for place, name, row in _named("attachment1.special_rows", att1.get("special_rows")):
        table = labels.join("附件1", f"专项「{name}」")
        yield place, table, PRESENT
        for column, header in labels.AMOUNT_COLUMNS.items():
            if column in row:
                yield f"{place}.{column}", labels.join(table, labels.column(header, year)), row[column]
    for place, name, row in _named("attachment1.buildings", att1.get("buildings")):
        table = labels.join("附件1", f"楼堂馆所「{name}」")
        yield place, table, PRESENT
        for column, header in labels.BUILDING_COLUMNS.items():
            if column in row and column != "name":
                yield (
                    f"{place}.{column}",
                    labels.join(table, labels.REPORTED.get(column, header)),
                    row[column],
                )
    if "frugality_measures" in att1:
        yield (
            "attachment1.frugality_measures",
            labels.join("附件1", labels.FRUGALITY),
            att1["frugality_measures"],
        )


def _scorecard(card: dict, place: str, table: str, level2: dict[str, str]) -> Iterator[Field]:
    for key, label in labels.SCORECARD_TEXTS.items():
        if key in card:
            yield f"{place}.{key}", labels.join(table, label), card[key]
    for source, line in (card.get("funds") or {}).items():
        for column, header in labels.FUND_COLUMNS.items():
            label = labels.join(table, labels.FUND_ROWS.get(source, source), header)
            yield f"{place}.funds.{source}.{column}", label, (line or {}).get(column)
    for key, label in (labels.INCOME | labels.NATURE | labels.REVENUE).items():
        if key in card:
            yield f"{place}.{key}", labels.join(table, label), card[key]
    for key in labels.SCORECARD_REPORTED:
        if key in card:
            yield f"{place}.{key}", labels.join(table, labels.REPORTED[key]), card[key]
    if "not_applicable" in card:
        shown = sorted(level2.get(key, key) for key in card["not_applicable"] or ())
        yield f"{place}.not_applicable", labels.join(table, "不适用的二级指标"), shown
    for row_place, name, row in _named(f"{place}.indicators", card.get("indicators")):
        row_label = labels.join(table, name)
        yield row_place, row_label, PRESENT
        yield (
            f"{row_place}.level2",
            labels.join(row_label, "二级指标"),
            level2.get(row.get("level2"), row.get("level2")),
        )
        for column, header in labels.INDICATOR_COLUMNS.items():
            value = row.get(column)
            value = labels.OPERATORS.get(value, value) if column == "operator" else value
            value = labels.QUAL_BANDS.get(value, value) if column == "qual_band" else value
            yield f"{row_place}.{column}", labels.join(row_label, header), value
