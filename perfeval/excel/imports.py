"""Read the official workbook back into the open-data payload, merged over the report's current payload.

Rows are found by their labels, not fixed row numbers, so the blank template, our export and a workbook with
inserted 专项 / 楼堂馆所 / 三级指标 rows all read. Every unreadable cell is collected as ``sheet!cell：reason``;
the caller writes nothing unless the list is empty.

An empty cell means "not given", never "clear it": the report's value stays (a carried 编制数 32 survives the
blank template). Likewise a 二级指标 with no rows in the sheet keeps the report's rows, and a list (专项,
楼堂馆所) with no rows keeps the report's. Clearing is done on the edit pages.

Computed cells (grey, layout.COMPUTED_FILL) are never read. In a workbook of other origin a figure in a computed
place is the printed figure (原填报值), kept only when it is a number that differs from what the system computes
(_settle_reported); a 0 where the system computes nothing (its operands blank) is a template placeholder.
"""

import copy
import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from perfeval.excel import layout
from perfeval.excel.safety import ReadBudget, UnsafeFile
from perfeval.filing.bounds import bound, problem
from perfeval.filing.models import SIGNED_EXPENSE_ITEM
from perfeval.rules import catalogue, scoring
from perfeval.rules.decimals import decimal_text, quantize
from perfeval.rules.packs import RulePack
from perfeval.rules.parsing import resolve_actual, resolve_target
from perfeval.rules.payload import report_data, to_decimal

BLANK_MARKS = {"", "—", "——", "-", "－", "/"}
_SPACES = re.compile(r"\s+")
_WEIGHT_SUFFIX = re.compile(r"[（(]\s*[\d.]+\s*分\s*[）)]$")
_DATE = re.compile(r"(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?")


class WorkbookUnreadable(ValueError):
    """The file is not a workbook openpyxl can read (after safety.check_upload passed)."""


@dataclass
class ImportResult:
    payload: dict | None  # the merged payload, None when any cell is bad
    errors: list[str] = field(default_factory=list)


def given(value, current):
    """The cell's value, or the report's when the cell is empty ("" or None: not given)."""
    return current if value is None or value == "" else value


def normalize(value) -> str:
    return _SPACES.sub("", str(value or "")).replace(":", "：").rstrip("：")


class Sheet:
    """The non-empty cells of one worksheet, by (row, column), with their number formats."""

    def __init__(self, title: str, worksheet, budget: ReadBudget | None = None):
        from openpyxl.utils import get_column_letter

        self.title = title
        self.letter = get_column_letter
        self.values: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], str] = {}
        budget = budget or ReadBudget()
        if hasattr(worksheet, "reset_dimensions"):
            # Read-only sheets pad every row to the declared dimension; the real cells are all we want.
            worksheet.reset_dimensions()
        for row in worksheet.iter_rows():
            budget.check_time(title)
            for cell in row:
                budget.spend(title)
                value = getattr(cell, "value", None)
                if value is None or (isinstance(value, str) and not value.strip() and "\n" not in value):
                    continue
                if _is_computed(cell):
                    continue
                key = (cell.row, cell.column)
                self.values[key] = value
                self.formats[key] = getattr(cell, "number_format", "General") or "General"
        self.max_row = max((r for r, _ in self.values), default=0)

    def get(self, row: int, column: int):
        return self.values.get((row, column))

    def ref(self, row: int, column: int) -> str:
        return f"{self.title}!{self.letter(column)}{row}"

    def find(self, label: str, *, start: int = 1, end: int | None = None, column: int | None = None):
        """(row, column) of the first cell whose text is ``label`` (spaces and a trailing colon ignored)."""
        wanted = normalize(label)
        for (r, c), value in sorted(self.values.items()):
            if r < start or (end is not None and r > end) or (column is not None and c != column):
                continue
            if isinstance(value, str) and normalize(value) == wanted:
                return r, c
        return None

    def find_prefix(self, prefix: str, *, start: int = 1):
        wanted = normalize(prefix)
        for (r, c), value in sorted(self.values.items()):
            if r >= start and isinstance(value, str) and normalize(value).startswith(wanted):
                return r, c
        return None

    def row_columns(self, row: int) -> dict[str, int]:
        """The labels of one header row → their columns."""
        return {
            normalize(value): c
            for (r, c), value in self.values.items()
            if r == row and isinstance(value, str)
        }


def _is_computed(cell) -> bool:
    fill = getattr(cell, "fill", None)
    return fill is not None and fill.fill_type == "solid" and fill.fgColor.rgb == layout.COMPUTED_FILL


