"""Blobs as files under a folder: written to a temporary file beside the target, flushed
to disk (fsync), then renamed into place and the folder synced, so that a crash leaves
either the whole blob or none."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO

from smartcity.core.storage import CHUNK, Blob, BlobMissing, checked_key, new_key


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / checked_key(key)

    def put(self, stream: IO[bytes]) -> Blob:
        key = new_key()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)
        return Blob(key, size, digest.hexdigest())

    def open(self, key: str) -> IO[bytes]:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError as error:
            raise BlobMissing(key) from error

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk (POSIX: the folder's entry is its own write)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
