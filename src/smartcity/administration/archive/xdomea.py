"""The xdomea 3.1.0 message Aussonderung.Aussonderung.0503 for one case file.

One Akte (the application's file, its reference as Kennzeichen, the history as
HistorienProtokollInformation) holds one Vorgang (the application) with one Dokument per
primary document; every Schriftgutobjekt is identified by a UUID. Only metadata is here:
the documents' bytes go into the zip next to this XML (export.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree.ElementTree import Element, SubElement, tostring

NS = "urn:xoev-de:xdomea:schema:3.1.0"
MESSAGE = "Aussonderung.Aussonderung.0503"
TYPE_LIST = "urn:xoev-de:xdomea:codeliste:nachrichtentyp"
FORMAT_LIST = "urn:xoev-de:xdomea:codeliste:dateiformat"


@dataclass(frozen=True)
class Document:
    """One primary document: ``filename`` is its name inside the zip (``{uuid}_name``)."""

    id: uuid.UUID
    title: str
    kind: str  # Typ: Eingangsbestätigung, Anlage, Bescheid, Schreiben
    filename: str
    original_name: str
    extension: str
    at: datetime
    incoming: bool  # Posteingang (from the applicant) or Postausgang (from the office)


@dataclass(frozen=True)
class Event:
    actor: str
    at: datetime
    action: str
    remark: str


@dataclass
class CaseFile:
    process_id: uuid.UUID
    file_id: uuid.UUID
    process_file_id: uuid.UUID
    reference: str
    subject: str
    opened: date
    closed: date
    sender: str
    recipient: str
    file_plan: str = ""
    documents: list[Document] = field(default_factory=list)
    history: list[Event] = field(default_factory=list)


def _el(parent: Element, name: str, text: str | None = None, **attrs: str) -> Element:
    child = SubElement(parent, f"{{{NS}}}{name}", attrs)
    if text is not None:
        child.text = text
    return child


def _code(parent: Element, name: str, value: str, list_uri: str, version: str) -> None:
    code = _el(parent, name, listURI=list_uri, listVersionID=version)
    SubElement(code, "code").text = value  # code lists' children are unqualified


def _contact(parent: Element, name: str, institution: str) -> None:
    _el(_el(_el(parent, name), "Institution"), "Name", institution)


def _head(root: Element, case: CaseFile, now: datetime) -> None:
    head = _el(root, "Kopf")
    _el(head, "ProzessID", str(case.process_id))
    _code(head, "Nachrichtentyp", "0503", TYPE_LIST, "2.0")
    _el(head, "Erstellungszeitpunkt", now.isoformat(timespec="seconds"))
    _contact(head, "Absender", case.sender)
    _contact(head, "Empfaenger", case.recipient)
    system = _el(head, "SendendesSystem")
    _el(system, "Produktname", "smartcity")
    _el(head, "Importbestaetigung", "1")
    _el(head, "RueckmeldungArchivkennung", "1")
    _el(head, "Empfangsbestaetigung", "1")


def _document(parent: Element, doc: Document, number: int) -> None:
    node = _el(parent, "Dokument")
    ident = _el(node, "Identifikation")
    _el(ident, "ID", str(doc.id))
    _el(ident, "NummerImUebergeordnetenContainer", str(number))
    _el(_el(node, "AllgemeineMetadaten"), "Betreff", doc.title)
    _el(
        node,
        "Posteingangsdatum" if doc.incoming else "Postausgangsdatum",
        doc.at.date().isoformat(),
    )
    _el(node, "Typ", doc.kind)
    version = _el(node, "Version")
    _el(version, "Nummer", "1")
    form = _el(version, "Format")
    _code(form, "Name", doc.extension, FORMAT_LIST, "2.0")
    _el(form, "Version", "")
    primary = _el(form, "Primaerdokument")
    _el(primary, "Dateiname", doc.filename)
    _el(primary, "DateinameOriginal", doc.original_name)
    _el(primary, "DatumUhrzeit", doc.at.isoformat(timespec="seconds"))


def _history(parent: Element, events: list[Event]) -> None:
    for event in events:
        entry = _el(parent, "HistorienProtokollInformation")
        _el(entry, "Akteur", event.actor)
        _el(entry, "DatumUhrzeit", event.at.isoformat(timespec="seconds"))
        if event.remark:
            _el(entry, "Bemerkung", event.remark)
        _el(entry, "Aktion", event.action)


def _metadata(parent: Element, case: CaseFile, subject: str) -> None:
    meta = _el(parent, "AllgemeineMetadaten")
    _el(meta, "Betreff", subject)
    _el(meta, "Kennzeichen", case.reference)
    if case.file_plan:
        _el(_el(meta, "Aktenplaneinheit"), "Kennzeichen", case.file_plan)


def message(case: CaseFile, now: datetime) -> bytes:
    """The 0503 message as UTF-8 XML."""
    root = Element(f"{{{NS}}}{MESSAGE}")
    _head(root, case, now)
    akte = _el(_el(root, "Schriftgutobjekt"), "Akte")
    _el(_el(akte, "Identifikation"), "ID", str(case.file_id))
    _metadata(akte, case, case.subject)
    period = _el(akte, "Laufzeit")
    _el(period, "Beginn", case.opened.isoformat())
    _el(period, "Ende", case.closed.isoformat())
    _history(akte, case.history)
    vorgang = _el(_el(akte, "Akteninhalt"), "Vorgang")
    _el(_el(vorgang, "Identifikation"), "ID", str(case.process_file_id))
    _metadata(vorgang, case, case.subject)
    for number, doc in enumerate(case.documents, start=1):
        _document(vorgang, doc, number)
    return tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=None)
