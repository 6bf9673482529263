"""Start the test provider as a process of its own: a fresh RSA key, its database seeded
with people and clients registered for the platform's callback, ``manage.py runserver`` on
a free loopback port, ready once its discovery document answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)


@contextmanager
def running_provider(folder: Path, redirect_uri: str, post_logout_uri: str) -> Iterator[str]:
    """The provider serving while in the block; yields its issuer URL."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    _key(folder / "key.pem")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SMARTCITY_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DIR": str(folder),
        "OIDC_PROVIDER_KEY": str(folder / "key.pem"),
        "OIDC_PROVIDER_ISSUER": issuer,
        "PYTHONPATH": str(ROOT),
    }
    seed = [sys.executable, "-m", "tests.oidc_provider.seed", redirect_uri, post_logout_uri]
    subprocess.run(  # noqa: S603 - our own module, fixed arguments
        seed, env=env, cwd=ROOT, check=True, timeout=120
    )
    log = (folder / "provider.log").open("wb")
    command = [sys.executable, "-m", "tests.oidc_provider.manage", "runserver"]
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [*command, f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(issuer, process, folder / "provider.log")
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait(issuer: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test provider stopped: {log.read_text()[-2000:]}")
        try:
            if httpx.get(issuer + "/.well-known/openid-configuration", timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the test provider did not answer: {log.read_text()[-2000:]}")
