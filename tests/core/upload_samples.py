"""Files of every kind the upload check meets, made in the test (real PDFs through pypdf,
real images through Pillow and pillow-heif, DOCX and ODT archives part by part)."""

from __future__ import annotations

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ODT = "application/vnd.oasis.opendocument.text"


def pdf(*, pages: int = 1, tail: bytes = b"") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue() + tail


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript, in the catalog's /Names /JavaScript tree."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Names [(hallo) 5 0 R] >>",
        b"<< /S /JavaScript /JS (app.alert('hallo');) >>",
    )


def pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("rechnung.exe", b"MZ not really a program")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="geheim", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand with a correct cross-reference table: object 1 must be the
    catalog; ``objects`` are the bodies of objects 1, 2, ..."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_hidden_open_action() -> bytes:
    """JavaScript run at opening, its action type spelled with a #-escape (/J#61vaScript)
    and its dictionary inline in the catalog, where a byte search would not see it."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R"
        b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    )


def image(pillow_format: str, size: tuple[int, int] = (32, 24)) -> bytes:
    if pillow_format == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, pillow_format)
    return out.getvalue()


def _zip(parts: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(parts):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=kind)
    return out.getvalue()


def docx(
    *, main: str = DOCX_MAIN, extra: tuple[tuple[str, bytes], ...] = (), types: bytes = b""
) -> bytes:
    content_types = types or (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" ContentType="' + main.encode() + b'"/></Types>'
    )
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        b"</Relationships>"
    )
    document = (
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Antrag</w:t></w:r></w:p>'
        b"</w:body></w:document>"
    )
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", rels)]
    return _zip([*parts, ("word/document.xml", document), *extra])


def odt(
    *, mimetype: str = ODT, extra: tuple[tuple[str, bytes], ...] = (), stored: bool = True
) -> bytes:
    manifest = (
        b'<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        b'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
        b'manifest:media-type="' + mimetype.encode() + b'"/></manifest:manifest>'
    )
    content = (
        b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
        b'opendocument:xmlns:office:1.0"/>'
    )
    parts = [("mimetype", mimetype.encode()), ("META-INF/manifest.xml", manifest)]
    return _zip([*parts, ("content.xml", content), *extra], stored_first=stored)


def _stream(data: bytes, compress: bool = False) -> bytes:
    import zlib

    body = zlib.compress(data, 9) if compress else data
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(body), flate, body)


def pdf_with_xfa(xfa: bytes, *, compress: bool = False) -> bytes:
    """A PDF whose AcroForm carries an XFA form (the XML of ``xfa``)."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        _stream(xfa, compress),
    )
