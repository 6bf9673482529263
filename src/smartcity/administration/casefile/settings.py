"""The settings of the case file (declared by administration/platform.py)."""

from __future__ import annotations

from smartcity.core.config import Setting

SETTINGS = (
    Setting(
        "CASEFILE_MAX_BYTES",
        "50000000",
        "The largest file staff may add to a case file as a document version, in bytes; a "
        "larger one is refused with a message.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "CASEFILE_DOCUMENT_TYPES",
        "application/pdf,image/jpeg,image/png,image/tiff,"
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
        "application/vnd.oasis.opendocument.text",
        "Comma-separated file types (checked by content) a document version may have.",
    ),
    Setting(
        "CASEFILE_NOTE_MAX_CHARS",
        "5000",
        "The longest note staff may add to a case file, in characters.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "CASEFILE_LIST_LIMIT",
        "200",
        "The most documents and notes the case file's page shows each.",
        kind=int,
        minimum=1,
    ),
)
