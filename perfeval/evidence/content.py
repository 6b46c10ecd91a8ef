"""What an uploaded evidence file is, decided by its bytes and never by its name, and whether it may be shown
to the public. Every refusal is a :class:`Refused` with the Chinese message the page shows as is; nothing here
writes anything, so a refused file leaves no trace.

Accepted: PDF without active content, PNG and JPEG images, xlsx and docx without macros, OFD (a zip with
OFD.xml). Archives pass the zip-bomb check of the workbook import (``excel.safety.check_zip_entries``: entry
count, total uncompressed size, ratios) from their central directory before any entry is read.
"""

import hashlib
import io
import posixpath
import re
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings

from perfeval.evidence.models import EXTENSIONS, Kind
from perfeval.excel.safety import MACRO_CONTENT_TYPES, MACRO_PARTS, UnsafeFile, check_zip_entries
from perfeval.rules.checks import personal_numbers

ACCEPTED = "PDF、PNG/JPEG 图片、xlsx、docx 或 OFD"
MAX_ARCHIVE_ENTRIES = 2_000
MAX_ARCHIVE_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ARCHIVE_RATIO = 100
MAX_PDF_PAGES = 2_000
MAX_IMAGE_PIXELS = 60_000_000  # a 600 dpi A3 scan is about 70 million: phone photos and scans stay well below
TEXT_PAGES = 200  # pages (or XML parts) whose text the publication gate reads
TEXT_CHARS = 2_000_000

_EXECUTABLES = (
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "Linux 可执行程序"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xce\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xca\xfe\xba\xbe", "可执行程序或 Java 类文件"),
    (b"#!", "脚本"),
)
# Names of PDF dictionary keys that make a PDF act rather than show: scripts, launching programs, embedded
# files and forms that carry scripts. /OpenAction and /AA are harmless alone (go to a page) and dangerous only
# with one of these, which are refused wherever they appear.
_PDF_ACTIVE = {
    "JS": "JavaScript 脚本",
    "JavaScript": "JavaScript 脚本",
    "Launch": "启动外部程序的动作（/Launch）",
    "EmbeddedFile": "嵌入的文件",
    "EmbeddedFiles": "嵌入的文件",
    "RichMedia": "多媒体（Flash）内容",
    "XFA": "XFA 表单（可含脚本）",
}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Bidirectional overrides and other invisible format characters could make "gpj.exe" read as "exe.jpg".
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn"}


def megabytes(size: int) -> str:
    """A size limit as the pages say it: "20 MB", "0.1 MB"."""
    return f"{round(size / 1048576, 1):g} MB"


class Refused(ValueError):
    """The upload is refused; the message is the page's."""


@dataclass(frozen=True)
class Inspected:
    kind: str  # a Kind value
    size: int
    sha256: str
    text: str | None  # the file's text for the publication gate; None when it has none that can be read


# ---------------------------------------------------------------- names


def name_problem(raw: str) -> str | None:
    """Why a file name as the browser sent it is refused (before Django's own clean-up), or None."""
    limit = settings.EVIDENCE_MAX_NAME_LENGTH
    if len(raw) > limit:
        return f"文件名过长（{len(raw)} 个字符，最多 {limit} 个字符），请改短后再上传"
    if "/" in raw or "\\" in raw or raw.strip() in (".", "..") or "\x00" in raw:
        return "文件名不能含路径（如 ../ 或 /），请只用文件本身的名字"
    return None


def display_name(raw: str, kind: str) -> str:
    """The name shown to users: printable characters of the name's stem, the extension of the content's type."""
    stem = unicodedata.normalize("NFC", posixpath.basename(raw.replace("\\", "/")))
    stem = "".join(ch for ch in stem if unicodedata.category(ch) not in _HIDDEN)
    stem, dot, extension = stem.rpartition(".")
    stem = (stem if dot else extension).strip(" .") or "佐证材料"
    extension = EXTENSIONS[Kind(kind)]
    return f"{stem[: settings.EVIDENCE_MAX_NAME_LENGTH - len(extension) - 1]}.{extension}"


# ---------------------------------------------------------------- content


