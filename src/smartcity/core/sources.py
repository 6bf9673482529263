"""Where an importer's bytes come from, and how they become records without holding the
whole source in memory.

:func:`open_source` opens a path, an ``https://`` URL, an open binary stream or bytes as a
:class:`Source`: a reader that counts what it has read (for progress in bytes, against the
size where it is known), turns a broken connection into a :class:`SourceError`, and
refuses a record larger than ``SMARTCITY_IMPORT_RECORD_BYTES`` before it is built.
:func:`json_records` splits JSON into records with ijson (an incremental parser with a C
backend): one member of the top-level array or object at a time, each with the JSON
Pointer of where it stood, so a rejection can say which record was wrong.
"""

from __future__ import annotations

import http.client
import io
import os
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

import ijson

READ_CHUNK = 64 * 1024  # what the JSON parser asks for at a time
USER_AGENT = "smartcity-hamm-importer"


class SourceError(ValueError):
    """The source cannot be read on as a whole: unreachable, cut off, not its format, or a
    record over the size limit. What was read before it stays imported."""


class Rejected(Exception):
    """One record (or, at ``"/"``, the whole document) that is not what the source
    should send; the import goes on with the next record."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(reason)
        self.where, self.reason = where, reason


class Source(io.RawIOBase):
    """A readable byte stream that counts what was read.

    ``done`` is the number of bytes read so far and ``total`` the size if known (a file's
    size, a response's Content-Length), else None. ``on_read`` is called after each read.
    :meth:`mark` starts a new record; more than ``record_limit`` bytes read since the last
    mark (give or take one read of ``READ_CHUNK``) raise a SourceError. A reader that never
    marks (an archive read as a whole) is not limited.
    """

    def __init__(
        self,
        raw: IO[bytes],
        name: str,
        total: int | None = None,
        record_limit: int | None = None,
    ) -> None:
        super().__init__()
        self._raw, self.name, self.total = raw, name, total
        self._ahead = b""  # read by first_byte(), not yet given out
        self.done = 0
        self._since_mark: int | None = None  # bytes since the record began, once one has
        self.record_limit = record_limit
        self.on_read: Callable[[], None] | None = None
        self.headers: Mapping[str, str] = {}  # the response's headers, for a URL

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._ahead:
            n = min(len(buffer), len(self._ahead))
            buffer[:n], self._ahead = self._ahead[:n], self._ahead[n:]
            return n
        try:
            data = self._raw.read(len(buffer))
        except (OSError, http.client.HTTPException) as error:
            raise SourceError(
                f"reading {self.name} failed after {self.done} bytes: {error}"
            ) from None
        n = len(data)
        buffer[:n] = data
        self.done += n
        limit = self.record_limit
        if self._since_mark is not None:
            self._since_mark += n
        if (
            limit is not None
            and self._since_mark is not None
            and self._since_mark > limit + READ_CHUNK
        ):
            raise SourceError(
                f"a record of {self.name} is larger than {limit} bytes "
                "(SMARTCITY_IMPORT_RECORD_BYTES)"
            )
        if self.on_read is not None:
            self.on_read()
        return n

    def seekable(self) -> bool:
        """A file is (so a zip archive such as a GTFS feed can be read from it); a network
        stream is not."""
        raw_seekable = getattr(self._raw, "seekable", None)
        return bool(raw_seekable and raw_seekable())

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if not self.seekable():
            raise io.UnsupportedOperation(f"{self.name} cannot seek")
        self._ahead = b""
        position = self._raw.seek(offset, whence)
        self.done = max(self.done, position)
        return position

    def tell(self) -> int:
        if not self.seekable():
            return self.done
        return self._raw.tell() - len(self._ahead)

    def mark(self) -> None:
        self._since_mark = 0

    def first_byte(self) -> bytes:
        """The first byte that is not white space (nor a UTF-8 byte order mark), without
        consuming it; b"" for a source with nothing else."""
        seen = b""
        while True:
            chunk = self.read(READ_CHUNK)
            if not chunk:
                self._ahead = seen
                return b""
            seen += chunk
            text = seen.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
            if text:
                self._ahead = text
                return text[:1]

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class Chunks(io.RawIOBase):
    """A byte stream made of chunks produced one at a time (e.g. one HTTP answer after
    another), so a composite source is never held whole."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        super().__init__()
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        n = min(len(buffer), len(self._pending))
        buffer[:n], self._pending = self._pending[:n], self._pending[n:]
        return n


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same https origin: urllib would otherwise send the
    request's headers (a credential) on to wherever the answer points."""

    def redirect_request(
        self, req: Any, fp: Any, code: Any, msg: Any, headers: Any, newurl: str
    ) -> Any:
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if new.scheme != "https" or new.netloc != old.netloc:
            raise ValueError(f"{req.full_url} redirects to another origin ({newurl}); not followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def open_url(url: str, timeout: float, headers: Mapping[str, str] | None = None) -> Source:
    """GET a source over HTTPS as a stream (the size from Content-Length, the answer's
    headers in ``Source.headers``). ``headers`` are sent with the request (e.g. a
    token); with them, redirects are followed only within the same origin."""
    if not url.startswith("https://"):
        raise ValueError(f"sources are read over https only, not {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})  # noqa: S310 - https checked above
    if headers:
        opener = urllib.request.build_opener(_SameOrigin)
        response = opener.open(request, timeout=timeout)
    else:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    source = Source(response, url, total)
    source.headers = response.headers
    return source


def open_source(where: Any, *, timeout: float = 60) -> Source:
    """A Source for a path, an https URL, an open binary stream or bytes. OSError or
    ValueError when it cannot be opened."""
    if isinstance(where, Source):
        return where
    if isinstance(where, bytes | bytearray):
        return Source(io.BytesIO(where), "bytes", len(where))
    if isinstance(where, str) and "://" in where:
        return open_url(where, timeout)
    if isinstance(where, str | os.PathLike):
        handle = open(where, "rb")  # noqa: SIM115 - the Source closes it
        return Source(handle, str(where), os.fstat(handle.fileno()).st_size)
    if hasattr(where, "read"):
        return Source(where, getattr(where, "name", "stream"))
    raise TypeError(f"cannot read a source from {type(where).__name__}")


@dataclass(frozen=True)
class Record:
    """One record of a source: where it stood (its path from the top) and its value."""

    path: tuple[str | int, ...]
    value: Any

    @property
    def where(self) -> str:
        """The path as a JSON Pointer (RFC 6901), e.g. ``/measures/4``."""
        return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in self.path)


_STARTS = {"start_map": dict, "start_array": list}


def json_records(
    source: Source, *, top: type, shape: str, split: tuple[str, ...] = ()
) -> Iterator[Record]:
    """The records of a JSON document, one at a time: each item of a top-level array, or
    each member of a top-level object (the items of an array member named in ``split``
    one by one). A document whose top level is not ``top`` (list or dict) is
    ``Rejected("/", shape)``; JSON that breaks off or is malformed is a SourceError."""
    start = source.first_byte()
    if not start:
        raise SourceError(f"{source.name} is empty, not JSON")
    if start != (b"[" if top is list else b"{"):
        raise Rejected("/", shape)
    source.mark()  # the first record begins
    try:
        if top is list:  # the items are built by the parser's C backend: fast
            for index, value in enumerate(ijson.items(source, "item", **_PARSER)):
                source.mark()
                yield Record((index,), value)
        else:
            yield from _members(source, ijson.parse(source, **_PARSER), split)
    except ijson.JSONError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "malformed"
        raise SourceError(f"{source.name} is not JSON (near byte {source.done}): {first}") from None


_PARSER = {"buf_size": READ_CHUNK, "use_float": True}


def _members(
    source: Source, events: Iterator[tuple[str, str, Any]], split: tuple[str, ...]
) -> Iterator[Record]:
    next(events)  # start_map
    for prefix, event, value in events:
        if event == "end_map" and prefix == "":
            if next(events, None) is not None:  # the parser raises for most trailing text
                raise SourceError(f"{source.name}: more after the end of the document")
            return
        if value in split:
            yield from _split(source, events, value)
            continue
        source.mark()
        yield Record((value,), _value(events))


def _split(source: Source, events: Iterator[tuple[str, str, Any]], key: str) -> Iterator[Record]:
    """The items of the array member ``key`` one by one; a member that is not an array,
    or an empty one, is one record of its own (so that it is seen)."""
    head = next(events)
    if head[1] != "start_array":
        yield Record((key,), _value(events, head))
        return
    item = next(events)
    if item[1] == "end_array":
        yield Record((key,), [])
        return
    source.mark()
    yield Record((key, 0), _value(events, item))
    index = 1
    while True:
        item = next(events)
        if item[1] == "end_array" and item[0] == key:
            return
        source.mark()
        yield Record((key, index), _value(events, item))
        index += 1


def _value(events: Iterator[tuple[str, str, Any]], head: tuple[str, str, Any] | None = None) -> Any:
    """The value that starts with ``head`` (or the next event), built from its events."""
    builder = ijson.ObjectBuilder()
    _, event, value = head if head is not None else next(events)
    builder.event(event, value)
    depth = 1 if event in _STARTS else 0
    while depth:
        _, event, value = next(events)
        builder.event(event, value)
        if event in _STARTS:
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
    return builder.value
