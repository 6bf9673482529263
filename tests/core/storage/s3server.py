"""A real S3-compatible server for the tests: moto's server mode (Flask, speaking the S3
REST protocol over HTTP) in a process of its own, on a free port, with a bucket."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

BUCKET = "smartcity-test"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    bucket: str = BUCKET
    access_key: str = "testing"
    secret_key: str = "testing"  # moto takes any key

    def env(self) -> dict[str, str]:
        return {
            "SMARTCITY_STORAGE_BACKEND": "s3",
            "SMARTCITY_STORAGE_ENDPOINT": self.endpoint,
            "SMARTCITY_STORAGE_BUCKET": self.bucket,
            "SMARTCITY_STORAGE_ACCESS_KEY": self.access_key,
            "SMARTCITY_STORAGE_SECRET_KEY": self.secret_key,
            "SMARTCITY_STORAGE_REGION": "eu-central-1",
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("moto_server stopped at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not listen within 30 s")


def s3_server() -> Iterator[S3Server]:
    try:
        import moto.server  # noqa: F401
    except ImportError:  # pragma: no cover - dev dependency moto[server]
        pytest.skip("moto[server] is not installed (pip install 'moto[server]'): no S3 server")
    port = _free_port()
    command = shutil.which("moto_server") or sys.executable
    args = [command] if command != sys.executable else [command, "-m", "moto.server"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter or moto_server
        [*args, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port, process)
        server = S3Server(f"http://127.0.0.1:{port}")
        from smartcity.core.storage.s3 import client

        made = client(server.endpoint, "eu-central-1", "testing", "testing", 10)
        made.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
        )
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