class Reader:
    """Cell readers that collect every problem instead of stopping at the first."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, sheet: Sheet, row: int, column: int, message: str) -> None:
        self.errors.append(f"{sheet.ref(row, column)}：{message}")

    def _number(self, sheet: Sheet, row: int, column: int, what: str = "数字") -> Decimal | None | str:
        value = sheet.get(row, column)
        if value is None:
            return None
        if isinstance(value, bool):
            self.error(sheet, row, column, f"「{value}」不是{what}")
            return "bad"
        if isinstance(value, int | float):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        elif isinstance(value, datetime | date):
            self.error(sheet, row, column, f"「{value}」是日期，不是{what}")
            return "bad"
        else:
            text = str(value).strip().replace(",", "").replace("，", "")
            if text in BLANK_MARKS:
                return None
            if text.startswith("="):
                self.error(sheet, row, column, f"「{text}」是公式，请填写数值")
                return "bad"
            try:
                number = Decimal(text)
            except InvalidOperation:
                self.error(sheet, row, column, f"「{value}」不是{what}")
                return "bad"
        if not number.is_finite():
            self.error(sheet, row, column, f"「{value}」不是{what}")
            return "bad"
        return number

    def bounded(self, sheet: Sheet, row: int, column: int, place: str, value, **kwargs) -> bool:
        """Whether ``value`` fits ``place`` (perfeval/filing/bounds.py); if not, the cell is named."""
        message = problem(place, value, **kwargs)
        if message is not None:
            self.error(sheet, row, column, message)
        return message is None

    def amount(self, sheet: Sheet, row: int, column: int, place: str, *, signed: bool = False) -> str | None:
        """A number within the bounds of ``place``, exactly as typed (6 decimals for an amount: the 分)."""
        number = self._number(sheet, row, column)
        if number is None or number == "bad":
            return None
        if isinstance(sheet.get(row, column), float) and abs(number) < 10**15:
            # A binary float may carry noise past the 15th digit (0.30000000000000004): not typed decimals.
            nearest = number.quantize(Decimal(1).scaleb(-6))
            if nearest != number and abs(number - nearest) < Decimal("1e-9"):
                number = nearest.normalize() if nearest else Decimal(0)
        if not self.bounded(sheet, row, column, place, number, signed=signed):
            return None
        return decimal_text(number)

    def count(self, sheet: Sheet, row: int, column: int, place: str) -> int | None:
        number = self._number(sheet, row, column, "整数")
        if number is None or number == "bad" or not self.bounded(sheet, row, column, place, number):
            return None
        return int(number)

    def percent(self, sheet: Sheet, row: int, column: int, place: str) -> Decimal | None:
        """A rate as printed: 1 with a % format, or the text "98%", → Decimal("100") / Decimal("98")."""
        value = sheet.get(row, column)
        if isinstance(value, str) and value.strip().endswith(("%", "％")):
            text = value.strip()[:-1]
            try:
                number = Decimal(text.strip())
            except InvalidOperation:
                self.error(sheet, row, column, f"「{value}」不是百分比")
                return None
        else:
            number = self._number(sheet, row, column, "百分比")
            if number is None or number == "bad":
                return None
            if "%" in sheet.formats.get((row, column), ""):
                number = number.scaleb(2)
        # A printed rate is compared and kept at 2 dp (_reported), so only its size is bounded here.
        return number if self.bounded(sheet, row, column, place, number, rounded=True) else None

    def text(self, sheet: Sheet, row: int, column: int, place: str | None = None) -> str:
        text = self._text(sheet, row, column)
        if place is not None:
            self.bounded(sheet, row, column, place, text)  # a refused text is named; the import then stops
        return text

    def _text(self, sheet: Sheet, row: int, column: int) -> str:
        value = sheet.get(row, column)
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return decimal_text(Decimal(repr(value)))
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    def date(self, sheet: Sheet, row: int, column: int) -> str | None:
        value = sheet.get(row, column)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        match = _DATE.fullmatch(str(value).strip())
        if match:
            try:
                return date(*(int(part) for part in match.groups())).isoformat()
            except ValueError:
                pass
        self.error(sheet, row, column, f"「{value}」不是日期（如 2024-04-23）")
        return None


# ---------------------------------------------------------------- sheets


def _sheet_kind(sheet: Sheet) -> str | None:
    first = normalize(sheet.get(1, 1))
    for kind, label in (("att1", "附件1"), ("att2", "附件2"), ("att3", "附件3")):
        if first == label:
            return kind
    title = normalize(sheet.get(2, 1))
    if title.endswith("基础数据表"):
        return "att1"
    if title.endswith("整体支出绩效自评表"):
        return "att2"
    if title.endswith("项目支出绩效自评表"):
        return "att3"
    for kind, label in (("att1", "附件1"), ("att2", "附件2"), ("att3", "附件3")):
        if normalize(sheet.title).startswith(label):
            return kind
    return None


def _footer(reader: Reader, sheet: Sheet) -> dict | None:
    found = sheet.find("填表人")
    if found is None:
        return None
    row = found[0]
    footer = {}
    for key, label in layout.FOOTER_FIELDS:
        position = sheet.find(label, start=row, end=row)
        if position is None:
            continue
        column = position[1] + 1
        footer[key] = (
            reader.date(sheet, row, column)
            if key == "fill_date"
            else reader.text(sheet, row, column, f"Report.{key}")
        )
        footer[f"{key}@"] = (row, column)
    return footer


def _amount_columns(sheet: Sheet, header_row: int, year: int) -> list[int]:
    columns = sheet.row_columns(header_row)
    fallback = (2, 4, 6)
    return [
        columns.get(normalize(label.format(year=year, prior_year=year - 1)), fallback[i])
        for i, (_, label) in enumerate(catalogue.EXPENSE_COLUMNS)
    ]


def _read_attachment1(reader: Reader, sheet: Sheet, year: int, current: dict) -> dict:
    att1 = copy.deepcopy(current.get("attachment1") or {})
    staff = sheet.find("编制数")
    if staff is None:
        reader.errors.append(f"{sheet.title}!：找不到「编制数」")
    else:
        row = staff[0]
        columns = sheet.row_columns(row)
        quota = reader.count(sheet, row + 1, staff[1], "Report.staff_quota")
        att1["staff_quota"] = given(quota, att1.get("staff_quota"))
        actual_col = columns.get(normalize(f"{year}年实际在职人数"), staff[1] + 2)
        actual = reader.count(sheet, row + 1, actual_col, "Report.staff_actual")
        att1["staff_actual"] = given(actual, att1.get("staff_actual"))
        att1["_control_rate"] = reader.percent(
            sheet, row + 1, columns.get("控制率", staff[1] + 4), "Report.reported_control_rate"
        )
    header = sheet.find(layout.ATT1_SECTION_EXPENSES, column=1)
    if header is None:
        reader.errors.append(f"{sheet.title}!A列：找不到「{layout.ATT1_SECTION_EXPENSES}」")
        return att1
    header_row = header[0]
    amount_columns = _amount_columns(sheet, header_row, year)
    rows: dict[str, int] = {}
    for item in catalogue.EXPENSE_ITEMS:
        found = sheet.find(item.label, start=header_row + 1, column=1)
        if found is None:
            reader.errors.append(f"{sheet.title}!A列：找不到「{item.label}」行")
            continue
        rows[item.code] = found[0]
    expenses = {}
    for item in catalogue.EXPENSE_ITEMS:
        if item.code not in rows:
            continue
        row = rows[item.code]
        values = {}
        old = (att1.get("expenses") or {}).get(item.code) or {}
        for (key, _), column in zip(catalogue.EXPENSE_COLUMNS, amount_columns, strict=True):
            if key == "prior_final" and not item.has_prior:
                values[key] = None
                continue
            number = reader.amount(
                sheet, row, column, f"ExpenseAmount.{key}", signed=item.code == SIGNED_EXPENSE_ITEM
            )
            values[key] = given(number, old.get(key))
        if item.code in (att1.get("expenses") or {}) or any(v is not None for v in values.values()):
            expenses[item.code] = values  # a row left blank that the report lacks stays absent
    att1["expenses"] = expenses
    if "special" in rows and "public" in rows:
        old_specials = {row.get("name"): row for row in att1.get("special_rows") or []}
        specials = []
        for row in range(rows["special"] + 1, rows["public"]):
            name = reader.text(sheet, row, 1, "SpecialRow.name").strip()
            amounts = {
                key: reader.amount(sheet, row, column, f"SpecialRow.{key}")
                for (key, _), column in zip(catalogue.EXPENSE_COLUMNS, amount_columns, strict=True)
            }
            if not name and all(v is None for v in amounts.values()):
                continue
            if not name:
                reader.error(sheet, row, 1, "专项名称为空")
            old = old_specials.get(name) or {}
            specials.append({"name": name, **{k: given(v, old.get(k)) for k, v in amounts.items()}})
        if specials:
            att1["special_rows"] = specials
    buildings_header = sheet.find_prefix("楼堂馆所控制情况", start=header_row)
    frugality = sheet.find(layout.ATT1_FRUGALITY, column=1)
    if buildings_header is None or frugality is None:
        reader.errors.append(f"{sheet.title}!A列：找不到「楼堂馆所控制情况」或「{layout.ATT1_FRUGALITY}」")
        return att1
    columns = sheet.row_columns(buildings_header[0])
    keys = ("approved_area", "actual_area", None, "budget_investment", "actual_investment", None)
    buildings = []
    for row in range(buildings_header[0] + 1, frugality[0]):
        record = {"name": reader.text(sheet, row, 1, "BuildingRow.name").strip()}
        rates = []
        for offset, (key, label) in enumerate(zip(keys, layout.BUILDING_HEADERS, strict=True)):
            column = columns.get(normalize(label), 2 + offset)
            if key is None:
                rates.append(reader.percent(sheet, row, column, "BuildingRow.reported_area_rate"))
            else:
                record[key] = reader.amount(sheet, row, column, f"BuildingRow.{key}")
        if (
            not record["name"]
            and all(record.get(k) is None for k in keys if k)
            and all(r is None for r in rates)
        ):
            continue
        record["_rates"] = rates
        previous = (current.get("attachment1") or {}).get("buildings") or []
        base = previous[len(buildings)] if len(buildings) < len(previous) else {}
        record["name"] = given(record["name"], base.get("name"))
        for key in keys:
            if key:
                record[key] = given(record[key], base.get(key))
        for key in ("reported_area_rate", "reported_investment_rate"):
            record[key] = base.get(key)
        buildings.append(record)
    if buildings:
        att1["buildings"] = buildings
    frugality_text = reader.text(sheet, frugality[0], 2, "Report.frugality_measures")
    att1["frugality_measures"] = given(frugality_text, att1.get("frugality_measures"))
    return att1


def _level_label(value) -> str:
    return _WEIGHT_SUFFIX.sub("", normalize(value))


def _read_scorecard(reader: Reader, sheet: Sheet, kind: str, pack: RulePack, current: dict | None) -> dict:
    from perfeval.excel.payload import blank_scorecard

    card = copy.deepcopy(current) if current else blank_scorecard(kind)
    budget = sheet.find("年初预算数")
    if budget is None:
        reader.errors.append(f"{sheet.title}!：找不到预算表头「年初预算数」")
        return card
    columns = sheet.row_columns(budget[0])
    fund_columns = [columns.get(label, budget[1] + i) for i, (_, label) in enumerate(catalogue.FUND_COLUMNS)]
    rate_column, score_column = columns.get("执行率", budget[1] + 4), columns.get("得分", budget[1] + 5)
    total = sheet.find(layout.FUND_TOTAL, start=budget[0])
    if total is None:
        reader.errors.append(f"{sheet.title}!：找不到「{layout.FUND_TOTAL}」行")
        return card
    funds = {}
    previous = (current or {}).get("funds") or {}
    if kind == "department":
        funds["total"] = {
            key: given(
                reader.amount(sheet, total[0], column, f"FundLine.{key}"),
                (previous.get("total") or {}).get(key),
            )
            for (key, _), column in zip(catalogue.FUND_COLUMNS, fund_columns, strict=True)
        }
        for prefix, kinds in (("income", catalogue.INCOME_KINDS), ("nature", catalogue.NATURE_KINDS)):
            for key, label in kinds:
                found = sheet.find(label, start=total[0]) or sheet.find(f"其中：{label}", start=total[0])
                if found is None:
                    reader.errors.append(f"{sheet.title}!：找不到「{label}」")
                    continue
                number = reader.amount(sheet, found[0], found[1] + 2, f"Scorecard.{prefix}_{key}")
                card[f"{prefix}_{key}"] = given(number, card.get(f"{prefix}_{key}"))
        # The income side is new: a workbook without it (an older export, another region's form) keeps the
        # report's figures.
        heading = sheet.find(layout.REVENUE_HEADING, start=total[0])
        for key, label in catalogue.REVENUE_KINDS if heading is not None else ():
            found = sheet.find(label, start=heading[0])
            if found is not None:
                number = reader.amount(sheet, found[0], found[1] + 2, f"Scorecard.revenue_{key}")
                card[f"revenue_{key}"] = given(number, card.get(f"revenue_{key}"))
    else:
        for key, label in catalogue.FUND_SOURCES:
            found = sheet.find(label, start=budget[0], end=total[0]) or sheet.find(
                label.removeprefix("其中："), start=budget[0], end=total[0]
            )
            if found is None:
                reader.errors.append(f"{sheet.title}!：找不到「{label}」行")
                continue
            funds[key] = {
                column_key: given(
                    reader.amount(sheet, found[0], column, f"FundLine.{column_key}"),
                    (previous.get(key) or {}).get(column_key),
                )
                for (column_key, _), column in zip(catalogue.FUND_COLUMNS, fund_columns, strict=True)
            }
        # 年度资金总额 is computed; what the file prints there is kept as printed when it differs (_settle_reported).
        card["_funds_total"] = {
            column_key: reader.amount(sheet, total[0], column, f"Scorecard.reported_funds_{column_key}")
            for (column_key, _), column in zip(catalogue.FUND_COLUMNS, fund_columns, strict=True)
        }
    # A source row left blank is dropped unless the report already had it (so a round trip keeps it).
    card["funds"] = {
        source: line
        for source, line in funds.items()
        if source in previous or source == "total" or any(v is not None for v in line.values())
    }
    card["_execution"] = (
        reader.percent(sheet, total[0], rate_column, "Scorecard.reported_execution_rate"),
        reader.amount(sheet, total[0], score_column, "Scorecard.reported_execution_score"),
    )
    goals = sheet.find(layout.GOALS)
    if goals is not None:
        header = sheet.row_columns(goals[0])
        expected = reader.text(
            sheet, goals[0] + 1, header.get("预期目标", goals[1] + 1), "Scorecard.goal_expected"
        )
        actual = reader.text(
            sheet, goals[0] + 1, header.get("实际完成情况", goals[1] + 5), "Scorecard.goal_actual"
        )
        card["goal_expected"] = given(expected, card.get("goal_expected"))
        card["goal_actual"] = given(actual, card.get("goal_actual"))
    else:
        reader.errors.append(f"{sheet.title}!：找不到「{layout.GOALS}」")
    _read_grid(reader, sheet, pack, card, current)
    return card


def _read_grid(reader: Reader, sheet: Sheet, pack: RulePack, card: dict, current: dict | None) -> None:
    header = sheet.find("一级指标")
    if header is None:
        reader.errors.append(f"{sheet.title}!：找不到绩效指标表头「一级指标」")
        return
    columns = sheet.row_columns(header[0])
    col = {label: columns.get(label, header[1] + i) for i, label in enumerate(layout.GRID_HEADERS)}
    total_row = sheet.find(layout.TOTAL_SCORE, start=header[0] + 1)
    end = total_row[0] if total_row else sheet.max_row + 1
    level1_by_label = {normalize(level.label): level for level in pack.skeleton}
    old_rows: dict[tuple, list[dict]] = {}
    for row in (current or {}).get("indicators") or []:
        old_rows.setdefault((row.get("level2"), row.get("name")), []).append(row)
    level1 = level2 = None
    indicators, not_applicable = [], []
    for row in range(header[0] + 1, end):
        level1_value = sheet.get(row, col["一级指标"])
        if level1_value is not None:
            level1 = level1_by_label.get(_level_label(level1_value))
            level2 = None
            if level1 is None:
                reader.error(sheet, row, col["一级指标"], f"「{level1_value}」不是规则包中的一级指标")
        level2_value = sheet.get(row, col["二级指标"])
        if level2_value is not None and level1 is not None:
            level2 = next(
                (c for c in level1.children if normalize(c.label) == _level_label(level2_value)), None
            )
            if level2 is None:
                reader.error(
                    sheet, row, col["二级指标"], f"「{level2_value}」不是「{level1.label}」下的二级指标"
                )
        name = reader.text(sheet, row, col["三级指标"], "Indicator.name").strip()
        target = reader.text(sheet, row, col["年度指标值"], "Indicator.target_text").strip()
        actual = reader.text(sheet, row, col["实际完成值"], "Indicator.actual_text").strip()
        reason = reader.text(sheet, row, col["偏差原因分析及改进措施"], "Indicator.deviation_reason")
        weight = reader.amount(sheet, row, col["分值"], "Indicator.weight")
        score = reader.amount(sheet, row, col["得分"], "Indicator.score")
        others = (target, actual, reason.strip(), sheet.get(row, col["分值"]), sheet.get(row, col["得分"]))
        if name == layout.NOT_APPLICABLE and not any(others):
            if level2 is not None:
                not_applicable.append(level2.key)
            continue
        if not name and not any(others):
            continue
        if level1 is None or level2 is None:
            if level1 is not None:
                reader.error(sheet, row, col["二级指标"], "二级指标为空")
            continue
        if not name:
            reader.error(sheet, row, col["三级指标"], "三级指标名称为空")
        if weight is not None and score is not None and Decimal(score) > Decimal(weight):
            reader.error(sheet, row, col["得分"], f"得分 {score} 超过分值 {weight}")
        candidates = old_rows.get((level2.key, name))
        old = candidates.pop(0) if candidates else None
        if old is not None:  # an empty cell of a known row is not given: the row keeps its value
            target, actual = given(target, old.get("target_text")), given(actual, old.get("actual_text"))
            reason = given(reason.strip() and reason, old.get("deviation_reason"))
            weight, score = given(weight, old.get("weight")), given(score, old.get("score"))
        indicator = _indicator(level1.key, level2.key, name, target, actual, weight, score, reason, old, pack)
        # The numbers parsed from the texts meet the bounds of their own columns, or the text cell is named.
        for key, column in (
            ("target_value", "年度指标值"),
            ("target_unit", "年度指标值"),
            ("actual_value", "实际完成值"),
        ):
            message = problem(f"Indicator.{key}", indicator[key], signed=True)
            if message is not None:
                reader.error(sheet, row, col[column], f"从中读出的{bound(f'Indicator.{key}').label}{message}")
        indicators.append(indicator)
    _settle_sections(card, pack, indicators, not_applicable, current)
    if total_row is not None:
        card["_total"] = reader.amount(sheet, total_row[0], col["得分"], "Scorecard.reported_total_score")


def _settle_sections(card: dict, pack: RulePack, indicators, not_applicable, current: dict | None) -> None:
    """The grid by 二级指标 in the rule pack's order: the sheet's rows, 不适用, or — when the sheet leaves the
    二级指标 empty — the report's own rows (or 不适用) for it."""
    current = current or {}
    read = {row["level2"] for row in indicators} | set(not_applicable)
    kept_na = set(current.get("not_applicable") or [])
    card["indicators"], card["not_applicable"] = [], []
    for level1 in pack.skeleton:
        for level2 in level1.children:
            if level2.key in read:
                rows = [row for row in indicators if row["level2"] == level2.key]
                is_na = level2.key in not_applicable
            else:
                rows = [row for row in current.get("indicators") or [] if row.get("level2") == level2.key]
                is_na = level2.key in kept_na
            card["indicators"] += rows
            if is_na:
                card["not_applicable"].append(level2.key)


