"""Checks on an uploaded file BEFORE openpyxl opens it. Each refusal is an :class:`UnsafeFile` with a Chinese
message the page shows as is; nothing here extracts the archive."""

import io
import zipfile

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


class UnsafeFile(ValueError):
    pass


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_upload(name: str, content: bytes) -> None:
    """Refuse anything but a plain, reasonably sized, macro-free .xlsx; raise UnsafeFile with the reason."""
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


def _check_entries(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > _limit("EXCEL_IMPORT_MAX_ENTRIES", MAX_ENTRIES):
        raise UnsafeFile(f"文件结构异常：压缩包内有 {len(entries)} 个部件，超过上限")
    total = compressed = 0
    ratio = _limit("EXCEL_IMPORT_MAX_RATIO", MAX_RATIO)
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise UnsafeFile("文件含加密部件，请取消密码保护后再导入")
        total += entry.file_size
        compressed += entry.compress_size
        if entry.file_size > RATIO_FLOOR and entry.file_size > ratio * max(entry.compress_size, 1):
            raise UnsafeFile(f"文件结构异常：部件 {entry.filename} 的压缩比过高（疑似压缩炸弹）")
    if total > _limit("EXCEL_IMPORT_MAX_UNCOMPRESSED", MAX_UNCOMPRESSED):
        raise UnsafeFile(f"文件解压后过大（{total / 1048576:.0f} MB），疑似压缩炸弹")
    if total > RATIO_FLOOR and total > ratio * max(compressed, 1):
        raise UnsafeFile("文件整体压缩比过高（疑似压缩炸弹）")
    if "[Content_Types].xml" not in archive.namelist():
        raise UnsafeFile("文件不是有效的 .xlsx（缺少 [Content_Types].xml）")


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
