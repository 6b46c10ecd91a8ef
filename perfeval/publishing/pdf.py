"""HTML → PDF with WeasyPrint, locked down.

* The fetcher serves only the app's own static files and ``data:`` URLs. Everything else — http(s), ``file:``
  anywhere, redirects, another host — is refused before any socket or file is opened. It is used for the HTML
  and for every stylesheet, image and attachment WeasyPrint asks for.
* The render runs in a forked child process with a wall-clock limit (``PDF_TIMEOUT_SECONDS``, default 60 s):
  a pathological document cannot hang a web worker or the task worker, and a killed child frees its memory.
  Fork (not spawn) keeps the parent's already-imported WeasyPrint and fontconfig cache warm, which is what
  makes a one-second render possible; the child never touches the database.
* A page cap (``PDF_MAX_PAGES``, default 300) refuses a runaway document after layout, before writing.
"""

import multiprocessing
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

# Relative and root-relative URLs in our templates (``{% static %}`` gives "/static/…") resolve against this
# origin; it never reaches the network because StaticOnlyFetcher maps it to files on disk.
STATIC_ORIGIN = "https://static.perfeval.invalid"
BASE_URL = f"{STATIC_ORIGIN}/"


class PdfError(Exception):
    """The PDF could not be produced; the message is shown to the reviewer."""


class PdfTimeout(PdfError):
    pass


class PdfTooLong(PdfError):
    pass


def pdf_timeout() -> float:
    return float(getattr(settings, "PDF_TIMEOUT_SECONDS", 60))


def pdf_max_pages() -> int:
    return int(getattr(settings, "PDF_MAX_PAGES", 300))


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


def _render_inline(html: str, max_pages: int) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()()).render()
    if len(document.pages) > max_pages:
        raise PdfTooLong(f"PDF 共 {len(document.pages)} 页，超过上限 {max_pages} 页，已拒绝生成。")
    return document.write_pdf()


def _child(connection, html: str, max_pages: int) -> None:
    try:
        connection.send(("ok", _render_inline(html, max_pages)))
    except PdfError as exc:
        connection.send(("refused", str(exc)))
    except BaseException as exc:  # report anything to the parent rather than dying silently
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def render_pdf(html: str, *, timeout: float | None = None, max_pages: int | None = None) -> bytes:
    """The PDF of ``html`` (a complete document from our templates), or PdfError."""
    timeout = pdf_timeout() if timeout is None else timeout
    max_pages = pdf_max_pages() if max_pages is None else max_pages
    warm_up()

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, html, max_pages), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise PdfTimeout(f"生成 PDF 超过时限 {timeout:g} 秒，已中止。")
        try:
            outcome, payload = receiver.recv()
        except EOFError:
            raise PdfError("生成 PDF 的进程意外退出。") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
        process.close()
    if outcome == "ok":
        return payload
    if outcome == "refused":
        raise PdfTooLong(payload)
    raise PdfError(f"生成 PDF 失败：{payload}")


_warm = False


def warm_up() -> None:
    """Load WeasyPrint and the CJK fonts once in this process, so every forked render starts warm (the first
    render of a process costs about 1.5 s of font loading; a forked child inherits the loaded state)."""
    global _warm
    if not _warm:
        _render_inline("<p style=\"font-family: 'Noto Serif CJK SC'\">预热<b>预热</b></p>", 1)
        _warm = True
