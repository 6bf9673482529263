"""Uploads scanned by a real clamd, started by the test with one EICAR signature
(tests/core/clamd.py): clean files pass, EICAR is refused by name, a stopped or silent
scanner refuses (fail closed) unless fail-open is chosen, and the stream limit holds.
Also `smartcity uploads check` as an operator runs it."""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from smartcity.core.uploads import PDF, UploadRefused, check, clamav
from tests.core import upload_samples as samples
from tests.core.clamd import SIGNATURE, STREAM_MAX_BYTES, Clamd, eicar, running_clamd

MB = 1_000_000


@pytest.fixture(scope="session")
def clamd(tmp_path_factory) -> Clamd:
    with running_clamd(tmp_path_factory.mktemp("clamd")) as server:
        yield server


@pytest.fixture
def scanner(clamd, monkeypatch) -> Clamd:
    monkeypatch.setenv("SMARTCITY_CLAMAV_URL", clamd.tcp_url)
    monkeypatch.setenv("SMARTCITY_CLAMAV_TIMEOUT", "10")
    monkeypatch.setenv("SMARTCITY_CLAMAV_FAIL_OPEN", "0")
    return clamd


def infected_pdf() -> bytes:
    """A valid PDF that carries the EICAR string after its end, where readers ignore it."""
    return samples.pdf(tail=b"%" + eicar() + b"\n")


def test_a_clean_pdf_passes_and_is_marked_scanned(scanner):
    checked = check(io.BytesIO(samples.pdf()), accept=[PDF], max_bytes=MB, name="a.pdf")
    assert checked.media_type == PDF and checked.scanned is True


def test_the_unix_socket_works_as_well(scanner, monkeypatch):
    monkeypatch.setenv("SMARTCITY_CLAMAV_URL", scanner.unix_url)
    assert check(io.BytesIO(samples.image("PNG")), accept=["image/png"], max_bytes=MB).scanned


def test_eicar_is_refused_naming_the_signature(scanner, caplog):
    data = infected_pdf()
    # the content check alone accepts it: only the scanner can tell
    assert clamav.scan(io.BytesIO(samples.pdf()), url=scanner.tcp_url, timeout=10).clean
    with (
        caplog.at_level(logging.WARNING, "smartcity.uploads"),
        pytest.raises(UploadRefused) as caught,
    ):
        check(io.BytesIO(data), accept=[PDF], max_bytes=MB, name="antrag.pdf")
    assert caught.value.reason == "infected"
    assert caught.value.signature.startswith(SIGNATURE)
    assert SIGNATURE in str(caught.value)
    assert any(SIGNATURE in record.getMessage() for record in caplog.records)


def test_a_file_over_the_scanners_stream_limit_is_refused(scanner):
    big = samples.pdf(tail=b"%" + b"x" * (STREAM_MAX_BYTES + 10_000) + b"\n")
    with pytest.raises(UploadRefused) as caught:
        check(io.BytesIO(big), accept=[PDF], max_bytes=10 * MB)
    assert caught.value.reason == "too_large"
    assert "Schadsoftware" in str(caught.value)


def test_a_stopped_clamd_refuses_the_upload(tmp_path, monkeypatch, caplog):
    with running_clamd(tmp_path) as short_lived:
        monkeypatch.setenv("SMARTCITY_CLAMAV_URL", short_lived.tcp_url)
        assert check(io.BytesIO(samples.pdf()), accept=[PDF], max_bytes=MB).scanned
    assert short_lived.process.poll() is not None  # stopped
    with (
        caplog.at_level(logging.ERROR, "smartcity.uploads"),
        pytest.raises(UploadRefused) as caught,
    ):
        check(io.BytesIO(samples.pdf()), accept=[PDF], max_bytes=MB)
    assert caught.value.reason == "scanner_unavailable"
    assert "später noch einmal" in str(caught.value)
    assert any("unavailable" in record.getMessage() for record in caplog.records)


