"""The archive's answers to an exported file: Aussonderung.AussonderungEmpfangBestaetigen.0507
(received) and Aussonderung.AussonderungImportBestaetigen.0506 (taken over, with the
archive's own id, or not, with its reasons). Parsed by defusedxml (no DTDs, no entities),
checked against the xdomea schemas, matched to the transfer by the message's ProzessID
and the file's ID (IDSGO). Bad input is refused with a German message, nothing written."""

from __future__ import annotations

import uuid
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.administration.applying.limits import Refused
from smartcity.administration.archive import schema
from smartcity.administration.archive.xdomea import NS
from smartcity.administration.models import ArchiveTransfer
from smartcity.core import config

RECEIVED = "Aussonderung.AussonderungEmpfangBestaetigen.0507"
IMPORTED = "Aussonderung.AussonderungImportBestaetigen.0506"


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _parse(data: bytes) -> Element:
    if len(data) > config.get("ARCHIVE_RECEIPT_MAX_BYTES"):
        raise Refused(_("Die Antwort des Archivs ist zu groß."), 413)
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as error:
        raise Refused(
            _("Die Antwort des Archivs ist kein lesbares XML: %(error)s") % {"error": error}
        ) from error
    if root.tag not in (_q(RECEIVED), _q(IMPORTED)):
        raise Refused(
            _("Das ist keine Antwort des Archivs auf eine Aussonderung (erwartet: 0506 oder 0507).")
        )
    found = schema.problems(root)
    if found:
        raise Refused(
            _("Die Antwort des Archivs entspricht nicht xdomea 3.1.0: %(problems)s")
            % {"problems": "; ".join(found)}
        )
    return root


def _text(node: Element, path: str) -> str:
    return (node.findtext(path, namespaces={"x": NS}) or "").strip()


def _uuid(text: str) -> uuid.UUID | None:
    try:  # the schema's pattern lets "|" through
        return uuid.UUID(text)
    except ValueError:
        return None


def _transfer(root: Element) -> ArchiveTransfer:
    process = _text(root, "x:Kopf/x:ProzessID")
    ident = _uuid(process)
    transfer = None
    if ident is not None:
        transfer = ArchiveTransfer.objects.select_for_update().filter(process_id=ident).first()
    if transfer is None:
        raise Refused(
            _("Zu dieser Antwort des Archivs gibt es keine Übergabe (ProzessID %(id)s).")
            % {"id": process},
            404,
        )
    return transfer


def _imported(transfer: ArchiveTransfer, root: Element) -> dict[str, Any]:
    for item in root.findall("x:AusgesondertesSGO", {"x": NS}):
        ident = _text(item, "x:IDSGO")
        if _uuid(ident) != transfer.file_id:
            raise Refused(
                _("Die Antwort des Archivs nennt eine Akte, die nicht übergeben wurde: %(id)s")
                % {"id": ident},
                404,
            )
        ok = _text(item, "x:Erfolgreich") in ("true", "1")
        errors = [e.text or "" for e in item.findall("x:Fehlermeldung", {"x": NS})]
        transfer.status = ArchiveTransfer.ARCHIVED if ok else ArchiveTransfer.REJECTED
        transfer.archive_id = _text(item, "x:Archivkennung")[:200]
        return {"successful": ok, "errors": errors, "archive_id": transfer.archive_id}
    return {}  # the schema wants at least one


def read(data: bytes) -> ArchiveTransfer:
    """Applies one answer of the archive to its transfer and returns it."""
    root = _parse(data)
    with transaction.atomic():
        transfer = _transfer(root)
        answer: dict[str, Any] = {"at": _text(root, "x:Kopf/x:Erstellungszeitpunkt")}
        if root.tag == _q(RECEIVED):
            if transfer.status == ArchiveTransfer.EXPORTED:
                transfer.status = ArchiveTransfer.RECEIVED
            transfer.receipt = {**transfer.receipt, "0507": answer}
        else:
            answer.update(_imported(transfer, root))
            transfer.receipt = {**transfer.receipt, "0506": answer}
        transfer.answered = timezone.now()
        transfer.save()
    return transfer
