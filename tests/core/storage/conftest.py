from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.core.storage.s3server import S3Server, s3_server


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    yield from s3_server()
