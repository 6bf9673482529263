"""The checks of document uploads by their structure: a PDF is read object by object
(pypdf) and refused when it carries JavaScript, launch actions or embedded files; a DOCX or
ODT is a ZIP archive whose parts must say what it is, with no macros and within limits that
stop ZIP bombs. Every check reads only up to its budget (settings.py)."""

from __future__ import annotations

import logging
import zipfile
import zlib
from typing import IO, Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from smartcity.core import config
from smartcity.core.uploads import DOCX, ODT, UploadRefused

log = logging.getLogger("smartcity.uploads")

_DOCX_MAIN = DOCX + ".main+xml"
_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)
_PART_BYTES = 4 * 1024 * 1024  # the most of one XML part the check reads
_MAX_RATIO = 200  # an entry expanding more than this (and past 1 MB) is a bomb's
# Actions that run something when the PDF is opened or clicked.
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/Rendition"}


def _active(message: str) -> UploadRefused:
    return UploadRefused(message, reason="active_content")


def _damaged(kind: str) -> UploadRefused:
    return UploadRefused(
        _("Die Datei ist beschädigt oder kein gültiges %(kind)s.") % {"kind": kind},
        reason="damaged",
    )


# --- PDF -------------------------------------------------------------------------------


def check_pdf(file: IO[bytes]) -> None:
    """Refuses a PDF that cannot be read, is encrypted, has no pages, or carries
    JavaScript, launch actions, embedded files or scripted XFA forms."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    budget = config.get("UPLOAD_PDF_MAX_OBJECTS")
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            raise UploadRefused(
                _("Verschlüsselte oder passwortgeschützte PDF-Dateien können wir nicht prüfen."),
                reason="encrypted",
            )
        if len(reader.pages) == 0:
            raise UploadRefused(_("Die PDF-Datei hat keine Seiten."), reason="damaged")
        _look_for_active_content(reader, budget)
    except UploadRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        log.info("upload refused: PDF unreadable (%s: %s)", type(error).__name__, error)
        raise _damaged("PDF") from error
    finally:
        file.seek(0)


def _look_for_active_content(reader: Any, budget: int) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen = 0
    for reference in _references(reader):
        stack = [reader.get_object(reference)]
        while stack:
            node = stack.pop()
            seen += 1
            if seen > budget:
                raise UploadRefused(
                    _("Die PDF-Datei ist zu umfangreich, um sie zu prüfen."), reason="too_complex"
                )
            if isinstance(node, DictionaryObject):
                _refuse_active(node)
                stack.extend(v for v in node.values() if not isinstance(v, IndirectObject))
            elif isinstance(node, ArrayObject):
                stack.extend(v for v in node if not isinstance(v, IndirectObject))


def _references(reader: Any) -> list[Any]:
    """Every indirect object of the file: in its cross-reference tables and object streams."""
    from pypdf.generic import IndirectObject

    numbers = {(number, generation) for generation, ids in reader.xref.items() for number in ids}
    numbers |= {(number, 0) for number in reader.xref_objStm}
    return [IndirectObject(number, generation, reader) for number, generation in sorted(numbers)]


def _refuse_active(node: Any) -> None:
    if "/JS" in node or node.get("/S") in _ACTIVE_ACTIONS or "/JavaScript" in node:
        raise _active(_("Die PDF-Datei enthält JavaScript oder startet Programme."))
    if "/EmbeddedFiles" in node or "/EF" in node or node.get("/Type") == "/EmbeddedFile":
        raise _active(_("Die PDF-Datei enthält eingebettete Dateien."))
    if "/XFA" in node and _xfa_has_script(node["/XFA"]):
        raise _active(_("Die PDF-Datei enthält ein Formular mit Skripten."))


def _xfa_has_script(xfa: Any) -> bool:
    from pypdf.generic import ArrayObject, StreamObject

    value = xfa.get_object()
    streams = [part.get_object() for part in value] if isinstance(value, ArrayObject) else [value]
    return any(
        b"<script" in stream.get_data()[: 16 * _PART_BYTES].lower()
        for stream in streams
        if isinstance(stream, StreamObject)
    )


# --- DOCX and ODT (ZIP archives) ---------------------------------------------------------


def archive_type(file: IO[bytes]) -> str:
    """DOCX or ODT, as the archive's own parts declare it; anything else is refused."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = _check_entries(archive)
            if names and names[0] == "mimetype":
                return _odt(archive, names)
            if "[Content_Types].xml" in names:
                return _docx(archive, names)
    except UploadRefused:
        raise
    except _ZIP_ERRORS as error:  # encrypted entries, unknown methods, bad data
        log.info("upload refused: archive unreadable (%s: %s)", type(error).__name__, error)
        raise _damaged(_("Dokument")) from error
    finally:
        file.seek(0)
    raise UploadRefused(
        _("ZIP-Archive nehmen wir nicht an; bitte laden Sie die Dateien einzeln hoch."),
        reason="type",
    )


