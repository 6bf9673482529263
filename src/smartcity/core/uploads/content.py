"""What a file is, told by its content: libmagic (the database of file(1), through
python-magic) names the type from the first bytes, ZIP-based documents are told by their
own parts (documents.py), and an image is decoded once (Pillow; HEIC through pillow-heif)
so a file that only starts like an image is refused. The name's extension must fit."""

from __future__ import annotations

import logging
import threading
import warnings
from pathlib import PurePosixPath
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity.core import config
from smartcity.core.uploads import UploadRefused, documents

log = logging.getLogger("smartcity.uploads")

HEAD_BYTES = 16384  # what libmagic is shown: its rules look at the first few KiB

# Every media type an upload may have, its plain name and the extensions its name may have
# (the first is the one to suggest).
LABELS = {
    "application/pdf": gettext_lazy("PDF-Dokument"),
    "image/png": gettext_lazy("PNG-Bild"),
    "image/jpeg": gettext_lazy("JPEG-Foto"),
    "image/tiff": gettext_lazy("TIFF-Bild (Scan)"),
    "image/heic": gettext_lazy("HEIC-Foto (iPhone)"),
    documents.DOCX: gettext_lazy("Word-Dokument (DOCX)"),
    documents.ODT: gettext_lazy("OpenDocument-Text (ODT)"),
}
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/tiff": (".tif", ".tiff"),
    "image/heic": (".heic", ".heif"),
    documents.DOCX: (".docx",),
    documents.ODT: (".odt",),
}
# What libmagic may say for them, beyond the types themselves.
_ALIASES = {"image/heif": "image/heic", "application/x-pdf": "application/pdf"}
_ZIP_START = b"PK\x03\x04"
_IMAGES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/tiff": "TIFF", "image/heic": "HEIF"}
# What the refusal names when the content is one of these (libmagic's names).
_KNOWN_OTHERS = {
    "text/html": gettext_lazy("eine Webseite (HTML)"),
    "text/plain": gettext_lazy("reiner Text"),
    "application/zip": gettext_lazy("ein ZIP-Archiv"),
    "application/x-dosexec": gettext_lazy("ein Programm"),
    "application/x-executable": gettext_lazy("ein Programm"),
    "image/svg+xml": gettext_lazy("eine SVG-Grafik"),
}
_magic_lock = threading.Lock()


def sniff(head: bytes) -> str:
    """The media type libmagic tells from the first bytes of a file."""
    import magic

    try:
        with _magic_lock:  # one libmagic handle, not safe to share between threads
            found = magic.from_buffer(head, mime=True)
    except magic.MagicException as error:  # libmagic gave up on these bytes
        log.info("upload: libmagic could not tell the type: %s", error)
        return "application/octet-stream"
    return _ALIASES.get(found, found)


def identify(file: IO[bytes]) -> str:
    """The media type of ``file`` by its content (ZIP-based documents by their parts)."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if head.startswith(_ZIP_START):
        return documents.archive_type(file)
    return sniff(head)


def refuse_type(found: str, accept: list[str]) -> UploadRefused:
    accepted = ", ".join(str(LABELS.get(media_type, media_type)) for media_type in accept)
    what = _KNOWN_OTHERS.get(found)
    if found in LABELS:
        what = LABELS[found]
    if what is None:
        message = _("Diese Art von Datei nehmen wir hier nicht an. Erlaubt: %(accepted)s.")
    else:
        message = _("Die Datei ist %(what)s; erlaubt ist hier: %(accepted)s.")
    log.info("upload refused: content %s, accepted %s", found, ",".join(accept))
    return UploadRefused(message % {"what": what, "accepted": accepted}, reason="type")


def check_name(name: str | None, media_type: str) -> None:
    """Refuses a name whose extension says another type than the content (``a.pdf`` that
    is a PNG); a name without an extension is left to the content."""
    if not name:
        return
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix and suffix not in EXTENSIONS.get(media_type, ()):
        raise UploadRefused(
            _(
                "Der Dateiname endet auf „%(suffix)s“, die Datei ist aber ein %(label)s. "
                "Bitte benennen Sie sie passend (%(expected)s)."
            )
            % {
                "suffix": suffix,
                "label": LABELS.get(media_type, media_type),
                "expected": EXTENSIONS[media_type][0],
            },
            reason="extension",
        )


def check_structure(file: IO[bytes], media_type: str) -> None:
    """Reads the file as what it says it is; a damaged or hostile one is refused."""
    if media_type == "application/pdf":
        documents.check_pdf(file)
    elif media_type in _IMAGES:
        check_image(file, _IMAGES[media_type])


def check_image(file: IO[bytes], pillow_format: str) -> None:
    """Decodes the image's first frame once, within SMARTCITY_UPLOAD_IMAGE_MAX_PIXELS."""
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint (core.pdf) turns on Pillow's tolerance of truncated images for the whole
    # process when it is imported; an upload must decode whole, so it is turned off again
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    if pillow_format == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    limit = config.get("UPLOAD_IMAGE_MAX_PIXELS")
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=[pillow_format]) as image:
                if image.width * image.height > limit:
                    raise UploadRefused(
                        _("Das Bild hat zu viele Bildpunkte (höchstens %(limit)d Millionen).")
                        % {"limit": max(limit // 1_000_000, 1)},
                        reason="too_large",
                    )
                image.load()
    except UploadRefused:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        log.info("upload refused: image unreadable (%s: %s)", type(error).__name__, error)
        raise UploadRefused(
            _("Das Bild ist beschädigt oder unvollständig."), reason="damaged"
        ) from error
    finally:
        file.seek(0)
