"""The official layout of the three attachments as plain rows: one :class:`SheetRows` per sheet.

exports.py writes these with openpyxl; imports.py reads the same labels back. Computed cells (totals, 控制率,
执行率, scores, 总分) are the figures of perfeval.rules.results — nothing is computed here.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from perfeval.rules import catalogue, labels
from perfeval.rules.decimals import HUNDRED, fmt_amount
from perfeval.rules.packs import RulePack
from perfeval.rules.payload import report_data, to_decimal
from perfeval.rules.results import results
from perfeval.rules.scoring import sum_known

# Cell styles the writer knows (exports._named_styles).
TITLE, LABEL, HEADER, TEXT, WRAP, AMOUNT, PERCENT, SCORE, INT, DATE, NOTE, PLAIN = (
    "title", "label", "header", "text", "wrap", "amount", "percent", "score", "int", "date", "note", "plain",
)  # fmt: skip

DASH = "——"
FOOTER_FIELDS = tuple((key, f"{label}：") for key, label in labels.FOOTER.items())
ATT1_SECTION_STAFF = "财政供养人员情况（人）"
ATT1_SECTION_EXPENSES = "经费控制情况（万元）"
ATT1_SECTION_BUILDINGS = "楼堂馆所控制情况（{year}年完工项目）"
ATT1_FRUGALITY = "厉行节约保障措施"
BUILDING_HEADERS = tuple(label for key, label in labels.BUILDING_COLUMNS.items() if key != "name")
GRID_HEADERS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
NOT_APPLICABLE = "不适用"
TOTAL_SCORE = "总分"
FUND_TOTAL = "年度资金总额"
REVENUE_HEADING = "收入情况："
REVENUE_TOTAL = "收入合计"
GOALS = "年度总体目标"
INDICATORS = "绩效指标"
SHEET_NAME_MAX = 31


# The fill of a computed cell (totals, rates, scores): the writer paints it, the reader skips it, so a figure
# the system computes is never read back from our own workbooks.
COMPUTED_FILL = "FFE4E4E4"
LEGEND = (
    "说明：灰色单元格由系统计算，无需填写，导入时不读取。导入时空白单元格表示“未提供”，"
    "保留系统中已有的数值；要清除某项，请在网页上编辑。"
)


@dataclass
class Cell:
    value: object
    style: str = TEXT
    computed: bool = False


@dataclass
class SheetRows:
    """One sheet: cells by (row, column), 1-based like Excel, plus merges and print set-up."""

    name: str
    kind: str  # "att1" | "att2" | "att3"
    widths: list[float]
    landscape: bool
    title_rows: int  # rows repeated on every printed page
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    row: int = 1  # the next free row

    def put(
        self,
        row: int,
        column: int,
        value,
        style: str = TEXT,
        *,
        to_column: int | None = None,
        to_row=None,
        computed: bool = False,
    ):
        self.cells[(row, column)] = Cell(value, style, computed)
        if (to_column and to_column > column) or (to_row and to_row > row):
            bottom, right = to_row or row, to_column or column
            self.merges.append((row, column, bottom, right))
            for r in range(row, bottom + 1):
                for c in range(column, right + 1):
                    if (r, c) != (row, column):
                        self.cells[(r, c)] = Cell(None, style, computed)

    def rows(self) -> list[list[Cell | None]]:
        """The plain rows: a list per row of its cells (None where nothing is written)."""
        last_row = max((r for r, _ in self.cells), default=0)
        width = len(self.widths)
        return [[self.cells.get((r, c)) for c in range(1, width + 1)] for r in range(1, last_row + 1)]


def amount(value) -> Decimal | None:
    return to_decimal(value)


def rate_cell(percent_value: Decimal | None):
    """A computed rate as an Excel percent (a fraction with format 0.00%); "—" when undefined."""
    return Cell("—", HEADER) if percent_value is None else Cell(percent_value / HUNDRED, PERCENT)


def text_height(text: str, chars_per_line: int, minimum: float = 20) -> float:
    lines = sum(max(1, -(-len(part) // max(chars_per_line, 1))) for part in (text or "").split("\n"))
    return max(minimum, 15.0 * lines + 6)


def sheet_name(prefix: str, title: str, taken: set[str]) -> str:
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    name = f"{prefix} {clean}".strip()[:SHEET_NAME_MAX].strip()
    candidate, n = name, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def _footer(sheet: SheetRows, footer: dict) -> None:
    row = sheet.row + 1
    column = 1
    for key, label in FOOTER_FIELDS:
        value = footer.get(key)
        if key == "fill_date" and value:
            value = date.fromisoformat(value)
        sheet.put(row, column, label, PLAIN)
        sheet.put(row, column + 1, value, DATE if key == "fill_date" else PLAIN)
        column += 2
    last_column = 7 if sheet.kind == "att1" else len(sheet.widths)
    sheet.put(row + 1, 1, LEGEND, NOTE, to_column=last_column)
    sheet.heights[row + 1] = 32
    sheet.row = row + 2


def _title(sheet: SheetRows, attachment: str, title: str, last_column: int) -> None:
    sheet.put(1, 1, attachment, PLAIN)
    sheet.put(2, 1, title, TITLE, to_column=last_column)
    sheet.heights[2] = 30
    sheet.row = 3


# ---------------------------------------------------------------- 附件1


def attachment1_rows(payload: dict, computed: dict, sheet_title: str = "附件1") -> SheetRows:
    """``computed``: the attachment1 part of the payload's results."""
    year = payload["year"]
    att1 = payload.get("attachment1") or {}
    sheet = SheetRows(
        sheet_title, "att1", widths=[34, 11, 11, 11, 11, 11, 11, 11], landscape=False, title_rows=2
    )
    _title(sheet, "附件1", catalogue.ATTACHMENT_TITLES["att1"].format(year=year), 7)
    r = sheet.row
    sheet.put(r, 1, ATT1_SECTION_STAFF, LABEL, to_row=r + 1)
    for column, label in ((2, "编制数"), (4, f"{year}年实际在职人数"), (6, "控制率")):
        sheet.put(r, column, label, HEADER, to_column=column + 1)
    sheet.put(r + 1, 2, att1.get("staff_quota"), INT, to_column=3)
    sheet.put(r + 1, 4, att1.get("staff_actual"), INT, to_column=5)
    rate = rate_cell(to_decimal(computed["control_rate"]))
    sheet.put(r + 1, 6, rate.value, rate.style, to_column=7, computed=True)
    r += 2
    sheet.put(r, 1, ATT1_SECTION_EXPENSES, LABEL)
    for column, (_, label) in zip((2, 4, 6), catalogue.EXPENSE_COLUMNS, strict=True):
        sheet.put(r, column, label.format(year=year, prior_year=year - 1), HEADER, to_column=column + 1)
    r += 1
    expenses = att1.get("expenses") or {}
    for item in catalogue.EXPENSE_ITEMS:
        values = expenses.get(item.code) or {}
        sheet.cells[(r, 1)] = Cell(item.label, f"{LABEL}{item.indent}")
        for column, key in zip((2, 4, 6), ("prior_final", "budget", "final"), strict=True):
            if key == "prior_final" and not item.has_prior:
                sheet.put(r, column, DASH, HEADER, to_column=column + 1)
            else:
                sheet.put(r, column, amount(values.get(key)), AMOUNT, to_column=column + 1)
        r += 1
        if item.code == "special":
            for row in att1.get("special_rows") or []:
                sheet.cells[(r, 1)] = Cell(row.get("name") or "", f"{LABEL}2")
                for column, key in zip((2, 4, 6), ("prior_final", "budget", "final"), strict=True):
                    sheet.put(r, column, amount(row.get(key)), AMOUNT, to_column=column + 1)
                r += 1
    sheet.put(r, 1, ATT1_SECTION_BUILDINGS.format(year=year), LABEL)
    for offset, label in enumerate(BUILDING_HEADERS):
        sheet.put(r, 2 + offset, label, HEADER)
    sheet.heights[r] = 32
    r += 1
    buildings = att1.get("buildings") or []
    for index, row in enumerate(buildings or [{}]):
        rates = computed["buildings"][index] if buildings else {}
        sheet.put(r, 1, row.get("name") or "", TEXT)
        sheet.put(r, 2, amount(row.get("approved_area")), AMOUNT)
        sheet.put(r, 3, amount(row.get("actual_area")), AMOUNT)
        cell = rate_cell(to_decimal(rates.get("area_rate")))
        sheet.put(r, 4, cell.value, cell.style, computed=True)
        sheet.put(r, 5, amount(row.get("budget_investment")), AMOUNT)
        sheet.put(r, 6, amount(row.get("actual_investment")), AMOUNT)
        cell = rate_cell(to_decimal(rates.get("investment_rate")))
        sheet.put(r, 7, cell.value, cell.style, computed=True)
        r += 1
    frugality = att1.get("frugality_measures") or ""
    sheet.put(r, 1, ATT1_FRUGALITY, LABEL)
    sheet.put(r, 2, frugality, WRAP, to_column=7)
    sheet.heights[r] = text_height(frugality, 36, 30)
    r += 1
    sheet.put(r, 1, catalogue.ATT1_FOOTNOTE, NOTE, to_column=7)
    sheet.heights[r] = 32
    sheet.row = r + 1
    _footer(sheet, payload.get("footer") or {})
    return sheet