def _indicator(level1, level2, name, target, actual, weight, score, reason, old, pack) -> dict:
    """A 三级 row. Operator and numbers follow the texts by the edit form's precedence (resolve_target), the
    stored row's fields standing where the form's would."""
    old = old or {}
    parsed = resolve_target(
        target,
        operator=old.get("operator"),
        value=to_decimal(old.get("target_value")),
        unit=old.get("target_unit") or "",
    )
    operator, unit = parsed.operator, parsed.unit
    target_value = decimal_text(parsed.value)
    actual_value = decimal_text(resolve_actual(actual, value=to_decimal(old.get("actual_value"))))
    if old and old.get("operator") == operator and (old.get("actual_text") or "") == actual:
        qual_band = old.get("qual_band")
    else:
        qual_band = (
            scoring.band_of_score(to_decimal(score), to_decimal(weight), pack) if operator == "qual" else None
        )
    return {
        "level1": level1,
        "level2": level2,
        "name": name,
        "target_unit": unit,
        "target_text": target,
        "actual_text": actual,
        "deviation_reason": reason,
        "operator": operator,
        "target_value": target_value,
        "actual_value": actual_value,
        "qual_band": qual_band,
        "weight": weight,
        "score": score,
    }


def _project_header(reader: Reader, sheet: Sheet) -> tuple[str, dict]:
    found = sheet.find("项目支出名称")
    if found is None:
        reader.errors.append(f"{sheet.title}!：找不到「项目支出名称」")
        return "", {}
    name = reader.text(sheet, found[0], found[1] + 2, "Project.name").strip()
    texts = {}
    for key, label in (("competent_department", "主管部门"), ("implementing_unit", "实施单位")):
        position = sheet.find(label)
        texts[key] = (
            reader.text(sheet, position[0], position[1] + 2, f"Scorecard.{key}").strip() if position else ""
        )
    return name, texts


