"""Checks on an uploaded file BEFORE openpyxl opens it, and the budget that bounds reading it afterwards. Each
refusal is an :class:`UnsafeFile` with a Chinese message the page shows as is; nothing here extracts the
archive to disk."""

import io
import posixpath
import re
import time
import zipfile

from defusedxml.ElementTree import fromstring, iterparse
from django.conf import settings

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls and password-protected Office files

MAX_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 500
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100  # uncompressed ÷ compressed, per entry and overall
RATIO_FLOOR = 256 * 1024  # entries smaller than this are too small to matter, whatever their ratio
MACRO_PARTS = ("vbaproject.bin", "xl/activex/", "vbadata.xml", "xl/macrosheets/", "xl/dialogsheets/")
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"activex", b"macrosheet")
# The official workbook has a few hundred cells per sheet; 50 projects × 30 indicators stay under 30,000 in all.
MAX_ROWS = 10_000
MAX_COLUMNS = 1_024  # LibreOffice declares column AMJ (1024) for rows formatted to the edge: still accepted
MAX_CELLS = 60_000  # every sheet together: three times the 50 × 30 report (20,165)
MAX_SECONDS = 5  # checking and reading together; a web upload must not hold a worker longer

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class UnsafeFile(ValueError):
    pass


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


class ReadBudget:
    """Time and cells allowed for checking and reading one workbook; ``spend`` refuses, naming the sheet, once
    either runs out — so a hostile file costs at most ``EXCEL_IMPORT_MAX_SECONDS`` of a worker."""

    def __init__(self, *, seconds: float | None = None, cells: int | None = None):
        self.seconds = seconds if seconds is not None else _limit("EXCEL_IMPORT_MAX_SECONDS", MAX_SECONDS)
        self.cells = cells if cells is not None else _limit("EXCEL_IMPORT_MAX_CELLS", MAX_CELLS)
        self.deadline = time.monotonic() + self.seconds
        self.left = self.cells

    def spend(self, sheet: str, cells: int = 1) -> None:
        self.left -= cells
        if self.left < 0:
            raise UnsafeFile(
                f"工作表「{sheet}」：工作簿的单元格超过 {self.cells} 个，不像绩效自评附表，拒绝导入"
                "（请删除多余的行列后另存为 .xlsx）"
            )
        self.check_time(sheet)

    def check_time(self, sheet: str, *, part: str | None = None) -> None:
        if time.monotonic() > self.deadline:
            raise UnsafeFile(
                f"{part or f'工作表「{sheet}」'}：读取超过 {self.seconds} 秒仍未完成，拒绝导入"
                "（请删除多余的行列、公式和格式后另存为 .xlsx）"
            )


