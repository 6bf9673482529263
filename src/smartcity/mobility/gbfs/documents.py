"""One GBFS file, fetched over https, parsed and checked: its header (version, ttl,
``last_updated`` in its version's time format) and its ``data``.

A file is small enough to be held whole (a system of 20,000 vehicles is a few MB), so it
is read in one piece, up to ``SMARTCITY_MOBILITY_GBFS_MAX_FILE_BYTES``, and parsed with
orjson; then the schema of its own version (the ``version`` it declares) decides whether
it is used at all. Anything wrong with it is a :class:`FileError` that names the file and
says why; the caller keeps the file's last good data."""

from __future__ import annotations

import http.client
import urllib.error
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import orjson

from smartcity.core import config
from smartcity.core.sources import SourceError, open_url
from smartcity.mobility.gbfs import validation, values

TIMEOUT = 30  # seconds per file; the spec asks publishers to answer within one
CHUNK = 1024 * 1024


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes | None: ...


class FileError(Exception):
    """A GBFS file that could not be fetched, is not JSON or not valid for its version."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason


@dataclass(frozen=True)
class Document:
    """A valid GBFS file: its header and its ``data`` member."""

    name: str  # the file's name in gbfs.json, e.g. "station_status"
    url: str
    version: str
    ttl: int
    last_updated: datetime
    data: Any
    size: int  # bytes


def limit() -> int:
    return int(config.get("MOBILITY_GBFS_MAX_FILE_BYTES"))


def read_limited(stream: Readable, name: str, most: int) -> bytes:
    """The whole of ``stream``, FileError once it is longer than ``most`` bytes."""
    chunks, size = [], 0
    while chunk := stream.read(min(CHUNK, most + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > most:
            raise FileError(
                name, f"larger than {most} bytes (SMARTCITY_MOBILITY_GBFS_MAX_FILE_BYTES)"
            )
    return b"".join(chunks)


def download(name: str, url: str) -> bytes:
    """The bytes of file ``name`` at ``url`` (https only)."""
    try:
        with open_url(url, TIMEOUT) as source:
            return read_limited(source, name, limit())
    except urllib.error.HTTPError as error:
        raise FileError(name, f"HTTP {error.code} {error.reason} from {url}") from None
    except urllib.error.URLError as error:
        raise FileError(name, f"cannot reach {url}: {error.reason}") from None
    except (OSError, http.client.HTTPException, SourceError, ValueError) as error:
        raise FileError(name, f"cannot read {url}: {error}") from None


def parse(name: str, url: str, raw: bytes) -> Document:
    """The checked document of file ``name`` from its bytes."""
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise FileError(name, f"not JSON: {error}") from None
    if not isinstance(document, dict):
        raise FileError(name, "not a JSON object")
    version = document.get("version")
    if not isinstance(version, str):
        raise FileError(name, "no GBFS version (the member 'version')")
    try:
        validation.check(version, name, document)
        last_updated = values.parse_time(version, document["last_updated"])
    except ValueError as error:  # SchemaError included
        raise FileError(name, str(error)) from None
    return Document(
        name, url, version, int(document["ttl"]), last_updated, document["data"], len(raw)
    )


def fetch(name: str, url: str) -> Document:
    """Fetch, parse and check file ``name``; FileError for anything wrong with it."""
    return parse(name, url, download(name, url))