# ---------------------------------------------------------------- reported (printed) computed cells


def _same_figure(printed: Decimal | None, computed: Decimal | None) -> bool:
    """Whether a printed figure says nothing beyond the computed one: absent, equal at 2 dp, or a placeholder
    0 where the system computes nothing because an operand is blank."""
    if printed is None:
        return True
    if computed is None:
        return Decimal(printed) == 0
    return quantize(Decimal(printed), 2) == quantize(computed, 2)


def _reported(printed, computed, current):
    """A computed cell keeps the current 原填报值 unless the file prints something else than the system computes."""
    if _same_figure(to_decimal(printed), computed):
        return current
    return decimal_text(quantize(Decimal(printed), 2))


def _reported_amount(printed, computed, current):
    """A printed amount in a computed place (附件3 年度资金总额), kept exactly as printed when it differs: a 0
    where the system computes money is a printed figure, not a placeholder (the issue's 0/0/0 总额)."""
    printed = to_decimal(printed)
    if printed is None or (computed is not None and printed == computed):
        return current
    if computed is None and printed == 0:
        return current
    return decimal_text(printed)


def _settle_reported(payload: dict, pack: RulePack) -> None:
    data = report_data(payload)
    att1 = payload["attachment1"]
    computed = scoring.attachment1_computed(data)
    if "_control_rate" in att1:
        att1["reported_control_rate"] = _reported(
            att1.pop("_control_rate"), computed.control_rate, att1.get("reported_control_rate")
        )
    for index, row in enumerate(att1.get("buildings") or []):
        rates = row.pop("_rates", None)
        if rates is None:
            continue
        computed_rates = computed.buildings.get(f"b{index}")
        row["reported_area_rate"] = _reported(
            rates[0], computed_rates.area_rate, row.get("reported_area_rate")
        )
        row["reported_investment_rate"] = _reported(
            rates[1], computed_rates.investment_rate, row.get("reported_investment_rate")
        )
    cards = [(payload.get("attachment2"), data.department_scorecard)]
    by_ref = {card.ref: card for card in data.project_scorecards}
    cards += [
        (project.get("attachment3"), by_ref.get(f"att3-{index}"))
        for index, project in enumerate(payload.get("projects") or [])
    ]
    for card, data_card in cards:
        if not card or data_card is None:
            continue
        execution = card.pop("_execution", None)
        total = card.pop("_total", None)
        printed_funds = card.pop("_funds_total", None)
        result = scoring.scorecard_result(data_card, pack)
        for column, printed in (printed_funds or {}).items():
            name = f"reported_funds_{column}"
            card[name] = _reported_amount(printed, getattr(result.funds, column), card.get(name))
        if execution is not None:
            card["reported_execution_rate"] = _reported(
                execution[0], result.execution.rate, card.get("reported_execution_rate")
            )
            card["reported_execution_score"] = _reported(
                execution[1], result.execution.score, card.get("reported_execution_score")
            )
        if total is not None:
            card["reported_total_score"] = _reported(
                total, result.self_total, card.get("reported_total_score")
            )


