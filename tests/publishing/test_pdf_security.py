"""The PDF renderer fetches nothing but our static files and data: URLs — neither from report texts nor from
HTML given to render_pdf directly — and no file's bytes reach the PDF."""

import http.server
import threading
from io import BytesIO
from pathlib import Path

import pytest

from perfeval.filing.models import Report
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.presentation import live_document
from perfeval.publishing.documents import document_html
from perfeval.publishing.pdf import PdfTimeout, PdfTooLong, render_pdf, resolve_static
from tests.publishing.conftest import pdf_pages

HOSTNAME = Path("/etc/hostname").read_text().strip() or "localhost"


@pytest.fixture
def trap_server():
    """A web server of the test's own on loopback that counts every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { background: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def hostile(url: str) -> str:
    return (
        f'<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/hostname">'
        f'<style>@import url("{url}/import.css"); @import url("file:///etc/passwd");</style>'
        f'<link rel="stylesheet" href="{url}/sheet.css"><img src="{url}/img.png">'
        f'<img src="/static/../../../../etc/passwd"><img src="/static/%2e%2e/%2e%2e/etc/passwd">'
        f'<object data="{url}/object"></object><iframe src="{url}/frame"></iframe>'
        f'<a href="{url}/link">链接</a>'
    )


def attachments(data: bytes) -> dict:
    from pypdf import PdfReader

    return dict(PdfReader(BytesIO(data)).attachments)


def assert_no_leak(data: bytes) -> None:
    text = "".join(pdf_pages(data))
    assert "root:" not in text and "/bin/" not in text
    assert attachments(data) == {}
    assert b"root:x:0:0" not in data


def test_render_pdf_direct_html_fetches_nothing(trap_server):
    url, hits = trap_server
    html = f"<html><head>{hostile(url)}</head><body><p>正文</p>{hostile(url)}</body></html>"
    data = render_pdf(html)
    assert hits == []
    assert_no_leak(data)
    assert "正文" in "".join(pdf_pages(data))


@pytest.mark.django_db
def test_report_texts_with_html_are_escaped_and_fetch_nothing(demo_report, trap_server):
    url, hits = trap_server
    payload = hostile(url)
    Report.objects.filter(pk=demo_report.pk).update(
        s7_problems=payload, s10_other=payload, frugality_measures=payload
    )
    report = reports_with_parts().get(pk=demo_report.pk)
    html = document_html(live_document(report), draft=True)
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    data = render_pdf(html)
    assert hits == []
    assert_no_leak(data)
    assert 'img src="file:///etc/passwd"' in "".join(pdf_pages(data)).replace("\n", "")  # shown as text


def test_static_fetcher_serves_our_stylesheet_only():
    assert resolve_static("https://static.perfeval.invalid/static/publishing/print.css").name == "print.css"
    refused = [
        "file:///etc/passwd",
        "http://127.0.0.1/static/publishing/print.css",
        "https://static.perfeval.invalid/static/../perfeval/settings.py",
        "https://static.perfeval.invalid/static/publishing/../../perfeval/settings.py",
        "https://static.perfeval.invalid/static/%2e%2e/perfeval/settings.py",
        "https://static.perfeval.invalid/etc/passwd",
        "https://static.perfeval.invalid/static//etc/passwd",
        "https://static.perfeval.invalid/static/publishing/missing.css",
    ]
    outcomes = []
    for url in refused:
        try:
            resolve_static(url)
            outcomes.append((url, "served"))
        except ValueError:
            outcomes.append((url, "refused"))
    assert outcomes == [(url, "refused") for url in refused]


def test_static_fetcher_refuses_a_symlink_out_of_the_static_folder(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p { color: black }")
    (static / "escape.css").symlink_to("/etc/passwd")
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = tmp_path / "collected"
    assert resolve_static("https://static.perfeval.invalid/static/ok.css") == (static / "ok.css").resolve()
    with pytest.raises(ValueError):
        resolve_static("https://static.perfeval.invalid/static/escape.css")


def test_data_urls_are_allowed():
    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    data = render_pdf(f'<p>图</p><img src="{pixel}">')
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data


def test_render_pdf_refuses_more_pages_than_the_cap():
    html = "".join(f'<p style="break-after: page">第{n}段</p>' for n in range(5))
    with pytest.raises(PdfTooLong):
        render_pdf(html, max_pages=3)


def test_render_pdf_stops_at_the_time_limit():
    html = "<table>" + "".join(f"<tr><td>{n}</td><td>行</td></tr>" for n in range(40000)) + "</table>"
    with pytest.raises(PdfTimeout):
        render_pdf(html, timeout=0.5)
