"""A small client of clamd's INSTREAM command: the file goes to the scanner in chunks, each
with its length as 4 bytes big-endian, then a chunk of length 0; clamd answers
``stream: OK``, ``stream: <signature> FOUND`` or ``... ERROR``.

Our own rather than the ``clamd`` package (last released 2014): the protocol is these few
lines, and one deadline covers connect, send and answer, so a silent scanner cannot hold a
request thread longer than SMARTCITY_CLAMAV_TIMEOUT.
"""

from __future__ import annotations

import socket
import struct
import time
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlsplit

CHUNK_BYTES = 65536
_ANSWER_LIMIT = 4096  # clamd's answers are one short line


class ScannerUnavailable(Exception):
    """clamd did not answer (in time), or answered with an error of its own."""


class ScanTooLarge(Exception):
    """The file is longer than clamd takes on a stream (its StreamMaxLength)."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    signature: str | None = None  # the name of what clamd found, when not clean


def connect(url: str, timeout: float) -> socket.socket:
    """A socket to the clamd at ``url`` (tcp://host:port or unix:///path)."""
    parts = urlsplit(url)
    try:
        if parts.scheme == "tcp" and parts.hostname and parts.port:
            return socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        if parts.scheme == "unix" and parts.path:
            unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            unix.settimeout(timeout)
            try:
                unix.connect(parts.path)
            except OSError:
                unix.close()
                raise
            return unix
    except OSError as error:
        raise ScannerUnavailable(f"cannot connect to clamd at {url}: {error}") from error
    raise ScannerUnavailable(
        f"SMARTCITY_CLAMAV_URL {url!r} is neither tcp://HOST:PORT nor unix:///PATH"
    )


def scan(file: IO[bytes], *, url: str, timeout: float) -> Verdict:
    """What clamd says of ``file`` (read from its start, and left there)."""
    deadline = time.monotonic() + timeout
    file.seek(0)
    with connect(url, timeout) as conn:
        try:
            _send(conn, file, deadline)
        except (BrokenPipeError, ConnectionResetError):
            pass  # clamd closes early when the stream is over its limit: its answer says so
        except OSError as error:
            raise ScannerUnavailable(f"clamd did not take the file: {error}") from error
        finally:
            file.seek(0)
        answer = _answer(conn, deadline)
    return parse(answer)


def version(url: str, timeout: float) -> str:
    """clamd's version line (e.g. ``ClamAV 1.4.6/...``): whether it answers at all."""
    deadline = time.monotonic() + timeout
    with connect(url, timeout) as conn:
        try:
            conn.sendall(b"zVERSION\0")
        except OSError as error:
            raise ScannerUnavailable(f"clamd did not take the command: {error}") from error
        return _answer(conn, deadline)


def parse(answer: str) -> Verdict:
    if answer == "stream: OK":
        return Verdict(clean=True)
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        return Verdict(clean=False, signature=answer[len("stream: ") : -len(" FOUND")])
    if "size limit exceeded" in answer:
        raise ScanTooLarge(answer)
    raise ScannerUnavailable(f"clamd answered {answer!r}")


def _send(conn: socket.socket, file: IO[bytes], deadline: float) -> None:
    _wait(conn, deadline)
    conn.sendall(b"zINSTREAM\0")
    while chunk := file.read(CHUNK_BYTES):
        _wait(conn, deadline)
        conn.sendall(struct.pack(">I", len(chunk)) + chunk)
    _wait(conn, deadline)
    conn.sendall(struct.pack(">I", 0))


def _answer(conn: socket.socket, deadline: float) -> str:
    received = b""
    while b"\0" not in received and len(received) < _ANSWER_LIMIT:
        try:
            _wait(conn, deadline)
            data = conn.recv(_ANSWER_LIMIT)
        except OSError as error:
            raise ScannerUnavailable(f"clamd did not answer: {error}") from error
        if not data:
            break
        received += data
    if not received:
        raise ScannerUnavailable("clamd closed the connection without an answer")
    return received.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _wait(conn: socket.socket, deadline: float) -> None:
    """The time left until ``deadline`` as the socket's timeout; none left is a timeout."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("SMARTCITY_CLAMAV_TIMEOUT passed")
    conn.settimeout(left)
