"""Real files of every accepted type, and hostile ones, built byte by byte for the tests."""

import io
import zipfile


def pdf(
    lines=("Satisfaction survey 2023", "Respondents 1200, satisfied 96%"), *, catalog_extra: str = ""
) -> bytes:
    """A valid one-page PDF whose text pypdf reads back; ``catalog_extra`` goes into the catalog dictionary."""
    text = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    return pdf(catalog_extra="/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")


def pdf_with_hidden_javascript() -> bytes:
    """The name written with #xx escapes, as a filter that matches plain "/JavaScript" would miss it."""
    return pdf(catalog_extra="/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> ")


def pdf_with_launch() -> bytes:
    return pdf(catalog_extra="/OpenAction << /S /Launch /F (cmd.exe) >> ")


def pdf_in_object_stream_with_javascript() -> bytes:
    """The script action packed inside a compressed object stream (PDF 1.5): invisible in the raw bytes, seen
    only by parsing the stream."""
    import struct
    import zlib

    action = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    header = b"6 0 "
    packed = zlib.compress(header + action)
    text = b"BT /F1 12 Tf 72 720 Td (Survey) Tj ET"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        7: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(header), len(packed), packed),
    }
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    offsets[8] = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, 9):
        if number == 6:
            rows.append(struct.pack(">BIH", 2, 7, 0))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    data = b"".join(rows)
    out.write(
        b"8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\n"
        % (len(data), data)
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[8])
    return out.getvalue()


def png(size=(40, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 30, 200)).save(out, format="JPEG")
    return out.getvalue()


def xlsx(rows=(("调查项目", "满意率"), ("来访群众", "96%"))) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx(text: str = "来访群众满意度调查报告：满意率 96%") -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
    )
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document.encode()})


def docx_bomb() -> bytes:
    """A docx whose document.xml inflates 50 MB of zeros out of about 50 KB."""
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"0" * (50 * 1024 * 1024)})


def docx_with_many_entries(count: int = 3000) -> bytes:
    return _zip(
        {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<x/>"}
        | {f"word/media/{i}.xml": b"<x/>" for i in range(count)}
    )


def docx_with_macro() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": b"<x/>",
            "word/vbaProject.bin": b"\0" * 10,
        }
    )


def ofd() -> bytes:
    return _zip(
        {
            "OFD.xml": b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016">'
            b"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
            "Doc_0/Document.xml": b'<?xml version="1.0"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>',
            "Doc_0/Pages/Page_0/Content.xml": '<?xml version="1.0"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/'
            '2016"><ofd:TextCode>满意度调查 96%</ofd:TextCode></ofd:Page>'.encode(),
        }
    )


def windows_executable() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run"
    )


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
        b'<rect width="10" height="10"/></svg>'
    )


def multipart(
    parts: list[tuple[str, str | None, bytes]], boundary: str = "perfevalBoundary"
) -> tuple[bytes, str]:
    """A multipart body written by hand — file names exactly as given, which Django's test client would
    clean — and its content type. ``parts``: (field, file name or None for a plain field, value)."""
    out = io.BytesIO()
    for field, filename, value in parts:
        out.write(f"--{boundary}\r\n".encode())
        disposition = f'form-data; name="{field}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out.write(f"Content-Disposition: {disposition}\r\n".encode())
        if filename is not None:
            out.write(b"Content-Type: application/octet-stream\r\n")
        out.write(b"\r\n" + value + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def docx_with_lying_sizes() -> bytes:
    """A docx whose directory declares document.xml 100 bytes long while it inflates to 10 MB: the ratio check
    reads the declared sizes, so reading must stop at them."""
    data = bytearray(
        _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<a>" + b"0" * 10_000_000})
    )
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[start + size_at : start + size_at + 4] = (100).to_bytes(4, "little")
            start += 4
    return bytes(data)