# ---------------------------------------------------------------- entry point


def open_workbook(content: bytes):
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # Excel-made files carry extensions openpyxl does not read (data validation, slicers): not our concern.
        warnings.simplefilter("ignore")
        try:
            return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises anything from KeyError to XML errors on a broken file
            raise WorkbookUnreadable(
                f"无法读取该 Excel 文件（{type(exc).__name__}），请用 Excel 另存为 .xlsx 后重试"
            ) from exc


def read_workbook(
    content: bytes, *, current: dict, pack: RulePack, budget: ReadBudget | None = None
) -> ImportResult:
    """The payload the workbook describes, merged over ``current`` (the report's ``export_report``); reading
    stops with UnsafeFile, naming the sheet, when ``budget`` runs out."""
    budget = budget or ReadBudget()
    workbook = open_workbook(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheets = [Sheet(ws.title, ws, budget) for ws in workbook.worksheets]
    except UnsafeFile:
        raise
    except Exception as exc:
        cell = _unreadable_number(workbook, content) if isinstance(exc, ValueError) else None
        raise WorkbookUnreadable(cell or f"无法读取该 Excel 文件（{type(exc).__name__}）") from exc
    finally:
        workbook.close()
    return read_sheets(sheets, current=current, pack=pack)


_NUMBER_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"((?:(?!\bt="[^n])[^>])*)>\s*<v>([^<]{0,60})</v>')


