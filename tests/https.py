"""A real HTTPS server on loopback for tests of sources that are read over https only
(core.sources.open_url): a self-signed certificate for 127.0.0.1, trusted through
``SSL_CERT_FILE``, and a server whose answers a test sets per path, changeable while it
runs (a live feed whose next poll sees new data, a source that starts failing)."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A key and a self-signed certificate for localhost and 127.0.0.1, valid one day."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
    command += ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603 - fixed
    return key, cert


@dataclass
class Answer:
    body: bytes
    status: int = 200
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)  # more headers of the answer


@dataclass
class Site:
    """What the server answers: ``routes[path]`` (an Answer or bytes; a route with its
    query string wins over the path alone); any other path is a 404. ``requests`` lists
    the paths asked for, in order, and ``request_headers`` their headers."""

    base: str = ""
    routes: dict[str, Answer | bytes] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    request_headers: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


def _handler(site: Site) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(self.path)
            site.request_headers.append(dict(self.headers))
            answer = site.routes.get(self.path)
            if answer is None:
                answer = site.routes.get(self.path.split("?")[0])
            if answer is None:
                answer = Answer(b"not found", 404, "text/plain")
            elif isinstance(answer, bytes):
                answer = Answer(answer)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def https_site(key: Path, cert: Path) -> Iterator[Site]:
    """Serve a Site over https on a free loopback port (set SSL_CERT_FILE to ``cert``)."""
    site = Site()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    site.base = f"https://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
