"""Where uploaded files' bytes are kept: one small interface (UploadStore), so that part 2
can put object storage behind it. The built-in store is a folder under the data
directory, files named by random names (never by what the person called the file)."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Protocol

from django.conf import settings

CHUNK = 1 << 16
_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}")


@dataclass(frozen=True)
class Stored:
    name: str  # the store's name for the file, kept in Upload.stored
    size: int
    sha256: str


class UploadStore(Protocol):
    def save(self, file: IO[bytes]) -> Stored: ...

    def open(self, name: str) -> IO[bytes]: ...

    def delete(self, name: str) -> None: ...


class LocalStore:
    """Files under ``root`` (``DATA_DIR/uploads``), two levels of folders by name."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise ValueError("not a stored file's name")
        return self.root / name

    def save(self, file: IO[bytes]) -> Stored:
        token = secrets.token_hex(16)
        name = f"{token[:2]}/{token[2:4]}/{token}"
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        file.seek(0)
        partial = path.with_suffix(".part")
        with open(partial, "wb") as out:
            while chunk := file.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        os.replace(partial, path)
        return Stored(name, size, digest.hexdigest())

    def open(self, name: str) -> IO[bytes]:
        return open(self._path(name), "rb")

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


@cache
def _local(root: str) -> LocalStore:
    return LocalStore(Path(root))


def store() -> UploadStore:
    """The platform's upload store (the one place to choose another)."""
    return _local(str(Path(settings.DATA_DIR) / "uploads"))