# ---------------------------------------------------------------- 附件2 / 附件3


def _goals(sheet: SheetRows, card: dict) -> None:
    r = sheet.row
    sheet.put(r, 1, GOALS, LABEL, to_row=r + 1)
    sheet.put(r, 2, "预期目标", HEADER, to_column=5)
    sheet.put(r, 6, "实际完成情况", HEADER, to_column=9)
    expected, actual = card.get("goal_expected") or "", card.get("goal_actual") or ""
    sheet.put(r + 1, 2, expected, WRAP, to_column=5)
    sheet.put(r + 1, 6, actual, WRAP, to_column=9)
    sheet.heights[r + 1] = max(text_height(expected, 34, 40), text_height(actual, 34, 40))
    sheet.row = r + 2


def _grid(sheet: SheetRows, card: dict, pack: RulePack, result: dict) -> None:
    r = sheet.row
    top = r
    for offset, label in enumerate(GRID_HEADERS):
        sheet.put(r, 2 + offset, label, HEADER)
    r += 1
    indicators = card.get("indicators") or []
    not_applicable = set(card.get("not_applicable") or [])
    known = {child.key for level in pack.skeleton for child in level.children}
    groups = [
        (
            f"{level.label}（{fmt_amount(level.weight)}分）",
            [(child.label, child.key) for child in level.children],
        )
        for level in pack.skeleton
    ]
    leftovers = [row for row in indicators if row.get("level2") not in known]
    if leftovers:
        groups.append(("其他指标", sorted({(row.get("level2"), row.get("level2")) for row in leftovers})))
    for level1_label, children in groups:
        level1_top = r
        for level2_label, level2_key in children:
            level2_top = r
            rows = [row for row in indicators if row.get("level2") == level2_key]
            if not rows:
                sheet.put(r, 4, NOT_APPLICABLE if level2_key in not_applicable else "", TEXT)
                for column in range(5, 10):
                    sheet.put(r, column, None, TEXT)
                r += 1
            for row in rows:
                sheet.put(r, 4, row.get("name") or "", WRAP)
                sheet.put(r, 5, row.get("target_text") or "", TEXT)
                sheet.put(r, 6, row.get("actual_text") or "", TEXT)
                sheet.put(r, 7, amount(row.get("weight")), SCORE)
                sheet.put(r, 8, amount(row.get("score")), SCORE)
                sheet.put(r, 9, row.get("deviation_reason") or "", WRAP)
                r += 1
            sheet.put(level2_top, 3, level2_label, LABEL + "c", to_row=r - 1)
        sheet.put(level1_top, 2, level1_label, LABEL + "c", to_row=r - 1)
    sheet.put(top, 1, INDICATORS, LABEL + "c", to_row=r - 1)
    sheet.put(r, 1, TOTAL_SCORE, HEADER, to_column=6)
    sheet.put(r, 7, to_decimal(result["weight_total"]), SCORE, computed=True)
    sheet.put(r, 8, to_decimal(result["self_total"]), SCORE, computed=True)
    sheet.put(r, 9, None, TEXT)
    sheet.row = r + 1


