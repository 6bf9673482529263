"""The settings of upload checks and the malware scanner (declared by core/platform.py);
import-light, as the command line reads them before Django is set up."""

from __future__ import annotations

from smartcity.core.config import Setting

SETTINGS = (
    Setting(
        "CLAMAV_URL",
        "",
        "clamd that scans every upload before it is accepted (INSTREAM), e.g. "
        "tcp://127.0.0.1:3310 or unix:///run/clamav/clamd.ctl; empty: uploads are not "
        "scanned for malware.",
    ),
    Setting(
        "CLAMAV_TIMEOUT",
        "15",
        "Seconds clamd may take to connect, take an upload and answer; then the upload "
        "counts as not scanned (refused unless CLAMAV_FAIL_OPEN).",
        kind=float,
        minimum=0.1,
    ),
    Setting(
        "CLAMAV_FAIL_OPEN",
        "0",
        "1 accepts uploads unscanned while clamd does not answer (logged as a warning): a "
        "risk, malware then gets in unseen; 0 refuses them with 'please try again later'.",
        kind=bool,
    ),
    Setting(
        "UPLOAD_PDF_MAX_OBJECTS",
        "200000",
        "Most PDF objects (dictionaries, arrays and values, counted as read) the check of "
        "one uploaded PDF reads while it looks for JavaScript and embedded files; a PDF "
        "with more is refused.",
        kind=int,
        minimum=100,
    ),
    Setting(
        "UPLOAD_ARCHIVE_MAX_ENTRIES",
        "5000",
        "Most files an uploaded DOCX or ODT (a ZIP archive) may hold; more is refused.",
        kind=int,
        minimum=10,
    ),
    Setting(
        "UPLOAD_ARCHIVE_MAX_BYTES",
        "268435456",
        "Most bytes the files of an uploaded DOCX or ODT may expand to, added up (as the "
        "archive declares them); more is refused as a ZIP bomb.",
        kind=int,
        minimum=1024,
    ),
    Setting(
        "UPLOAD_IMAGE_MAX_PIXELS",
        "60000000",
        "Most pixels (width x height) an uploaded image may have; it is decoded once to "
        "check it, so this bounds the memory one check takes (about 3 bytes a pixel).",
        kind=int,
        minimum=1,
    ),
)
