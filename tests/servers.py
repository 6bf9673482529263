"""The platform served as in production, for tests that need the real server: uvicorn
with the platform's ASGI application (pooled threads, the body read before a thread is
taken, live streams on the event loop), in a thread of the test process so that it uses
the test database; and a TCP gate in front of it that a test can shut, as a reverse proxy
whose backend is down would be."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import uvicorn
from django.core.asgi import get_asgi_application

from smartcity.core.static import StaticFiles
from smartcity.core.threads import ThreadPoolApp


def free_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serving(app: object) -> Iterator[int]:
    """An ASGI application on uvicorn on a free loopback port; yields the port."""
    sock = free_socket()
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@contextmanager
def asgi_server(threads: int = 4) -> Iterator[str]:
    """The platform on a free loopback port, with its static files as asgi.py serves
    them; yields its base URL."""
    app = ThreadPoolApp(get_asgi_application(), threads=threads)
    files = StaticFiles(app)
    try:
        with serving(files) as port:
            yield f"http://127.0.0.1:{port}"
    finally:
        app.close()


BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n"
    b"Connection: close\r\n\r\nBad Gateway"
)


class Gate:
    """A TCP relay to ``target``. :meth:`shut` cuts every open connection and answers new
    ones 502, as nginx does while the platform restarts; :meth:`reopen` relays again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = free_socket()
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.refused = 0  # connections answered 502 so far
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def shut(self) -> None:
        with self._lock:
            self.open = False
            for sock in self._sockets:
                _cut(sock)
            self._sockets.clear()

    def reopen(self) -> None:
        self.open = True

    def close(self) -> None:
        self._closed = True
        self.shut()
        self.listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                self.refused += 1
                _refuse(client)
                continue
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _refuse(client: socket.socket) -> None:
    try:
        client.settimeout(2)
        client.recv(65536)  # the request, unread otherwise
        client.sendall(BAD_GATEWAY)
    except OSError:
        pass
    _cut(client)


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass
    _cut(source)
    _cut(sink)


def _cut(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