def _execution_cells(sheet: SheetRows, r: int, result: dict, pack: RulePack) -> None:
    sheet.put(r, 6, pack.execution_weight, SCORE)
    cell = rate_cell(to_decimal(result["execution_rate"]))
    sheet.put(r, 7, cell.value, cell.style, computed=True)
    sheet.put(r, 8, to_decimal(result["execution_score"]), SCORE, computed=True)
    sheet.put(r, 9, None, TEXT)


def _budget_header(sheet: SheetRows, r: int) -> None:
    sheet.put(r, 2, None, HEADER)
    for offset, label in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        sheet.put(r, 3 + offset, label, HEADER)
    sheet.put(r, 9, None, HEADER)


SCORECARD_WIDTHS = [9, 14, 14, 26, 14, 14, 8, 8, 30]


def attachment2_rows(payload: dict, result: dict, pack: RulePack, sheet_title: str = "附件2") -> SheetRows:
    """``result``: the results of 附件2."""
    year = payload["year"]
    card = payload.get("attachment2") or {}
    sheet = SheetRows(sheet_title, "att2", widths=list(SCORECARD_WIDTHS), landscape=True, title_rows=2)
    _title(sheet, "附件2", catalogue.ATTACHMENT_TITLES["att2"].format(year=year), 9)
    r = sheet.row
    sheet.put(r, 1, "市级预算部门（单位）名称", LABEL, to_column=3)
    sheet.put(r, 4, (payload.get("department") or {}).get("name") or "", TEXT, to_column=9)
    r += 1
    block_top = r
    _budget_header(sheet, r)
    total = (card.get("funds") or {}).get("total") or {}
    r += 1
    sheet.put(r, 2, FUND_TOTAL, LABEL)
    for offset, key in enumerate(("initial", "full_year", "executed")):
        sheet.put(r, 3 + offset, amount(total.get(key)), AMOUNT)
    _execution_cells(sheet, r, result, pack)
    r += 1
    sheet.put(r, 2, "按收入性质分：", LABEL, to_column=4)
    sheet.put(r, 5, "按支出性质分：", LABEL, to_column=9)
    r += 1
    natures = list(catalogue.NATURE_KINDS)
    for index, (key, label) in enumerate(catalogue.INCOME_KINDS):
        sheet.put(r, 2, ("其中：" if index == 0 else "") + label, LABEL, to_column=3)
        sheet.put(r, 4, amount(card.get(f"income_{key}")), AMOUNT)
        if index < len(natures):
            nature_key, nature_label = natures[index]
            sheet.put(r, 5, ("其中：" if index == 0 else "") + nature_label, LABEL, to_column=6)
            sheet.put(r, 7, amount(card.get(f"nature_{nature_key}")), AMOUNT, to_column=9)
        else:
            sheet.put(r, 5, None, TEXT, to_column=9)
        r += 1
    # The income side: 全年执行数 cannot exceed 收入合计 (computed, grey).
    sheet.put(r, 2, REVENUE_HEADING, LABEL, to_column=4)
    sheet.put(r, 5, REVENUE_TOTAL, LABEL, to_column=6)
    revenue = [to_decimal(card.get(f"revenue_{key}")) for key, _ in catalogue.REVENUE_KINDS]
    sheet.put(r, 7, sum_known(*revenue) if any(v is not None for v in revenue) else None, AMOUNT,
              to_column=9, computed=True)  # fmt: skip
    r += 1
    for key, label in catalogue.REVENUE_KINDS:
        sheet.put(r, 2, label, LABEL, to_column=3)
        sheet.put(r, 4, amount(card.get(f"revenue_{key}")), AMOUNT)
        sheet.put(r, 5, None, TEXT, to_column=9)
        r += 1
    sheet.put(block_top, 1, "年度预算申请（万元）", LABEL + "c", to_row=r - 1)
    sheet.row = r
    _goals(sheet, card)
    _grid(sheet, card, pack, result)
    _footer(sheet, payload.get("footer") or {})
    return sheet


