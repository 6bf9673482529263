"""XML read as a stream, safely: the elements of a document one at a time (ElementTree's
pull parser, the one ``iterparse`` uses, fed a chunk at a time), without a document type
declaration.

defusedxml is not among the platform's dependencies, so the guard is here: the prolog
(what comes before the root element: the XML declaration, comments, processing
instructions) is read first, and a document that declares a DOCTYPE is refused before the
parser sees a byte of it. Without a DTD there are no entity declarations, so neither the
"billion laughs" expansion nor external entities (files, URLs) can occur; an entity
reference other than the five XML predefines is then an error of expat's. A document in
UTF-16 or UTF-32 is refused too (its prolog could not be checked byte-wise); DATEX II and
OpenStreetMap are UTF-8. Each element handed out is cleared and dropped from its parent
once the reader goes on, and so are the root's other children, so a large extract is
never held whole; SMARTCITY_IMPORT_RECORD_BYTES limits each of them (what is read
between two of them), not the document. A NUL character, a document that breaks off or
is not well-formed is a SourceError with its line and column."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from smartcity.core.sources import READ_CHUNK, Source, SourceError

MAX_PROLOG = 64 * 1024  # bytes before the root element at most
_SPACE = re.compile(rb"[ \t\r\n]*")


def local(tag: str) -> str:
    """The tag without its namespace: ``{http://...}parkingSite`` is ``parkingSite``."""
    return tag.rpartition("}")[2]


def _root_starts(head: bytes, final: bool = False) -> int | None:
    """Where the root element begins in ``head`` (None: more bytes are needed, unless
    ``final``: there are no more); a SourceError for a DOCTYPE or for what is not XML."""
    position = 0
    while True:
        position = _SPACE.match(head, position).end()  # type: ignore[union-attr]
        rest = head[position:]
        if not rest or (len(rest) < 9 and not final):
            return None
        for start, end in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if rest.startswith(start):
                close = head.find(end, position + len(start))
                if close < 0:
                    return None
                position = close + len(end)
                break
        else:
            if rest.startswith(b"<!"):
                raise SourceError(
                    "the document declares a DOCTYPE (a DTD); refused: no DTDs, no entity "
                    "declarations, no external entities"
                )
            if rest.startswith(b"<"):
                return position
            raise SourceError("not XML: the document does not begin with an element")


def _prolog(source: Source) -> bytes:
    """The first bytes of the source, up to and with the start of the root element."""
    head = b""
    while len(head) <= MAX_PROLOG:
        chunk = source.read(READ_CHUNK)
        if not chunk:
            if not head.strip():
                raise SourceError(f"{source.name} is empty, not XML")
            if _root_starts(head.removeprefix(b"\xef\xbb\xbf"), final=True) is None:
                raise SourceError("not XML: no root element")
            return head
        head += chunk
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
            raise SourceError("the document is in UTF-16 or UTF-32; only UTF-8 XML is read")
        if _root_starts(head.removeprefix(b"\xef\xbb\xbf")) is not None:
            return head
    raise SourceError(f"more than {MAX_PROLOG} bytes before the root element; not read")


def elements(source: Source, wanted: set[str]) -> Iterator[ET.Element]:
    """The elements whose local name is in ``wanted``, each complete, one at a time."""
    parser: Any = ET.XMLPullParser(events=("start", "end"))
    stack: list[ET.Element] = []
    chunk = _prolog(source)
    while chunk:
        try:
            parser.feed(chunk)
            events: list[tuple[str, ET.Element]] = list(parser.read_events())
        except ET.ParseError as error:
            raise SourceError(f"{source.name} is not well-formed XML: {error}") from None
        for event, element in events:
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            found = local(element.tag) in wanted
            if found:
                source.mark()
                yield element
            if stack and (found or len(stack) == 1):  # done with: not kept in the tree
                element.clear()
                stack[-1].remove(element)
                source.mark()  # the next record begins: the size limit is per element
        chunk = source.read(READ_CHUNK)
    try:
        parser.close()
    except ET.ParseError as error:
        raise SourceError(f"{source.name} breaks off: {error}") from None
