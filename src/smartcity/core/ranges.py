"""Serving a file in parts: HTTP Range requests (RFC 9110, section 14) for one byte range.

A map's PMTiles archive is read this way by the browser (the pmtiles library asks for the
header, then directories and tiles, each a ``Range: bytes=a-b``). A part of up to
:data:`IN_ONE` bytes is read at once; a larger one (or the whole file) streams from disk in
chunks, so neither a large range nor a large file is held in memory. Under ASGI the chunks
come from an asynchronous iterator (each read in a thread): Django collects a synchronous
one whole before it sends the first byte.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

CHUNK = 64 * 1024
IN_ONE = 1024 * 1024  # a part up to this size is read at once (a tile, a directory)
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class RangeError(ValueError):
    """The Range header cannot be satisfied for this file (answered 416)."""


def parse_range(header: str, size: int) -> ByteRange:
    """The one byte range ``header`` asks for in a file of ``size`` bytes, cut at its end
    (``bytes=a-b``, ``bytes=a-`` or the last n bytes ``bytes=-n``); RangeError says what is
    wrong: another unit, several ranges, a range outside the file."""
    found = _RANGE.match(header.strip().replace(" ", ""))
    if not found:
        raise RangeError(
            "Range must be one range of bytes: bytes=first-last, bytes=first- or bytes=-suffix."
        )
    first, last = found.groups()
    if not first and not last:
        raise RangeError("Range bytes=- names no byte.")
    if not first:  # the last n bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeError("Range asks for no byte of the file.")
        return ByteRange(max(size - suffix, 0), size - 1)
    start = int(first)
    end = int(last) if last else size - 1
    if end < start:
        raise RangeError(f"Range {header.strip()} ends before it starts.")
    if start >= size:
        raise RangeError(f"Range starts at byte {start}; the file has {size} bytes.")
    return ByteRange(start, min(end, size - 1))


def _chunks(path: Path, part: ByteRange) -> Generator[bytes, None, None]:
    with path.open("rb") as handle:
        handle.seek(part.start)
        left = part.length
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:  # the file was cut while we read it
                return
            left -= len(data)
            yield data


async def _chunks_async(path: Path, part: ByteRange) -> AsyncIterator[bytes]:
    """The chunks of :func:`_chunks` for the event loop: each read in a thread."""
    reading = _chunks(path, part)
    try:
        while (data := await asyncio.to_thread(next, reading, None)) is not None:
            yield data
    finally:
        await asyncio.to_thread(reading.close)


def serve(
    request: HttpRequest, path: Path, content_type: str, cache_seconds: int = 3600
) -> HttpResponse | StreamingHttpResponse:
    """``path`` whole (200) or the part its Range header asks for (206); 416 with
    ``Content-Range: bytes */size`` and a message for a range that cannot be served. A
    Range with an If-Range that no longer matches gets the whole file, as RFC 9110 says."""
    stat = os.stat(path)
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
        "Cache-Control": f"public, max-age={cache_seconds}",
    }
    asked = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if asked and if_range and if_range.strip() != etag:
        asked = None
    if not asked:
        part, status = ByteRange(0, stat.st_size - 1), 200
    else:
        try:
            part, status = parse_range(asked, stat.st_size), 206
        except RangeError as error:
            refused = HttpResponse(str(error), status=416, content_type="text/plain; charset=utf-8")
            refused["Content-Range"] = f"bytes */{stat.st_size}"
            return refused
        headers["Content-Range"] = f"bytes {part.start}-{part.end}/{stat.st_size}"
    response: HttpResponse | StreamingHttpResponse
    if request.method == "HEAD" or part.length <= IN_ONE:
        body = b"" if request.method == "HEAD" else b"".join(_chunks(path, part))
        response = HttpResponse(body, status=status, content_type=content_type)
    else:
        chunks = (
            _chunks_async(path, part) if isinstance(request, ASGIRequest) else _chunks(path, part)
        )
        response = StreamingHttpResponse(chunks, status=status, content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    response["Content-Length"] = str(max(part.length, 0))
    return response