def attachment3_rows(
    payload: dict, project: dict, result: dict, pack: RulePack, sheet_title: str
) -> SheetRows:
    """``result``: the results of the project's 附件3 (in a project-only filing, its 项目支出绩效自评表, which
    is no attachment)."""
    year = payload["year"]
    card = project.get("attachment3") or {}
    sheet = SheetRows(sheet_title, "att3", widths=list(SCORECARD_WIDTHS), landscape=True, title_rows=2)
    project_only = payload.get("kind") == catalogue.PROJECT_FILING
    mark = catalogue.FILING_KIND_LABELS[catalogue.PROJECT_FILING] if project_only else "附件3"
    _title(sheet, mark, catalogue.ATTACHMENT_TITLES["att3"].format(year=year), 9)
    r = sheet.row
    sheet.put(r, 1, "项目支出名称", LABEL, to_column=2)
    sheet.put(r, 3, project.get("name") or "", TEXT, to_column=9)
    r += 1
    sheet.put(r, 1, "主管部门", LABEL, to_column=2)
    sheet.put(r, 3, card.get("competent_department") or "", TEXT, to_column=5)
    sheet.put(r, 6, "实施单位", LABEL, to_column=7)
    sheet.put(r, 8, card.get("implementing_unit") or "", TEXT, to_column=9)
    r += 1
    block_top = r
    _budget_header(sheet, r)
    r += 1
    funds = card.get("funds") or {}
    for key, label in catalogue.FUND_SOURCES:
        line = funds.get(key) or {}
        sheet.put(r, 2, label, LABEL)
        for offset, column in enumerate(("initial", "full_year", "executed")):
            sheet.put(r, 3 + offset, amount(line.get(column)), AMOUNT)
        for column in range(6, 10):
            sheet.put(r, column, None, TEXT)
        r += 1
    sheet.put(r, 2, FUND_TOTAL, LABEL)
    for offset, column in enumerate(("initial", "full_year", "executed")):
        sheet.put(r, 3 + offset, amount(result["funds_total"][column]), AMOUNT, computed=True)
    _execution_cells(sheet, r, result, pack)
    r += 1
    sheet.put(block_top, 1, "项目资金（万元）", LABEL + "c", to_row=r - 1)
    sheet.row = r
    _goals(sheet, card)
    _grid(sheet, card, pack, result)
    _footer(sheet, payload.get("footer") or {})
    return sheet


