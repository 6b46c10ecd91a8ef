"""HTML → PDF with WeasyPrint, locked down, rendered in parts that are cached and reused.

* The fetcher serves only the app's own static files and ``data:`` URLs. Everything else — http(s), ``file:``
  anywhere, redirects, another host — is refused before any socket or file is opened. It is used for the HTML
  and for every stylesheet, image and attachment WeasyPrint asks for.
* Every render runs in a forked child process with a wall-clock limit: a pathological document cannot hang a
  web worker or the task worker, and a killed child frees its memory. Fork (not spawn) keeps the parent's
  already-imported WeasyPrint and fontconfig cache warm; the child never touches the database.
* A report renders as parts (the cover and 正文, 附件1, 附件2, each 附件3 — ``documents.document_parts``).
  A part's PDF is stored under the SHA-256 of its HTML and of everything else that shapes its pages (the
  stylesheets, WeasyPrint's version), in the ``PdfPart`` table, so every web and worker process shares it.
  A render reuses every stored part, renders the missing ones in parallel (``PDF_WORKERS`` forked processes,
  each rendering one part after another), and merges them with pypdf. Changing one figure re-renders one part.
* Page numbers (「第 X 页 共 Y 页」) depend on every part, so no part carries them: a layer of blank pages
  shaped like the document's, with only the numbers, is rendered from the same @page rules
  (``publishing/page-numbers.css``) and laid over the merged pages.
* Limits follow the document's size (``perfeval.filing.bounds.pdf_limits``): the time limit and the page cap grow with the number
  of parts, so a 200-project report renders within the defaults and a runaway one is still stopped.
"""

import ctypes.util
import hashlib
import multiprocessing
import multiprocessing.connection
import posixpath
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, cached_property
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

# Relative and root-relative URLs in our templates (``{% static %}`` gives "/static/…") resolve against this
# origin; it never reaches the network because StaticOnlyFetcher maps it to files on disk.
STATIC_ORIGIN = "https://static.perfeval.invalid"
BASE_URL = f"{STATIC_ORIGIN}/"

# Files that shape a part's pages without being in its HTML: a change to any of them is a new cache key.
# PART_FORMAT changes when what a stored part holds changes (the font stub of fonts.py, say).
PART_FORMAT = 1
STYLESHEETS = ("css/report.css", "publishing/print.css", "publishing/page-numbers.css")


class PdfError(Exception):
    """The PDF could not be produced; the message is shown to the reviewer."""


class PdfTimeout(PdfError):
    pass


class PdfTooLong(PdfError):
    pass


# ---------------------------------------------------------------- limits


def pdf_timeout() -> float:
    return float(getattr(settings, "PDF_TIMEOUT_SECONDS", 60))


def pdf_max_pages() -> int:
    return int(getattr(settings, "PDF_MAX_PAGES", 100))


def pdf_workers() -> int:
    import os

    return int(getattr(settings, "PDF_WORKERS", 0)) or os.cpu_count() or 1


# ---------------------------------------------------------------- loading WeasyPrint


@contextmanager
def _sonames_only():
    """While WeasyPrint loads, a library name that dlopen cannot open is not looked up further.

    WeasyPrint tries several names per library (``text/ffi.py``: "libgobject-2.0-0", "gobject-2.0-0", …,
    "libgobject-2.0.so.0"); cffi hands every name dlopen refuses to ``ctypes.util.find_library``, which runs
    ldconfig, gcc and ld (dozens of processes, a third of a second, and an optional library such as
    harfbuzz-vector is never found). Every list also holds the Linux soname, which dlopen opens directly.
    """
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


def load_weasyprint():
    """The ``weasyprint`` module, loaded without running a compiler or linker (see _sonames_only)."""
    import sys

    if "weasyprint" not in sys.modules:
        with _sonames_only():
            import weasyprint  # noqa: F401
    return sys.modules["weasyprint"]


# ---------------------------------------------------------------- the fetcher


def static_roots() -> list[Path]:
    """Every folder the static files may come from: STATICFILES_DIRS, the apps' static/ and STATIC_ROOT."""
    from django.contrib.staticfiles import finders

    roots = []
    for finder in finders.get_finders():
        storages = getattr(finder, "storages", {})
        roots.extend(Path(storage.location) for storage in storages.values())
    roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots if root.is_dir()]


def static_url_path() -> str:
    path = urlsplit(settings.STATIC_URL).path
    return "/" + path.strip("/") + "/"