def inspect(content: bytes) -> Inspected:
    """The file's type and text; raises Refused for anything not accepted."""
    limit = settings.EVIDENCE_MAX_BYTES
    if not content:
        raise Refused("文件是空的")
    if len(content) > limit:
        raise Refused(f"文件过大：{megabytes(len(content))}，每个文件最大 {megabytes(limit)}")
    for magic, what in _EXECUTABLES:
        if content.startswith(magic):
            raise Refused(f"文件内容是{what}，不是文档或图片，不能作为佐证材料上传（只接受 {ACCEPTED}）")
    if content.startswith(b"%PDF-"):
        kind, text = Kind.PDF, _pdf(content)
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind, text = _image(content, "PNG", Kind.PNG), None
    elif content.startswith(b"\xff\xd8\xff"):
        kind, text = _image(content, "JPEG", Kind.JPEG), None
    elif content.startswith(b"PK\x03\x04"):
        kind, text = _archive(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused("旧版 Office 文件（.doc、.xls）或加密文件不接受：请另存为 docx、xlsx 或 PDF 后上传")
    elif _looks_like_svg(content):
        raise Refused(f"不接受 SVG 图片（其中可以含脚本）：请转换为 PNG 或 PDF 后上传（只接受 {ACCEPTED}）")
    else:
        raise Refused(f"无法识别文件内容的类型：只接受 {ACCEPTED}（按文件内容判断，与扩展名无关）")
    return Inspected(kind=kind, size=len(content), sha256=hashlib.sha256(content).hexdigest(), text=text)


def _looks_like_svg(content: bytes) -> bool:
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def _pdf(content: bytes) -> str | None:
    """Refuse active content, found both in the raw bytes (names may hide letters as #xx) and in every object
    pypdf parses, which includes those packed in compressed object streams; return the text of the pages."""
    for match in _PDF_NAME.finditer(content):
        name = _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1)).decode("latin-1")
        if name in _PDF_ACTIVE:
            raise _active(name)
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted:
                raise Refused("PDF 已加密，无法检查其内容：请取消密码保护后再上传")
            _pdf_objects(reader)
            if len(reader.pages) > MAX_PDF_PAGES:
                raise Refused(f"PDF 有 {len(reader.pages)} 页，超过 {MAX_PDF_PAGES} 页的上限")
            return _pdf_text(reader)
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise Refused("PDF 已损坏，无法读取：请重新导出 PDF 后上传") from None


def _active(name: str) -> Refused:
    return Refused(f"PDF 含{_PDF_ACTIVE[name]}，出于安全原因拒绝上传：请打印为普通 PDF 后再上传")


def _pdf_objects(reader) -> None:
    from pypdf.generic import DictionaryObject, StreamObject

    numbers = {number for table in reader.xref.values() for number in table}
    numbers |= set(reader.xref_objStm)
    for number in sorted(numbers):
        obj = reader.get_object(number)
        if isinstance(obj, DictionaryObject | StreamObject):
            for key in obj:
                if str(key).lstrip("/") in _PDF_ACTIVE:
                    raise _active(str(key).lstrip("/"))


def _pdf_text(reader) -> str | None:
    parts, size = [], 0
    for page in reader.pages[:TEXT_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > TEXT_CHARS:
            break
    text = "\n".join(parts).strip()
    return text or None


def _image(content: bytes, expected: str, kind: str) -> str:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != expected:
                    raise Refused(f"图片已损坏：文件头是 {expected}，内容却不是")
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise Refused(f"图片尺寸过大（{image.width}×{image.height} 像素），请缩小后再上传")
                image.verify()
    except Refused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise Refused("图片尺寸过大（疑似图片炸弹），请缩小后再上传") from None
    except (OSError, ValueError, SyntaxError):
        raise Refused("图片已损坏，无法读取") from None
    return kind


_BROKEN_ARCHIVE = "文件已损坏：内容像压缩包（docx、xlsx、OFD），却无法打开"


def _archive(content: bytes) -> tuple[str, str | None]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise Refused(_BROKEN_ARCHIVE) from None
    try:
        return _archive_kind(archive)
    except Refused:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, zlib.error, KeyError):
        # A CRC or size that lies, an unknown compression method, a missing part named by another
        raise Refused(_BROKEN_ARCHIVE) from None
    finally:
        archive.close()


