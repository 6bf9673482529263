"""A real clamd for the upload tests, started by the test: a temporary configuration with
a TCP socket on a free loopback port and a Unix socket, in the foreground, and a database
folder holding ONE signature, the EICAR test file's, written here as a body signature
(.ndb, hex): no freshclam, no downloaded definitions. The EICAR string itself is put
together at run time, so no file on disk carries it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SIGNATURE = "Smartcity.Test.EICAR"
STREAM_MAX_BYTES = 1024 * 1024  # clamd's StreamMaxLength in these tests


def eicar() -> bytes:
    """The EICAR anti-virus test string, from parts."""
    return (
        "X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS" + "-TEST-FILE!$H+H*"
    ).encode()


@dataclass(frozen=True)
class Clamd:
    tcp_url: str
    unix_url: str
    process: subprocess.Popen[bytes]


def clamd_binary() -> str:
    found = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        pytest.fail("clamd is not installed: run scripts/ensure-system-deps (clamav-daemon)")
    return found


@contextmanager
def running_clamd(folder: Path) -> Iterator[Clamd]:
    """clamd on a free loopback port until the block ends."""
    database = folder / "db"
    database.mkdir(parents=True)
    (database / "smartcity-test.ndb").write_text(f"{SIGNATURE}:0:*:{eicar().hex()}\n")
    with socket.socket() as probe:  # a free port, given back for clamd to bind
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unix = folder / "clamd.sock"
    (folder / "clamd.conf").write_text(
        "Foreground yes\n"
        f"DatabaseDirectory {database}\n"
        f"TCPSocket {port}\nTCPAddr 127.0.0.1\n"
        f"LocalSocket {unix}\n"
        f"LogFile {folder / 'clamd.log'}\n"
        f"StreamMaxLength {STREAM_MAX_BYTES}\n"
        "Bytecode no\n"
    )
    process = subprocess.Popen(  # noqa: S603 - the system's clamd, our own configuration
        [clamd_binary(), "--config-file", str(folder / "clamd.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, process, folder)
        yield Clamd(f"tcp://127.0.0.1:{port}", f"unix://{unix}", process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _wait_for(port: int, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
            pytest.fail(f"clamd stopped at its start: {log[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"zPING\0")
                if conn.recv(16).startswith(b"PONG"):
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail("clamd did not answer PING within 60 s")