def test_fail_open_accepts_unscanned_and_warns(monkeypatch, caplog):
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("SMARTCITY_CLAMAV_URL", f"tcp://127.0.0.1:{port}")
    monkeypatch.setenv("SMARTCITY_CLAMAV_FAIL_OPEN", "1")
    with caplog.at_level(logging.WARNING, "smartcity.uploads"):
        checked = check(io.BytesIO(samples.pdf()), accept=[PDF], max_bytes=MB)
    assert checked.scanned is False
    assert any("UNSCANNED" in record.getMessage() for record in caplog.records)


@pytest.fixture
def silent_scanner():
    """A TCP server that takes connections and never answers: one that reads the file
    (the answer never comes), or one that reads nothing (sending the file stalls)."""
    servers: list[socket.socket] = []
    held: list[socket.socket] = []

    def start(reads: bool) -> str:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        servers.append(server)
        threading.Thread(target=_accept, args=(server, held, reads), daemon=True).start()
        return f"tcp://127.0.0.1:{server.getsockname()[1]}"

    yield start
    for sock in servers + held:
        sock.close()


def _accept(server: socket.socket, held: list[socket.socket], reads: bool) -> None:
    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        held.append(conn)
        if reads:
            threading.Thread(target=_swallow, args=(conn,), daemon=True).start()


def _swallow(conn: socket.socket) -> None:
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


@pytest.mark.parametrize(("reads", "size"), [(True, 100), (False, 8 * MB)])
def test_a_silent_scanner_times_out_and_refuses(silent_scanner, monkeypatch, reads, size):
    monkeypatch.setenv("SMARTCITY_CLAMAV_URL", silent_scanner(reads))
    monkeypatch.setenv("SMARTCITY_CLAMAV_TIMEOUT", "0.5")
    data = samples.pdf(tail=b"%" + b"y" * size)
    started = time.monotonic()
    with pytest.raises(clamav.ScannerUnavailable):
        clamav.scan(io.BytesIO(data), url=os.environ["SMARTCITY_CLAMAV_URL"], timeout=0.5)
    assert 0.45 < time.monotonic() - started < 1.5  # one deadline for send and answer
    with pytest.raises(UploadRefused) as caught:
        check(io.BytesIO(data), accept=[PDF], max_bytes=10 * MB)
    assert caught.value.reason == "scanner_unavailable"


def test_a_malformed_scanner_url_refuses_rather_than_skips(monkeypatch):
    monkeypatch.setenv("SMARTCITY_CLAMAV_URL", "http://127.0.0.1:3310")
    with pytest.raises(UploadRefused) as caught:
        check(io.BytesIO(samples.pdf()), accept=[PDF], max_bytes=MB)
    assert caught.value.reason == "scanner_unavailable"


def _command(*args: str, env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "smartcity.cli", "uploads", "check", *args],
        env={**clean, "SMARTCITY_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_checks_files_as_uploads_are_checked(clamd, tmp_path):
    (tmp_path / "antrag.pdf").write_bytes(samples.pdf())
    (tmp_path / "foto.pdf").write_bytes(samples.image("PNG"))
    (tmp_path / "virus.pdf").write_bytes(infected_pdf())
    files = [str(tmp_path / n) for n in ("antrag.pdf", "foto.pdf", "virus.pdf")]
    result = _command(*files, env={"SMARTCITY_CLAMAV_URL": clamd.tcp_url}, data_dir=tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stderr
    assert lines[0].startswith(f"# clamd at {clamd.tcp_url}: ClamAV ")
    assert "\taccepted\tapplication/pdf" in lines[1] and "scanned by clamd" in lines[1]
    assert "\trefused (extension)\t" in lines[2]
    assert "\trefused (infected)\t" in lines[3] and SIGNATURE in lines[3]

    ok = _command(
        files[0], "--no-scan", env={"SMARTCITY_CLAMAV_URL": clamd.tcp_url}, data_dir=tmp_path
    )
    assert ok.returncode == 0 and "not scanned" in ok.stdout
    missing = _command(str(tmp_path / "fehlt.pdf"), env={}, data_dir=tmp_path)
    assert missing.returncode == 2 and "unreadable" in missing.stdout
    narrow = _command(files[0], "--accept", "image/png", env={}, data_dir=tmp_path)
    assert narrow.returncode == 1 and "refused (type)" in narrow.stdout