def check_upload(name: str, content: bytes, budget: ReadBudget | None = None) -> None:
    """Refuse anything but a plain, reasonably sized, macro-free .xlsx whose sheets are of a sensible size;
    raise UnsafeFile with the reason. ``budget`` is spent on the sheet scan and left for the reading."""
    max_bytes = _limit("EXCEL_IMPORT_MAX_BYTES", MAX_BYTES)
    if not (name or "").lower().endswith(".xlsx"):
        raise UnsafeFile("只能导入 .xlsx 格式的 Excel 文件（不接受 .xls、.xlsm、.csv 等）")
    if len(content) == 0:
        raise UnsafeFile("文件是空的")
    if len(content) > max_bytes:
        raise UnsafeFile(f"文件过大：{len(content) / 1048576:.1f} MB，上限为 {max_bytes / 1048576:.0f} MB")
    if content.startswith(OLE_MAGIC):
        raise UnsafeFile("文件已加密或是旧版 .xls 格式：请取消密码保护，并在 Excel 中另存为 .xlsx")
    if not content.startswith(ZIP_MAGIC):
        raise UnsafeFile("文件内容不是 .xlsx（扩展名为 .xlsx，但内容不是 Excel 工作簿）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeFile("文件已损坏，无法作为 .xlsx 读取") from None
    with archive:
        _check_entries(archive)
        _check_macros(archive)
        _check_xml_prologs(archive)
        _check_sheets(archive, budget or ReadBudget())


def _check_entries(archive: zipfile.ZipFile) -> None:
    check_zip_entries(
        archive,
        max_entries=_limit("EXCEL_IMPORT_MAX_ENTRIES", MAX_ENTRIES),
        max_uncompressed=_limit("EXCEL_IMPORT_MAX_UNCOMPRESSED", MAX_UNCOMPRESSED),
        ratio=_limit("EXCEL_IMPORT_MAX_RATIO", MAX_RATIO),
    )
    if "[Content_Types].xml" not in archive.namelist():
        raise UnsafeFile("文件不是有效的 .xlsx（缺少 [Content_Types].xml）")


def check_zip_entries(
    archive: zipfile.ZipFile, *, max_entries: int, max_uncompressed: int, ratio: int
) -> None:
    """The zip-bomb check of every archive upload (workbook imports, evidence files), from the central
    directory alone and before any entry is read: the number of entries, encrypted entries, the total
    uncompressed size and the compression ratio of each entry and of the whole."""
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise UnsafeFile(f"文件结构异常：压缩包内有 {len(entries)} 个部件，超过上限")
    total = compressed = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise UnsafeFile("文件含加密部件，请取消密码保护后再导入")
        total += entry.file_size
        compressed += entry.compress_size
        if entry.file_size > RATIO_FLOOR and entry.file_size > ratio * max(entry.compress_size, 1):
            raise UnsafeFile(f"文件结构异常：部件 {entry.filename} 的压缩比过高（疑似压缩炸弹）")
    if total > max_uncompressed:
        raise UnsafeFile(f"文件解压后过大（{total / 1048576:.0f} MB），疑似压缩炸弹")
    if total > RATIO_FLOOR and total > ratio * max(compressed, 1):
        raise UnsafeFile("文件整体压缩比过高（疑似压缩炸弹）")


def _check_macros(archive: zipfile.ZipFile) -> None:
    for entry_name in archive.namelist():
        lowered = entry_name.lower()
        if any(part in lowered for part in MACRO_PARTS):
            raise UnsafeFile("文件含宏或 ActiveX 控件，出于安全原因拒绝导入：请另存为不含宏的 .xlsx")
    content_types = archive.read("[Content_Types].xml").lower()
    if any(marker in content_types for marker in MACRO_CONTENT_TYPES):
        raise UnsafeFile("文件声明了宏内容（.xlsm），出于安全原因拒绝导入：请另存为不含宏的 .xlsx")


def _check_xml_prologs(archive: zipfile.ZipFile) -> None:
    """No DTD anywhere: an .xlsx never needs one, and a DTD is how entity bombs and XXE get in."""
    for entry in archive.infolist():
        if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(entry) as handle:
            head = handle.read(4096)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head.decode("utf-16", errors="ignore").encode()
        if b"<!doctype" in head.lower() or b"<!entity" in head.lower():
            raise UnsafeFile(f"文件部件 {entry.filename} 含 DTD/实体声明，出于安全原因拒绝导入")


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _parse_ref(ref: str) -> tuple[int, int] | None:
    """(row, column) of a cell reference such as ``XFD1048576``; None when it is not one."""
    match = _REF.match(ref.strip())
    return (int(match.group(2)), column_number(match.group(1))) if match else None


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name) of every worksheet, in workbook order; parts no sheet names keep their path."""
    names = set(archive.namelist())
    found: list[tuple[str, str]] = []
    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - a missing or broken workbook part is openpyxl's to report
        workbook = rels = None
    if workbook is not None and rels is not None:
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS_NS}Relationship")}
        for sheet in workbook.iter():
            if not sheet.tag.endswith("}sheet"):
                continue
            target = targets.get(sheet.get(_DOC_REL), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            if part in names:
                found.append((sheet.get("name") or part, part))
    named = {part for _, part in found}
    found.extend(
        (part, part)
        for part in sorted(names)
        if part.startswith("xl/worksheets/") and part.endswith(".xml") and part not in named
    )
    return found


def _check_sheets(archive: zipfile.ZipFile, budget: ReadBudget) -> None:
    """The declared dimension and the real cells of every sheet, streamed before openpyxl reads anything: a
    sheet declaring A1:XFD1048576 makes openpyxl fill 17 billion empty cells."""
    max_rows = _limit("EXCEL_IMPORT_MAX_ROWS", MAX_ROWS)
    max_columns = _limit("EXCEL_IMPORT_MAX_COLUMNS", MAX_COLUMNS)
    too_big = f"超出上限（{max_rows} 行 × {max_columns} 列）：请删除多余的空行空列后另存为 .xlsx 再导入"
    _check_shared_strings(archive, budget)
    for sheet, part in _sheet_parts(archive):
        with archive.open(part) as source:
            try:
                for _event, element in iterparse(source, events=("end",)):
                    tag = element.tag.rpartition("}")[2]
                    if tag == "dimension":
                        ref = element.get("ref", "")
                        corner = _parse_ref(ref.rpartition(":")[2])
                        if corner and (corner[0] > max_rows or corner[1] > max_columns):
                            raise UnsafeFile(
                                f"工作表「{sheet}」声明的数据范围 {ref}（{corner[0]} 行 × {corner[1]} 列）{too_big}"
                            )
                    elif tag == "c":
                        budget.spend(sheet)
                        place = _parse_ref(element.get("r", "") or "A1")
                        if place and (place[0] > max_rows or place[1] > max_columns):
                            raise UnsafeFile(f"工作表「{sheet}」的单元格 {element.get('r')} {too_big}")
                    elif tag == "row":
                        row = element.get("r", "")
                        if row.isdigit() and int(row) > max_rows:
                            raise UnsafeFile(f"工作表「{sheet}」第 {row} 行{too_big}")
                        budget.check_time(sheet)
                        element.clear()
            except UnsafeFile:
                raise
            except Exception:  # noqa: BLE001 - malformed XML is for openpyxl to report as unreadable
                continue
    budget.left = budget.cells  # the scan counted the cells; the reading counts them again


def _check_shared_strings(archive: zipfile.ZipFile, budget: ReadBudget) -> None:
    """openpyxl loads every shared string when it opens the file, before any sheet: count them first."""
    for part in archive.namelist():
        if not part.lower().endswith("sharedstrings.xml"):
            continue
        count = 0
        with archive.open(part) as source:
            try:
                for _event, element in iterparse(source, events=("end",)):
                    if element.tag.rpartition("}")[2] != "si":
                        continue
                    count += 1
                    element.clear()
                    if count > budget.cells:
                        raise UnsafeFile(
                            f"工作簿的共享字符串超过 {budget.cells} 个，不像绩效自评附表，拒绝导入"
                            "（请删除多余的内容后另存为 .xlsx）"
                        )
                    budget.check_time("", part="工作簿的共享字符串")
            except UnsafeFile:
                raise
            except Exception:  # noqa: BLE001 - malformed XML is for openpyxl to report as unreadable
                continue