def _archive_kind(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    try:
        check_zip_entries(
            archive,
            max_entries=MAX_ARCHIVE_ENTRIES,
            max_uncompressed=MAX_ARCHIVE_UNCOMPRESSED,
            ratio=MAX_ARCHIVE_RATIO,
        )
    except UnsafeFile as exc:
        raise Refused(f"{exc}，拒绝上传") from None
    names = set(archive.namelist())
    lowered = [name.lower() for name in names]
    if any(part in name for name in lowered for part in (*MACRO_PARTS, "word/activex/", "word/vbadata")):
        raise Refused("文件含宏或 ActiveX 控件，出于安全原因拒绝上传：请另存为不含宏的 docx 或 xlsx")
    if "OFD.xml" in names:
        return Kind.OFD, _archive_text(archive, lambda name: name.lower().endswith(".xml"))
    if "[Content_Types].xml" not in names:
        raise Refused(f"文件是压缩包，但不是 docx、xlsx 或 OFD（只接受 {ACCEPTED}）")
    types = _read(archive, "[Content_Types].xml").lower()
    if any(word in types for word in MACRO_CONTENT_TYPES):
        raise Refused("文件含宏或 ActiveX 控件，出于安全原因拒绝上传：请另存为不含宏的 docx 或 xlsx")
    if "word/document.xml" in names:
        return Kind.DOCX, _archive_text(
            archive, lambda name: name.startswith("word/") and name.endswith(".xml")
        )
    if "xl/workbook.xml" in names:
        return Kind.XLSX, _archive_text(
            archive,
            lambda name: (
                name == "xl/sharedStrings.xml"
                or (name.startswith("xl/worksheets/") and name.endswith(".xml"))
            ),
        )
    raise Refused(f"文件是 Office 文档，但不是 docx 或 xlsx（只接受 {ACCEPTED}）")


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """An entry's bytes, never more than its declared size (which check_zip_entries bounded)."""
    info = archive.getinfo(name)
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise Refused("文件结构异常：部件的实际大小与声明不符（疑似压缩炸弹），拒绝上传")
    return data


def _archive_text(archive: zipfile.ZipFile, wanted) -> str | None:
    """Every text node of the wanted XML parts, one per line, so that the gate reads cells and runs apart."""
    parts, size = [], 0
    for name in sorted(n for n in archive.namelist() if wanted(n))[:TEXT_PAGES]:
        data = _read(archive, name)  # a broken entry refuses the file (in _archive)
        try:
            for _event, element in iterparse(io.BytesIO(data), events=("end",)):
                if element.text and element.text.strip():
                    parts.append(element.text.strip())
                    size += len(element.text)
                element.clear()
        except (ParseError, DefusedXmlException, ValueError):
            # defusedxml refuses entities and DTDs; a part it cannot read leaves the text unknown, and the gate
            # keeps such a file private.
            return None
        if size > TEXT_CHARS:
            break
    return "\n".join(parts) or None


# ---------------------------------------------------------------- the publication gate


def publication_gate(kind: str, text: str | None) -> str | None:
    """Why the file may never be public, or None when it may (if the preparer asks). A file is public only
    when its text can be read and holds no personal mobile or ID number (the rules' ``personal_numbers``, the
    finder the report's own publication uses); images are never public, as their text cannot be read here."""
    if kind in (Kind.PNG, Kind.JPEG):
        return "图片中的文字无法自动检查是否含个人信息，图片不能公开（可转换为含文字的 PDF 后上传）"
    if not text:
        return "未能读出文件中的文字（可能是扫描件），无法确认不含个人信息，不能公开"
    found = [n for n in personal_numbers(text) if n.kind in ("mobile", "id")]
    if found:
        kinds = "、".join(sorted({n.label for n in found}))
        return f"文件中有 {len(found)} 处个人{kinds}，不能公开"
    return None
