"""Fixtures of the mobility tests: a live feed served over https on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.https import Site, https_site, make_certificate


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def site(certificate, monkeypatch) -> Iterator[Site]:
    """An https server on loopback whose answers the test sets: ``site.routes[path]``."""
    key, cert = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with https_site(key, cert) as serving:
        yield serving
