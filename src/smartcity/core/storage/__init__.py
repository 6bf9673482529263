"""Where the platform keeps the bytes of files (case-file documents; uploads can follow):
one small interface, :class:`BlobStore`, with a local-disk backend (local.py) and an
S3-compatible one (s3.py), chosen by ``SMARTCITY_STORAGE_BACKEND``. A blob is written
once under a random key and never changed: :meth:`BlobStore.put` streams a file in and
says its key, size and SHA-256; nothing holds a whole file in memory."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import IO, Protocol

CHUNK = 1 << 16
KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}")


class BlobMissing(LookupError):
    """The store holds no blob under that key."""


@dataclass(frozen=True)
class Blob:
    key: str  # the store's name for the bytes, kept by the row that refers to them
    size: int
    sha256: str


class BlobStore(Protocol):
    def put(self, stream: IO[bytes]) -> Blob: ...

    def open(self, key: str) -> IO[bytes]: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


def new_key() -> str:
    """A random key in two levels of folders (never the name a person gave the file)."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token[2:4]}/{token}"


def checked_key(key: str) -> str:
    if not KEY.fullmatch(key):
        raise ValueError("not a blob key")
    return key


def store() -> BlobStore:
    """The platform's blob store, as SMARTCITY_STORAGE_BACKEND says."""
    from smartcity.core.storage.select import configured

    return configured()