def resolve_static(url: str) -> Path:
    """The file behind one of our static URLs, or ValueError. No "..", no escape through a symlink."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != STATIC_ORIGIN:
        raise ValueError(f"refused (not a static file of this application): {url[:200]}")
    prefix = static_url_path()
    path = unquote(parts.path)
    if not path.startswith(prefix) or "\\" in path or "\x00" in path:
        raise ValueError(f"refused (outside {prefix}): {url[:200]}")
    relative = path[len(prefix) :]
    if not relative or posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
        raise ValueError(f"refused (path not normalised): {url[:200]}")
    if any(segment in ("", ".", "..") for segment in relative.split("/")):
        raise ValueError(f"refused (path not normalised): {url[:200]}")
    for root in static_roots():
        candidate = (root / relative).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            return candidate
    raise ValueError(f"no such static file: {relative[:200]}")


def _fetcher_class():
    from urllib.request import DataHandler, Request

    load_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves ``data:`` URLs and this application's static files; refuses everything else."""

        def __init__(self):
            super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                response = DataHandler().data_open(Request(url))
                return URLFetcherResponse(
                    url, response.read(), {"Content-Type": response.headers["Content-Type"]}
                )
            file_path = resolve_static(url)
            content_type = "text/css" if file_path.suffix == ".css" else "application/octet-stream"
            return URLFetcherResponse(url, file_path.read_bytes(), {"Content-Type": content_type})

        def open(self, url, data=None, timeout=None):  # urllib's entry point: never used for network here
            raise ValueError("refused: direct open")

    return StaticOnlyFetcher


# ---------------------------------------------------------------- rendering in forked processes


def _stub_font_programs() -> None:
    """In a part's render process: embed, instead of a subset of each OpenType font, a stub naming it.

    Subsetting a CJK face costs WeasyPrint about 0.2 s per part; the merge replaces every program by one
    subset per face over the glyphs of all parts anyway (perfeval/publishing/fonts.py), made from the font
    the stub names. Fonts the merge could not rebuild (TrueType, variable or colour fonts) keep WeasyPrint's
    own subset. Called only in a forked child, which exits after the render.
    """
    from weasyprint.pdf.fonts import Font

    from perfeval.publishing.fonts import stub_program

    subset = Font.subset

    def stub_or_subset(font, to_unicode, hinting):
        plain_cff = "CFF " in font.tables and not ({"fvar", "SVG ", "COLR", "CBDT"} & set(font.tables))
        stub = stub_program(font.file_content, font.index) if plain_cff and to_unicode else None
        if stub is None:
            return subset(font, to_unicode, hinting)
        font.file_content = stub

    Font.subset = stub_or_subset


def _render_inline(html: str, max_pages: int, stub_fonts: bool = False) -> tuple[bytes, int]:
    weasyprint = load_weasyprint()
    if stub_fonts:
        _stub_font_programs()
    html_document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()())
    document = html_document.render(font_config=_font_config())
    pages = len(document.pages)
    if pages > max_pages:
        raise PdfTooLong(f"PDF 共 {pages} 页，超过上限 {max_pages} 页，已拒绝生成。")
    return document.write_pdf(), pages


def _worker(connection, max_pages: int, stub_fonts: bool) -> None:
    """A render process: renders each HTML document the parent sends until it sends None."""
    try:
        while (html := connection.recv()) is not None:
            try:
                connection.send(("ok", _render_inline(html, max_pages, stub_fonts)))
            except PdfError as exc:
                connection.send(("refused", str(exc)))
            except BaseException as exc:  # report anything to the parent rather than dying silently
                connection.send(("error", f"{type(exc).__name__}: {exc}"))
    except (EOFError, OSError):  # the parent is gone or gave up on the batch
        pass
    finally:
        connection.close()