def workbook_rows(payload: dict, pack: RulePack, *, template: bool = False) -> list[SheetRows]:
    """Every sheet of the workbook: 附件1, 附件2, one 附件3 per project that has one (or one blank 附件3).

    ``template``: the blank template — one more blank 附件3 for a new project, and computed cells left empty:
    a figure computed from blanks (0 for 总分) would be a placeholder the reader could take for a printed one.
    """
    from perfeval.excel.payload import blank_scorecard

    project_only = payload.get("kind") == catalogue.PROJECT_FILING
    if payload.get("attachment2") is None and not project_only:
        payload = {**payload, "attachment2": blank_scorecard("department")}
    computed = results(report_data(payload), pack)
    if project_only:
        # A project-only filing: one 项目支出绩效自评表 per project, no 附件1 or 附件2.
        taken: set[str] = set()
        sheets = []
        prefix = "项目"
    else:
        taken = {"附件1", "附件2"}
        sheets = [
            attachment1_rows(payload, computed["attachment1"]),
            attachment2_rows(payload, computed["attachment2"], pack),
        ]
        prefix = "附件3-"
    cards = iter(computed["attachment3"])
    number = 0
    for project in payload.get("projects") or []:
        if not project.get("attachment3"):
            continue
        number += 1
        name = sheet_name(f"{prefix}{number}", project.get("name") or "", taken)
        sheets.append(attachment3_rows(payload, project, next(cards), pack, name))
    if template or number == 0:
        project = {"name": "", "attachment3": blank_scorecard("project")}
        result = results(report_data({**payload, "projects": [project]}), pack)["attachment3"][0]
        name = sheet_name(f"{prefix}{number + 1}", "", taken)
        sheets.append(attachment3_rows(payload, project, result, pack, name))
    if template:
        for sheet in sheets:
            for cell in sheet.cells.values():
                if cell.computed:
                    cell.value = None
    return sheets
