"""Time the inspection of evidence files at the size limit (type by content, active-content and zip-bomb checks,
the text the publication gate reads), against the yardstick of hashing the same bytes (SHA-256, which every
upload pays anyway), and the refusal of 1,000 files in one request against reading the same body as bytes.

Run: .venv/bin/python benchmarks/bench_evidence.py [runs] [megabytes (default 20)]
Target: a 20 MB file inspected in ≤ 2 s on 2 cores (a web worker's share of an upload); a hostile request
refused in ≤ 1 s.
"""

import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings")
django.setup()

import hashlib  # noqa: E402

from perfeval.evidence import content  # noqa: E402
from tests.evidence import files  # noqa: E402


def big_pdf(target: int, pages: int = 100) -> bytes:
    """A scanned-and-typed survey of about ``target`` bytes: ``pages`` pages, each with 40 lines of text and an
    uncompressed image (random pixels) of its share of the size."""
    side = int((target / pages / 3) ** 0.5)
    objects: dict[int, bytes] = {1: b"", 2: b"", 3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    kids = []
    for index in range(pages):
        page, stream, image = 4 + 3 * index, 5 + 3 * index, 6 + 3 * index
        lines = " ".join(
            f"(Respondent {index:03d}-{i:02d}: satisfied, score {i % 5 + 1}) '" for i in range(40)
        )
        text = f"q 200 0 0 200 300 500 cm /Im0 Do Q BT /F1 9 Tf 40 760 Td 11 TL {lines} ET".encode()
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im0 %d 0 R >> >> >>" % (stream, image)
        )
        objects[stream] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
        pixels = os.urandom(side * side * 3)
        objects[image] = (
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
            b"/Length %d >>\nstream\n%s\nendstream" % (side, side, len(pixels), pixels)
        )
        kids.append(b"%d 0 R" % page)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for number in sorted(objects):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def big_docx(target: int) -> bytes:
    """A docx of about ``target`` bytes: random CJK text, which deflate hardly shrinks."""
    rng = random.Random(1)
    text = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(target // 3))
    return files.docx(text)


def big_png(target: int) -> bytes:
    from PIL import Image

    side = int((target / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def median(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refusal_times(runs: int) -> tuple[float, float]:
    """(reading a 1,000-file request with the upload limits, reading the same body as bytes): the refusal stops
    the parse at the eleventh file."""
    from django.test import RequestFactory

    from perfeval.evidence.uploads import read_upload

    body, content_type = files.multipart([("files", f"{i}.pdf", files.pdf()) for i in range(1000)])
    factory = RequestFactory()

    def refused():
        assert read_upload(factory.post("/", body, content_type=content_type)).startswith("一次最多上传")

    def bare():  # receiving the bytes, which any server pays (Django's own parse refuses past 100 files)
        assert len(factory.post("/", body, content_type=content_type).body) == len(body)

    return median(refused, runs), median(bare, runs)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    limit = int(sys.argv[2] if len(sys.argv) > 2 else 20) * 1024 * 1024
    print(f"runs {runs}, median seconds; yardstick: SHA-256 of the same bytes")
    for name, build in (("pdf", big_pdf), ("docx", big_docx), ("png", big_png)):
        start = time.perf_counter()
        data = build(int(limit * 0.95))
        print(
            f"({name}: built {len(data) / 1048576:.1f} MB in {time.perf_counter() - start:.1f} s)", flush=True
        )
        inspected = content.inspect(data)
        inspect = median(lambda data=data: content.inspect(data), runs)
        digest = median(lambda data=data: hashlib.sha256(data).hexdigest(), runs)
        print(
            f"{name:5} {len(data) / 1048576:5.1f} MB  inspect {inspect:6.3f} s  sha256 {digest:6.3f} s  "
            f"ratio ×{inspect / digest:,.0f}  text {len(inspected.text or '') / 1000:,.0f} k chars"
        )
    refused, bare = refusal_times(runs)
    print(
        f"1,000 files in one request ({len(files.pdf()) * 1000 / 1048576:.1f} MB): refused {refused:.3f} s, "
        f"reading the body as bytes {bare:.3f} s (ratio ×{refused / bare:.2f})"
    )


if __name__ == "__main__":
    main()
