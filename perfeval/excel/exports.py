"""The report's three attachments as one .xlsx workbook in the official layout (rows from layout.py)."""

from perfeval.excel import layout
from perfeval.excel.payload import blank_payload
from perfeval.textsafety import set_cell_value as set_value

COMPUTED = "-computed"


def _named_styles():
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="宋体", size=10)
    bold = Font(name="宋体", size=10, bold=True)

    def style(
        name, *, number_format="General", horizontal="left", wrap=False, indent=0, boxed=True, font=font
    ):
        named = NamedStyle(name=f"perfeval-{name}")
        named.font = font
        named.number_format = number_format
        named.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap, indent=indent)
        if boxed:
            named.border = border
        return named

    styles = {
        layout.TITLE: style(
            "title", horizontal="center", boxed=False, font=Font(name="宋体", size=14, bold=True)
        ),
        layout.LABEL: style("label", wrap=True),
        f"{layout.LABEL}c": style("labelc", horizontal="center", wrap=True),
        layout.HEADER: style("header", horizontal="center", wrap=True, font=bold),
        layout.TEXT: style("text", wrap=True),
        layout.WRAP: style("wrap", wrap=True),
        layout.AMOUNT: style("amount", number_format="0.00", horizontal="right"),
        layout.PERCENT: style("percent", number_format="0.00%", horizontal="right"),
        layout.SCORE: style("score", number_format="0.00", horizontal="right"),
        layout.INT: style("int", number_format="0", horizontal="right"),
        layout.DATE: style("date", number_format="yyyy-mm-dd", boxed=False),
        layout.NOTE: style("note", wrap=True, boxed=False),
        layout.PLAIN: style("plain", boxed=False),
    }
    for indent in range(3):
        styles[f"{layout.LABEL}{indent}"] = style(f"label{indent}", indent=indent * 2, wrap=True)
    grey = PatternFill("solid", fgColor=layout.COMPUTED_FILL)
    for key, number_format, horizontal, font_ in (
        (layout.HEADER, "General", "center", bold),
        (layout.AMOUNT, "0.00", "right", font),
        (layout.PERCENT, "0.00%", "right", font),
        (layout.SCORE, "0.00", "right", font),
    ):
        computed = style(f"{key}{COMPUTED}", number_format=number_format, horizontal=horizontal, font=font_)
        computed.fill = grey
        styles[f"{key}{COMPUTED}"] = computed
    return styles


def _merge(ws, merges) -> dict:
    """Register merged ranges without openpyxl's per-range border formatting (every cell of ours already
    carries its border, and that formatting is most of the export time); returns the covered cells."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.merge import MergedCellRange

    covered = {}
    for top, left, bottom, right in merges:
        merged = MergedCellRange(ws, f"{_letter(left)}{top}:{_letter(right)}{bottom}")
        ws.merged_cells.add(merged)
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                if (row, column) != (top, left):
                    cell = MergedCell(ws, row=row, column=column)
                    ws._cells[(row, column)] = cell
                    covered[(row, column)] = cell
    return covered


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def write_sheets(sheets: list[layout.SheetRows]):
    """An openpyxl Workbook holding the plain rows, styled and set up for A4 printing."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    styles = _named_styles()
    for named in styles.values():
        workbook.add_named_style(named)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name)
        for index, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        covered = _merge(ws, sheet.merges)
        for r, row in enumerate(sheet.rows(), start=1):
            for c, cell in enumerate(row, start=1):
                if cell is None:
                    continue
                if (r, c) in covered:
                    target = covered[(r, c)]
                else:
                    target = ws.cell(row=r, column=c)
                    set_value(target, cell.value)
                target.style = styles[cell.style + (COMPUTED if cell.computed else "")].name
        for r, height in sheet.heights.items():
            ws.row_dimensions[r].height = height
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"1:{sheet.title_rows}"
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    return workbook


def build_workbook(report):
    """The report (loaded with ``parts.reports_with_parts``) as the official workbook."""
    from perfeval.filing.opendata import export_report

    return write_sheets(layout.workbook_rows(export_report(report), report.period.rule_pack.rules()))


def write_xlsx(report, output_path) -> None:
    build_workbook(report).save(output_path)


def template_payload(*, department, period) -> dict:
    """What the department's template holds: its report of the period as it stands (the skeleton, last
    year's targets and 编制 carried), or, before the report exists, an empty payload whose 上年决算数 come from
    last year's report. Filled in and imported, such a template changes only the cells typed into it."""
    from perfeval.filing.opendata import export_report
    from perfeval.filing.parts import reports_with_parts

    reports = reports_with_parts().filter(department=department)
    current = reports.filter(period=period).first()
    if current is not None:
        return export_report(current)
    prior_report = reports.filter(period__year=period.year - 1, period__kind=period.kind).first()
    return blank_payload(
        kind=period.kind,
        department_code=department.code,
        department_name=department.name,
        year=period.year,
        rule_pack={"code": period.rule_pack.code, "version": period.rule_pack.version},
        prior=export_report(prior_report) if prior_report else None,
    )


def build_template(*, department, period):
    """The blank workbook: rule-pack skeleton, catalogue rows, a blank 附件3 for a new project; computed
    cells empty and grey (layout.COMPUTED_FILL), never read back."""
    payload = template_payload(department=department, period=period)
    return write_sheets(layout.workbook_rows(payload, period.rule_pack.rules(), template=True))
