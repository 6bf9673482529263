"""Files people upload (application documents, later survey data): checked by their
content, not their name, limited in size, and scanned for malware when a scanner is
configured. Every domain that takes uploads calls :func:`check` before it keeps a file.

The steps, cheapest first: size; the type by content (content.py: libmagic, a DOCX or ODT
by its own parts); the name's extension against that type; the structure (a PDF without
JavaScript or embedded files, an image that decodes; documents.py); then clamd, when
SMARTCITY_CLAMAV_URL is set (clamav.py). docs/architecture.md ("Uploads") says why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO

log = logging.getLogger("smartcity.uploads")

PDF = "application/pdf"
IMAGES = ("image/png", "image/jpeg", "image/tiff", "image/heic")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
# Every type check() can tell and check: what an office usually accepts.
DOCUMENTS = (PDF, *IMAGES, DOCX, ODT)


class UploadRefused(ValueError):
    """A file that may not be kept; the message says why, for the person who sent it.
    ``reason`` is a code for logs and tests (type, extension, empty, too_large, damaged,
    encrypted, active_content, archive, too_complex, infected, scanner_unavailable)."""

    def __init__(self, message: str, reason: str = "refused", signature: str | None = None):
        super().__init__(message)
        self.reason = reason
        self.signature = signature  # what the scanner found, when reason is infected


@dataclass(frozen=True)
class Checked:
    media_type: str
    size: int
    scanned: bool = False  # clamd has seen it and found nothing


def check(
    file: IO[bytes], *, accept: list[str], max_bytes: int, name: str | None = None
) -> Checked:
    """Whether ``file`` may be kept: its content one of ``accept``, at most ``max_bytes``
    long, its name (``name``, else the file's own ``name``; ``name=""`` for none) not
    saying another type, its structure sound and, with a scanner configured, clean. Reads
    it through (and leaves it at its start); raises UploadRefused with a message for the
    person who sent it."""
    from django.utils.translation import gettext as _

    from smartcity.core.uploads import content

    size = _size(file)
    if size == 0:
        raise UploadRefused(_("Die Datei ist leer."), reason="empty")
    if size > max_bytes:
        raise UploadRefused(
            _("Die Datei ist größer als %(limit)s.") % {"limit": _megabytes(max_bytes)},
            reason="too_large",
        )
    media_type = content.identify(file)
    if media_type not in accept:
        raise content.refuse_type(media_type, accept)
    content.check_name(_name_of(file, name), media_type)
    content.check_structure(file, media_type)
    return Checked(media_type, size, scanned=_scan(file, media_type, size))


def _name_of(file: IO[bytes], name: str | None) -> str | None:
    """The name to hold against the content: the one given, else the file's own (Django's
    UploadedFile.name is the name the browser sent)."""
    if name is not None:
        return name
    own = getattr(file, "name", None)
    return own if isinstance(own, str) else None


def _size(file: IO[bytes]) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


def _scan(file: IO[bytes], media_type: str, size: int) -> bool:
    """Whether clamd has scanned the file (False: no scanner, or fail-open while it is
    away); an infected file, or one clamd cannot scan, is refused."""
    from django.utils.translation import gettext as _

    from smartcity.core import config
    from smartcity.core.uploads import clamav

    url = config.get("CLAMAV_URL")
    if not url:
        return False
    try:
        verdict = clamav.scan(file, url=url, timeout=config.get("CLAMAV_TIMEOUT"))
    except clamav.ScanTooLarge as error:
        log.error("upload refused: %d bytes are over clamd's StreamMaxLength (%s)", size, error)
        raise UploadRefused(
            _("Die Datei ist zu groß, um sie auf Schadsoftware zu prüfen."), reason="too_large"
        ) from error
    except clamav.ScannerUnavailable as error:
        if config.get("CLAMAV_FAIL_OPEN"):
            log.warning("upload accepted UNSCANNED (SMARTCITY_CLAMAV_FAIL_OPEN): %s", error)
            return False
        log.error("upload refused: the malware scanner is unavailable: %s", error)
        raise UploadRefused(
            _(
                "Die Datei konnte gerade nicht auf Schadsoftware geprüft werden. "
                "Bitte versuchen Sie es später noch einmal."
            ),
            reason="scanner_unavailable",
        ) from error
    if not verdict.clean:
        log.warning(
            "upload refused: clamd found %s in a %s of %d bytes",
            verdict.signature,
            media_type,
            size,
        )
        raise UploadRefused(
            _("Die Datei enthält Schadsoftware (%(signature)s) und wurde abgelehnt.")
            % {"signature": verdict.signature},
            reason="infected",
            signature=verdict.signature,
        )
    return True
