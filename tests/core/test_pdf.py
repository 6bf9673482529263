"""PDF/A documents: what core.pdf writes declares PDF/A-3b, carries its title and language,
and the renderer fetches nothing but data: URLs and the platform's own static files."""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pypdf import PdfReader

from smartcity.core import pdf


def test_a_document_is_pdf_a_3b_with_its_title_and_language() -> None:
    body = pdf.from_html(
        "<html><body><h1>Eingangsbestätigung</h1><p>Größe: 12 €</p></body></html>",
        title="Eingangsbestätigung KITA-2026-0001",
    )
    document = PdfReader(io.BytesIO(body))
    raw = document.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in raw
    assert b'pdfaid:conformance="B"' in raw
    assert document.metadata is not None
    assert document.metadata.title == "Eingangsbestätigung KITA-2026-0001"
    assert document.trailer["/Root"]["/Lang"] == "de"
    assert "Größe: 12 €" in document.pages[0].extract_text()


def test_the_renderer_fetches_nothing_from_another_host() -> None:
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    where = f"http://127.0.0.1:{server.server_port}"
    try:
        body = pdf.from_html(
            f'<html><head><link rel="stylesheet" href="{where}/a.css"></head>'
            f'<body><img src="{where}/b.png" alt=""><p>Hallo</p></body></html>',
            title="Test",
        )
    finally:
        server.shutdown()
    assert body.startswith(b"%PDF-")
    assert asked == []


def test_a_stylesheet_from_static_is_applied() -> None:
    """The platform's own stylesheets reach the renderer as text/css (else it ignores them)."""
    plain = pdf.from_html("<html><body><p>x</p></body></html>", title="Test")
    assert "1 / 1" not in PdfReader(io.BytesIO(plain)).pages[0].extract_text()
    styled = pdf.from_html(
        '<html><head><link rel="stylesheet" href="/static/css/aushang.css"></head>'
        '<body class="sheet-document"><p>x</p></body></html>',
        title="Test",
    )
    # the stylesheet numbers the pages at their foot ("1 / 1")
    assert "1 / 1" in PdfReader(io.BytesIO(styled)).pages[0].extract_text()