def render_many(
    htmls: list[str],
    *,
    timeout: float,
    max_pages: int,
    workers: int | None = None,
    stub_fonts: bool = False,
    meanwhile=None,
) -> list[tuple[bytes, int]]:
    """(PDF, pages) of each HTML document, rendered by at most ``workers`` forked processes.

    Each process renders one document after another as the parent hands them out, the longest first: forking
    a process per document cost about 0.15 s each (its first render fills again every cache the parent's
    warm-up left cold, and its memory is copied page by page as it is touched). ``timeout`` bounds the whole
    batch; every process still running then is killed. Each document gets the page cap; the first failure
    stops the batch. ``stub_fonts``: for parts, whose fonts the merge embeds. ``meanwhile`` (a function) runs
    here once the first documents are handed out.
    """
    import gc

    warm_up()
    workers = max(1, min(workers or pdf_workers(), len(htmls)))
    context = multiprocessing.get_context("fork")
    waiting = sorted(range(len(htmls)), key=lambda i: -len(htmls[i]))
    results: list = [None] * len(htmls)
    idle: list = []
    busy: dict = {}  # parent's end of a pipe → index of the document its process renders
    processes: dict = {}  # parent's end → process
    deadline = time.monotonic() + timeout
    # The children's collector leaves the parent's objects alone, so their pages stay shared.
    gc.freeze()
    try:
        for _ in range(workers):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_worker, args=(child_end, max_pages, stub_fonts), daemon=True)
            process.start()
            child_end.close()
            processes[parent_end] = process
            idle.append(parent_end)
        gc.unfreeze()
        while waiting or busy:
            while waiting and idle:
                connection = idle.pop()
                index = waiting.pop(0)
                connection.send(htmls[index])
                busy[connection] = index
            if meanwhile:
                meanwhile, run = None, meanwhile
                run()
            left = deadline - time.monotonic()
            ready = multiprocessing.connection.wait(list(busy), timeout=max(left, 0))
            if not ready:
                raise PdfTimeout(f"生成 PDF 超过时限 {timeout:g} 秒，已中止。")
            for connection in ready:
                index = busy.pop(connection)
                try:
                    outcome, payload = connection.recv()
                except EOFError:
                    raise PdfError("生成 PDF 的进程意外退出。") from None
                if outcome == "refused":
                    raise PdfTooLong(payload)
                if outcome != "ok":
                    raise PdfError(f"生成 PDF 失败：{payload}")
                results[index] = payload
                idle.append(connection)
    finally:
        gc.unfreeze()
        for connection, process in processes.items():
            if connection in busy:
                process.kill()
            else:
                try:
                    connection.send(None)
                except OSError:
                    process.kill()
            process.join(5)
            if process.exitcode is None:
                process.kill()
                process.join()
            connection.close()
            process.close()
    return results


def render_pdf(html: str, *, timeout: float | None = None, max_pages: int | None = None) -> bytes:
    """The PDF of one complete HTML document, in one pass, or PdfError."""
    timeout = pdf_timeout() if timeout is None else timeout
    max_pages = pdf_max_pages() if max_pages is None else max_pages
    [(pdf, _pages)] = render_many([html], timeout=timeout, max_pages=max_pages, workers=1)
    return pdf


