"""Fixtures of the case-file tests: the case tests' application, team and clerks, and the
blob store on both backends (a folder of the test's own, and moto's S3 server in its own
process)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.administration.applying.case.conftest import (  # noqa: F401 - fixtures
    application,
    clerk,
    parent,
    service,
    stranger_clerk,
)
from tests.core.storage.s3server import S3Server, s3_server


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    yield from s3_server()


@pytest.fixture(params=["local", "s3"])
def backend(request: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The blob store the case file writes to, by its settings as an operator sets them."""
    if request.param == "local":
        monkeypatch.setenv("SMARTCITY_STORAGE_LOCAL_DIR", str(tmp_path / "blobs"))
    else:
        server: S3Server = request.getfixturevalue("s3")
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
    return str(request.param)
