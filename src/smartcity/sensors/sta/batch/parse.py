"""Parsing a batch body (OData 4.0 Protocol 11.7.2, RFC 2046 multipart/mixed) into
requests and change sets. Everything is checked before anything runs, so a malformed
batch is one 4xx and changes nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import collapse_rfc2231_value

from smartcity.core import config
from smartcity.core.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType


def max_operations() -> int:
    """Most requests one batch may hold (SMARTCITY_STA_MAX_BATCH_PARTS)."""
    return int(config.get("STA_MAX_BATCH_PARTS"))

CHANGE_SET_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
_REQUEST_LINE = re.compile(r"^([A-Z]+)[ \t]+(\S+)(?:[ \t]+(HTTP/\d\.\d))?$")
_BOUNDARY = re.compile(r"^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$")
_IDENTITY_ENCODINGS = {"", "binary", "7bit", "8bit"}


@dataclass
class Operation:
    """One embedded request, as written in its ``application/http`` part."""

    method: str
    url: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    content_id: str | None
    where: str


@dataclass
class ChangeSet:
    operations: list[Operation]
    where: str


@dataclass
class _Budget:
    """How many more requests the batch may hold; counted while parsing, so a huge
    batch is refused before it is parsed whole."""

    remaining: int = field(default_factory=max_operations)


def parse_batch(body: bytes, content_type: str) -> list[Operation | ChangeSet]:
    """The requests and change sets of a batch body, checked for structure and limits."""
    media, boundary = _media_type(content_type)
    if media != "multipart/mixed":
        raise UnsupportedMediaType(
            f"a batch request needs Content-Type multipart/mixed with a boundary, "
            f"not {media or 'none'!r}",
            where="Content-Type",
        )
    boundary = _check_boundary(boundary, "Content-Type")
    budget = _Budget()
    items: list[Operation | ChangeSet] = []
    for number, raw in enumerate(split_multipart(body, boundary, "body"), start=1):
        items.append(_parse_item(raw, f"batch part {number}", budget))
    return items


def _media_type(value: str) -> tuple[str, str | None]:
    if not value.strip():
        return "", None
    message = Message()
    message["Content-Type"] = value
    boundary = message.get_param("boundary")
    if isinstance(boundary, tuple):  # RFC 2231 encoded parameter
        boundary = collapse_rfc2231_value(boundary)
    return message.get_content_type(), boundary


def _check_boundary(boundary: str | None, where: str) -> str:
    if not boundary:
        raise BadRequest(
            "multipart/mixed needs a boundary parameter, e.g. 'multipart/mixed; boundary=batch_1'",
            where=where,
        )
    if not _BOUNDARY.match(boundary):
        raise BadRequest(
            f"the boundary {boundary!r} is not valid: 1 to 70 characters of RFC 2046 bchars",
            where=where,
        )
    return boundary


def split_multipart(body: bytes, boundary: str, where: str) -> list[bytes]:
    """The body parts of an RFC 2046 multipart body. A delimiter is a line ``--boundary``
    (``--boundary--`` closes); the line break before it belongs to the delimiter.
    Preamble and epilogue are ignored; bare LF line ends are accepted as well as CRLF."""
    dash = b"--" + boundary.encode("ascii")
    parts: list[bytes] = []
    current: list[bytes] | None = None
    closed = False
    for line in body.splitlines(keepends=True):
        if line.startswith(dash):
            rest = line[len(dash) :].rstrip(b"\r\n").rstrip(b" \t")
            if rest in (b"", b"--"):
                if current is not None:
                    parts.append(_strip_line_end(b"".join(current)))
                current = None if rest else []
                closed = rest == b"--"
                if closed:
                    break
                continue
        if current is not None:
            current.append(line)
    if not parts and current is None:
        raise BadRequest(
            f"the multipart body has no part: no line '--{boundary}' was found", where=where
        )
    if not closed:
        raise BadRequest(
            f"the multipart body does not end with the closing delimiter '--{boundary}--'",
            where=where,
        )
    return parts


def _strip_line_end(data: bytes) -> bytes:
    if data.endswith(b"\r\n"):
        return data[:-2]
    return data[:-1] if data.endswith(b"\n") else data


def _split_head(data: bytes, where: str) -> tuple[list[str], bytes]:
    """Header lines (up to the first empty line) and the rest of ``data``."""
    lines = data.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line in (b"\r\n", b"\n"):
            head, rest = lines[:index], b"".join(lines[index + 1 :])
            break
    else:
        head, rest = lines, b""
    try:
        return [line.decode("utf-8").rstrip("\r\n") for line in head], rest
    except UnicodeDecodeError:
        raise BadRequest("the header lines are not valid UTF-8", where=where) from None


def _parse_headers(lines: list[str], where: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    last = ""
    for line in lines:
        if line[:1] in (" ", "\t") and last:  # obsolete line folding
            headers[last] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or name != name.strip():
            raise BadRequest(f"malformed header line {line!r}; expected 'Name: value'", where=where)
        last = name.lower()
        headers[last] = value.strip()
    return headers


def _parse_item(raw: bytes, where: str, budget: _Budget) -> Operation | ChangeSet:
    head, content = _split_head(raw, where)
    headers = _parse_headers(head, where)
    media, boundary = _media_type(headers.get("content-type", "text/plain"))
    if media == "multipart/mixed":
        return _parse_change_set(content, _check_boundary(boundary, where), where, budget)
    return _parse_operation(headers, media, content, where, budget)


def _parse_change_set(content: bytes, boundary: str, where: str, budget: _Budget) -> ChangeSet:
    operations: list[Operation] = []
    content_ids: set[str] = set()
    for number, raw in enumerate(split_multipart(content, boundary, where), start=1):
        part_where = f"{where}, change set part {number}"
        head, body = _split_head(raw, part_where)
        headers = _parse_headers(head, part_where)
        media, _ = _media_type(headers.get("content-type", "text/plain"))
        if media == "multipart/mixed":
            raise BadRequest("a change set cannot contain another change set", where=part_where)
        operation = _parse_operation(headers, media, body, part_where, budget)
        if operation.method not in CHANGE_SET_METHODS:
            raise BadRequest(
                f"a change set may contain only POST, PATCH, PUT and DELETE requests, "
                f"not {operation.method}; send reads outside change sets",
                where=part_where,
            )
        if operation.content_id is not None:
            if operation.content_id in content_ids:
                raise BadRequest(
                    f"Content-ID {operation.content_id!r} is used twice in this change set",
                    where=part_where,
                )
            content_ids.add(operation.content_id)
        operations.append(operation)
    return ChangeSet(operations, where)


def _parse_operation(
    headers: dict[str, str], media: str, content: bytes, where: str, budget: _Budget
) -> Operation:
    if media != "application/http":
        raise BadRequest(
            f"a batch part must be application/http or multipart/mixed, not {media!r}",
            where=where,
        )
    encoding = headers.get("content-transfer-encoding", "").lower()
    if encoding not in _IDENTITY_ENCODINGS:
        raise BadRequest(
            f"Content-Transfer-Encoding {encoding!r} is not supported; use binary",
            where=where,
        )
    budget.remaining -= 1
    if budget.remaining < 0:
        raise PayloadTooLarge(
            f"a batch may contain at most {max_operations()} requests "
            "(SMARTCITY_STA_MAX_BATCH_PARTS)",
            where=where,
        )
    head, body = _split_head(content, where)
    if not head or not head[0].strip():
        raise BadRequest(
            "the part holds no request line, e.g. 'GET Things(1) HTTP/1.1'", where=where
        )
    line = _REQUEST_LINE.match(head[0].strip())
    if line is None:
        raise BadRequest(
            f"malformed request line {head[0]!r}; expected e.g. 'GET Things(1) HTTP/1.1'",
            where=where,
        )
    inner = _parse_headers(head[1:], where)
    # The Content-ID belongs in the MIME part headers; early OData clients put it into
    # the embedded request, so both places are read.
    content_id = headers.get("content-id", inner.get("content-id"))
    return Operation(line[1], line[2], inner, body, content_id or None, where)
