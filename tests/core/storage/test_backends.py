"""Both blob stores behave the same through the one interface: put streams a file in
and says its size and SHA-256, open gives the same bytes back, exists and delete; the
S3 store against moto's real server in its own process, with a multipart upload."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smartcity.core.storage import KEY, BlobMissing, BlobStore
from smartcity.core.storage.local import LocalBlobStore
from smartcity.core.storage.s3 import S3BlobStore, client
from tests.core.storage.s3server import S3Server

PART = 5 << 20  # S3's smallest part


class _Trickle(io.RawIOBase):
    """A stream that gives at most ``step`` bytes a read, as a socket does, and counts
    the most it was asked for at once."""

    def __init__(self, data: bytes, step: int = 1 << 16) -> None:
        self.data, self.at, self.step, self.largest = data, 0, step, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.largest = max(self.largest, size)
        end = self.at + min(self.step, size if size >= 0 else self.step)
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


@pytest.fixture(params=["local", "s3"])
def blobs(request: Any, tmp_path: Path) -> Iterator[BlobStore]:
    if request.param == "local":
        yield LocalBlobStore(tmp_path / "blobs")
        return
    server: S3Server = request.getfixturevalue("s3")
    made = client(server.endpoint, "eu-central-1", "testing", "testing", 10)
    yield S3BlobStore(made, server.bucket, prefix="t/", part_bytes=PART)


def test_put_open_exists_delete(blobs: BlobStore) -> None:
    data = b"%PDF-1.7 Bescheid\n" * 100
    blob = blobs.put(io.BytesIO(data))
    assert KEY.fullmatch(blob.key)
    assert blob.size == len(data) and blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blobs.exists(blob.key)
    with blobs.open(blob.key) as read:
        assert read.read() == data
    blobs.delete(blob.key)
    assert not blobs.exists(blob.key)
    with pytest.raises(BlobMissing):
        blobs.open(blob.key)


def test_each_put_is_a_new_key(blobs: BlobStore) -> None:
    first, second = blobs.put(io.BytesIO(b"eins")), blobs.put(io.BytesIO(b"eins"))
    assert first.key != second.key and first.sha256 == second.sha256


def test_a_large_file_is_streamed_in_parts(blobs: BlobStore) -> None:
    data = os.urandom(PART * 2 + 12345)  # three parts on S3
    stream = _Trickle(data)
    blob = blobs.put(stream)  # type: ignore[arg-type]
    assert blob.size == len(data) and blob.sha256 == hashlib.sha256(data).hexdigest()
    assert stream.largest <= 1 << 20  # never asked for the whole file at once
    with blobs.open(blob.key) as read:
        assert hashlib.sha256(read.read()).hexdigest() == blob.sha256


def test_a_key_from_outside_is_refused(blobs: BlobStore) -> None:
    with pytest.raises(ValueError):
        blobs.open("../../etc/passwd")


def test_a_failed_local_write_leaves_nothing(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)

    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            raise OSError("the client went away")

    with pytest.raises(OSError):
        store.put(Broken())  # type: ignore[arg-type]
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_failed_multipart_upload_is_aborted(s3: S3Server) -> None:
    made = client(s3.endpoint, "eu-central-1", "testing", "testing", 10)
    store = S3BlobStore(made, s3.bucket, prefix="abort/", part_bytes=PART)
    data = os.urandom(PART + 10)

    class BreaksLate(_Trickle):
        def read(self, size: int = -1) -> bytes:
            if self.at >= PART:
                raise OSError("the client went away")
            return super().read(size)

    with pytest.raises(OSError):
        store.put(BreaksLate(data))  # type: ignore[arg-type]
    assert made.list_multipart_uploads(Bucket=s3.bucket, Prefix="abort/").get("Uploads") is None
    assert made.list_objects_v2(Bucket=s3.bucket, Prefix="abort/")["KeyCount"] == 0