def _unreadable_number(workbook, content: bytes) -> str | None:
    """The cell whose stored number openpyxl could not read (「NaN」, 「INF」 written into a numeric cell), as
    ``sheet!cell：…``. Only the worksheets' own XML is scanned, within the size safety.check_upload allowed."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        for worksheet in workbook.worksheets:
            part = getattr(worksheet, "_worksheet_path", None) or getattr(worksheet, "path", "")
            xml = archive.read(part.lstrip("/"))
            for ref, _, value in _NUMBER_CELL.findall(xml):
                text = value.decode("utf-8", "replace").strip()
                try:
                    float(text) if any(ch in text for ch in ".eE") else int(text)
                except ValueError:
                    return f"{worksheet.title}!{ref.decode()}：「{text}」不是数字，请填写数值"
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    return None


class _Watched:
    """A sheet that notes every cell the readers take a value from (labels are found, not read)."""

    def __init__(self, sheet: Sheet):
        self._sheet, self.read = sheet, set()

    def __getattr__(self, name):
        return getattr(self._sheet, name)

    def get(self, row: int, column: int):
        value = self._sheet.get(row, column)
        if value is not None and normalize(value) not in BLANK_MARKS:
            self.read.add((row, column))
        return value


def _refuse_department_sheets(reader: Reader, by_kind: dict, current: dict, pack: RulePack) -> None:
    """A project-only filing has no 附件1 or 附件2: every cell of such a sheet that gives a value is named."""
    from perfeval.excel.payload import blank_payload

    department = current.get("department") or {}
    blank = blank_payload(
        department_code=department.get("code") or "",
        department_name=department.get("name") or "",
        year=current["year"],
        rule_pack=current.get("rule_pack") or {},
    )
    for kind, label in (("att1", "附件1"), ("att2", "附件2")):
        for sheet in by_kind.get(kind, []):
            watched, scratch = _Watched(sheet), Reader()
            _footer(scratch, watched)
            if kind == "att1":
                _read_attachment1(scratch, watched, current["year"], blank)
            else:
                _read_scorecard(scratch, watched, "department", pack, None)
            cells = watched.read
            if scratch.errors:
                # Not in the official layout: every filled cell below the title is named.
                cells = {key for key in sheet.values if key[0] > 2}
            for row, column in sorted(cells):
                reader.error(sheet, row, column, f"项目支出绩效自评没有{label}，此格不能填写")


def read_sheets(sheets: list[Sheet], *, current: dict, pack: RulePack) -> ImportResult:
    reader = Reader()
    year = current["year"]
    payload = copy.deepcopy(current)
    project_only = current.get("kind") == catalogue.PROJECT_FILING
    by_kind: dict[str, list[Sheet]] = {}
    for sheet in sheets:
        by_kind.setdefault(_sheet_kind(sheet) or "other", []).append(sheet)
    if project_only:
        _refuse_department_sheets(reader, by_kind, current, pack)
    else:
        for kind, label in (("att1", "附件1"), ("att2", "附件2")):
            if len(by_kind.get(kind, [])) != 1:
                reader.errors.append(f"工作簿：应有且只有一张「{label}」工作表")
    footer_seen: dict[str, tuple[str, str]] = {}
    kinds = ("att3",) if project_only else ("att1", "att2", "att3")
    footer_sheets = [s for kind in kinds for s in by_kind.get(kind, [])]
    for sheet in footer_sheets:
        footer = _footer(reader, sheet)
        if footer is None:
            continue
        for key, _ in layout.FOOTER_FIELDS:
            if key not in footer or not footer[key]:
                continue  # an empty footer cell is not given: it neither clears nor contradicts another sheet
            if key not in footer_seen:
                footer_seen[key] = (footer[key], sheet.title)
            elif footer[key] != footer_seen[key][0]:
                row, column = footer[f"{key}@"]
                reader.error(sheet, row, column, f"与「{footer_seen[key][1]}」的表尾不一致")
    footer = payload.get("footer") or {}
    payload["footer"] = {**footer, **{k: given(v, footer.get(k)) for k, (v, _) in footer_seen.items()}}
    if len(by_kind.get("att1", [])) == 1 and not project_only:
        payload["attachment1"] = _read_attachment1(reader, by_kind["att1"][0], year, current)
    if len(by_kind.get("att2", [])) == 1 and not project_only:
        payload["attachment2"] = _read_scorecard(
            reader, by_kind["att2"][0], "department", pack, current.get("attachment2")
        )
    projects = payload.setdefault("projects", [])
    by_name = {project.get("name"): project for project in projects}
    special_names = {row.get("name") for row in (payload.get("attachment1") or {}).get("special_rows") or []}
    seen_names: dict[str, str] = {}
    for sheet in by_kind.get("att3", []):
        name, texts = _project_header(reader, sheet)
        project = by_name.get(name)
        card = _read_scorecard(
            reader, sheet, "project", pack, (project or {}).get("attachment3") if name else None
        )
        card.update({key: text for key, text in texts.items() if text})
        if not name:
            if _has_content(card):
                found = sheet.find("项目支出名称")
                reader.error(
                    sheet, found[0] if found else 3, (found[1] + 2) if found else 3, "项目支出名称为空"
                )
            continue
        if name in seen_names:
            reader.errors.append(f"{sheet.title}!：项目「{name}」已在工作表「{seen_names[name]}」中出现")
            continue
        seen_names[name] = sheet.title
        if project is None:
            project = {
                "name": name,
                "category": "" if project_only else ("special" if name in special_names else "business"),
                "initial_budget": None,
                "adjustment": None,
                "actual_spent": None,
                "carryover": None,
                "name_in_s2": "",
                "name_in_s6": "",
                "s6_text": "",
                "no_scorecard_reason": "",
            }
            projects.append(project)
            by_name[name] = project
        project["attachment3"] = card
    if reader.errors:
        return ImportResult(None, reader.errors)
    _settle_reported(payload, pack)
    return ImportResult(payload, [])


def _has_content(card: dict) -> bool:
    return bool(
        card.get("indicators")
        or card.get("funds")
        or card.get("goal_expected")
        or card.get("goal_actual")
        or card.get("competent_department")
        or card.get("implementing_unit")
    )