@cache
def _font_config():
    """One font configuration for every render of this process and its forked children: a new one per
    render would load the CJK fonts again (about 40% of a small part's render)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


_warm = False


def warm_up() -> None:
    """Load WeasyPrint and the CJK fonts once in this process, so every forked render starts warm (the first
    render of a process costs about 1.5 s of font loading; a forked child inherits the loaded state)."""
    global _warm
    if not _warm:
        from perfeval.publishing.fonts import installed_fonts

        _render_inline("<p style=\"font-family: 'Noto Serif CJK SC'\">预热<b>预热</b></p>", 1)
        installed_fonts()  # the children name their fonts from this list (fonts.stub_program)
        _warm = True


# ---------------------------------------------------------------- parts, their cache and the merge


@cache
def render_version() -> str:
    """What, besides a part's HTML, decides its pages: the stylesheets and the WeasyPrint release."""
    digest = hashlib.sha256(f"weasyprint {load_weasyprint().__version__}\nparts {PART_FORMAT}\n".encode())
    for name in STYLESHEETS:
        digest.update(name.encode() + b"\n" + resolve_static(f"{STATIC_ORIGIN}/static/{name}").read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Part:
    """One separately rendered piece of a document: its name (for messages) and its complete HTML."""

    name: str
    html: str

    @cached_property
    def key(self) -> str:
        return hashlib.sha256(f"{render_version()}\n{self.html}".encode()).hexdigest()


def missing_parts(parts: list[Part]) -> list[Part]:
    from perfeval.publishing.models import PdfPart

    stored = set(PdfPart.objects.filter(key__in=[p.key for p in parts]).values_list("key", flat=True))
    return [part for part in parts if part.key not in stored]


def render_parts(parts: list[Part], *, timeout: float, max_pages: int, workers: int | None = None) -> int:
    """Render and store every part not stored yet, in parallel; the number rendered."""
    todo = missing_parts(parts)
    _render_and_store(todo, timeout=timeout, max_pages=max_pages, workers=workers)
    return len({part.key for part in todo})


def _render_and_store(
    todo: list[Part], *, timeout: float, max_pages: int, workers=None, meanwhile=None
) -> None:
    """Render ``todo`` in parallel and store them; ``meanwhile`` runs in this process while they render."""
    from perfeval.publishing.models import PdfPart

    todo = list({part.key: part for part in todo}.values())
    if not todo:
        if meanwhile:
            meanwhile()
        return
    rendered = render_many(
        [p.html for p in todo],
        timeout=timeout,
        max_pages=max_pages,
        workers=workers,
        stub_fonts=True,
        meanwhile=meanwhile,
    )
    PdfPart.objects.bulk_create(
        [PdfPart(key=p.key, pdf=pdf, pages=pages) for p, (pdf, pages) in zip(todo, rendered, strict=True)],
        ignore_conflicts=True,  # another process stored the same part meanwhile: identical bytes
    )
    PdfPart.prune()


def render_document(
    parts: list[Part], *, timeout: float, max_pages: int, workers: int | None = None
) -> bytes:
    """The PDF of a document made of ``parts``: stored parts reused, missing ones rendered in parallel, the
    page numbers laid over, the outline of every part kept. The stored parts are read while the missing
    ones render."""
    started = time.monotonic()
    missing = missing_parts(parts)
    read: dict = {}  # key → (reader, shapes of its pages)
    missing_keys = {p.key for p in missing}
    _render_and_store(
        missing,
        timeout=timeout,
        max_pages=max_pages,
        workers=workers,
        meanwhile=lambda: _read_parts([p.key for p in parts if p.key not in missing_keys], read),
    )
    _read_parts(list(missing_keys), read)
    shapes = [shape for p in parts for shape in read[p.key][1]]
    if len(shapes) > max_pages:
        raise PdfTooLong(f"PDF 共 {len(shapes)} 页，超过上限 {max_pages} 页，已拒绝生成。")
    if shapes:
        shapes[0] = "cover"
    numbers = Part("页码", page_numbers_html(shapes))
    left = max(timeout - (time.monotonic() - started), 1)
    _render_and_store(missing_parts([numbers]), timeout=left, max_pages=len(shapes) + 1)
    _read_parts([numbers.key], read)
    return merge([read[p.key][0] for p in parts], read[numbers.key][0])


def _read_parts(keys: list[str], into: dict) -> None:
    """Parse the stored parts of ``keys`` into ``into`` (key → reader, page shapes)."""
    from perfeval.publishing.models import PdfPart

    for key, row in PdfPart.fetch(list(dict.fromkeys(keys))).items():
        reader = _reader(row.pdf)
        into[key] = (reader, _shapes(reader))


def _reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(BytesIO(bytes(data)))


def _shapes(reader) -> list[str]:
    """Portrait or landscape, as each page's size says (the merged document's first page is its cover)."""
    return [
        "landscape" if page.mediabox.width > page.mediabox.height else "portrait" for page in reader.pages
    ]


def page_numbers_html(shapes: list[str]) -> str:
    return render_to_string("publishing/pdf_page_numbers.html", {"shapes": shapes})


def merge(readers, numbers) -> bytes:
    """One PDF: the parts' pages in order with their outlines, each page with its number laid over it."""
    from pypdf import PdfWriter

    from perfeval.publishing.fonts import unify_fonts

    writer = PdfWriter()
    for reader in readers:
        writer.append(reader, import_outline=True)
    _stamp(writer, numbers)
    if readers and readers[0].metadata:
        writer.add_metadata(dict(readers[0].metadata))
    try:
        unify_fonts(writer)
    except ValueError as exc:
        raise PdfError(f"字体无法嵌入：{exc}") from exc
    # The parts' font stubs are left unreferenced: a few bytes each, not worth a pass over every object.
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp(writer, numbers) -> None:
    """Lay each page of ``numbers`` over the same page of ``writer`` (but the cover): its content as one more
    content stream after the page's own (kept compressed, wrapped in q … Q), its resources under names of
    their own. pypdf's merge_page would decode, parse and re-encode every page's content instead."""
    import re

    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    def stream(data: bytes):
        obj = DecodedStreamObject()
        obj.set_data(data)
        return writer._add_object(obj.flate_encode() if len(data) > 64 else obj)

    save, restore = stream(b"q\n"), stream(b"\nQ\n")
    cloned: dict = {}  # id of a numbers resource dict → its copy in the writer, renamed
    for page, stamp in zip(writer.pages[1:], numbers.pages[1:], strict=True):
        resources = stamp["/Resources"].get_object()
        if id(resources) not in cloned:
            cloned[id(resources)] = {
                category: {
                    f"/pn{name[1:]}": value.clone(writer) for name, value in entries.get_object().items()
                }
                for category, entries in resources.items()
                if category != "/ProcSet"
            }
        renamed = cloned[id(resources)]
        data = stamp.get_contents().get_data()
        for entries in renamed.values():
            for name in entries:
                old = b"/" + name[3:].encode()
                data = re.sub(re.escape(old) + rb"(?=[\s/\[\]<>()]|$)", b"/" + name[1:].encode(), data)
        own = page["/Resources"].get_object()
        for category, entries in renamed.items():
            target = own.get(category)
            if target is None:
                own[NameObject(category)] = target = DictionaryObject()
            target = target.get_object()
            for name, value in entries.items():
                target[NameObject(name)] = value
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else ArrayObject()
        parts = list(contents) if isinstance(contents, ArrayObject) else [page.raw_get("/Contents")]
        page[NameObject("/Contents")] = ArrayObject([save, *parts, restore, stream(data)])