def _check_entries(archive: zipfile.ZipFile) -> list[str]:
    infos = archive.infolist()
    if len(infos) > config.get("UPLOAD_ARCHIVE_MAX_ENTRIES"):
        raise UploadRefused(_("Das Dokument besteht aus zu vielen Teilen."), reason="archive")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names) or any(
        name.startswith("/") or ".." in name.split("/") for name in names
    ):
        raise _damaged(_("Dokument"))
    expanded = sum(info.file_size for info in infos)
    bomb = any(
        info.file_size > 1_000_000 and info.file_size > _MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if bomb or expanded > config.get("UPLOAD_ARCHIVE_MAX_BYTES"):
        log.warning("upload refused: archive expands to %d bytes (bomb: %s)", expanded, bomb)
        raise UploadRefused(_("Das Dokument ist entpackt zu groß."), reason="archive")
    return names


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        data = part.read(_PART_BYTES + 1)
    if len(data) > _PART_BYTES:
        raise UploadRefused(_("Das Dokument ist zu umfangreich, um es zu prüfen."), "archive")
    return data


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    data = _read(archive, name)
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _damaged(_("Dokument"))  # no document type declarations: no entity expansion
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - no DTD (above), so no entities
    except ElementTree.ParseError as error:
        raise _damaged(_("Dokument")) from error


def _odt(archive: zipfile.ZipFile, names: list[str]) -> str:
    first = archive.infolist()[0]
    declared = _read(archive, "mimetype").strip()
    if first.compress_type != zipfile.ZIP_STORED or declared != ODT.encode():
        raise UploadRefused(_("Von OpenDocument-Dateien nehmen wir nur Texte (ODT) an."), "type")
    if "META-INF/manifest.xml" not in names:
        raise _damaged("ODT")
    root = _xml(archive, "META-INF/manifest.xml")
    space = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
    types = {e.get(space + "full-path"): e.get(space + "media-type") for e in root.iter()}
    if types.get("/") != ODT or "content.xml" not in names:
        raise _damaged("ODT")
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        raise _active(_("Das Dokument enthält Makros."))
    return ODT


def _docx(archive: zipfile.ZipFile, names: list[str]) -> str:
    if "_rels/.rels" not in names:
        raise _damaged("DOCX")
    relations = _xml(archive, "_rels/.rels")
    targets = [
        e.get("Target", "").lstrip("/")
        for e in relations.iter()
        if e.get("Type") == _OFFICE_DOCUMENT
    ]
    if len(targets) != 1 or targets[0] not in names:
        raise _damaged("DOCX")
    content_types = _xml(archive, "[Content_Types].xml")
    overrides = {
        e.get("PartName", "").lstrip("/"): e.get("ContentType") for e in content_types.iter()
    }
    main = overrides.get(targets[0])
    if main == _MACRO_MAIN or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _active(_("Das Dokument enthält Makros."))
    if main != _DOCX_MAIN:
        raise UploadRefused(
            _("Von Office-Dateien nehmen wir nur Word-Dokumente (DOCX) an."), "type"
        )
    if any(name.startswith(("word/activeX/", "word/embeddings/oleObject")) for name in names):
        raise _active(_("Das Dokument enthält eingebettete Programme (OLE- oder ActiveX-Objekte)."))
    return DOCX
