"""The archive's answers: 0507 (received) and 0506 (taken over with the archive's id, or
refused with its reasons) mark the transfer; malformed XML, an answer that breaks the
schema, a DTD, an unknown ProzessID or file are refused with a German message and
change nothing."""

from __future__ import annotations

import io
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity.administration.applying.limits import Refused
from smartcity.administration.archive import export, receipt
from smartcity.administration.models import ArchiveTransfer

pytestmark = pytest.mark.django_db(databases=["default", "audit"])

HEAD = """<Kopf><ProzessID>{pid}</ProzessID>
<Nachrichtentyp listURI="urn:xoev-de:xdomea:codeliste:nachrichtentyp">
<code xmlns="">{code}</code></Nachrichtentyp>
<Erstellungszeitpunkt>2026-12-04T10:00:00+01:00</Erstellungszeitpunkt>
<Absender><Institution><Name>Stadtarchiv Hamm</Name></Institution></Absender>
<Empfaenger><Institution><Name>Stadt Hamm</Name></Institution></Empfaenger></Kopf>"""


def received(pid) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Aussonderung.AussonderungEmpfangBestaetigen.0507'
        ' xmlns="urn:xoev-de:xdomea:schema:3.1.0">'
        + HEAD.format(pid=pid, code="0507")
        + "</Aussonderung.AussonderungEmpfangBestaetigen.0507>"
    ).encode()


def imported(pid, sgo, ok: bool = True, extra: str = "") -> bytes:
    detail = (
        "<Archivkennung>StAH 12/345</Archivkennung>"
        if ok
        else "<Fehlermeldung>Primärdokument fehlt</Fehlermeldung>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Aussonderung.AussonderungImportBestaetigen.0506'
        ' xmlns="urn:xoev-de:xdomea:schema:3.1.0">'
        + HEAD.format(pid=pid, code="0506")
        + f"<AusgesondertesSGO><IDSGO>{sgo}</IDSGO><Erfolgreich>{str(ok).lower()}</Erfolgreich>"
        + f"{detail}</AusgesondertesSGO>{extra}"
        + "</Aussonderung.AussonderungImportBestaetigen.0506>"
    ).encode()


@pytest.fixture
def transfer(application, supervisor) -> ArchiveTransfer:
    return export.export(application, io.BytesIO(), supervisor)


def test_received_then_archived(transfer):
    assert receipt.read(received(transfer.process_id)).status == ArchiveTransfer.RECEIVED
    done = receipt.read(imported(transfer.process_id, transfer.file_id))
    done.refresh_from_db()
    assert done.status == ArchiveTransfer.ARCHIVED and done.archive_id == "StAH 12/345"
    assert done.answered is not None
    assert set(done.receipt) == {"0506", "0507"} and done.receipt["0506"]["successful"]


def test_a_refusal_keeps_the_archives_reasons(transfer):
    done = receipt.read(imported(transfer.process_id, transfer.file_id, ok=False))
    assert done.status == ArchiveTransfer.REJECTED
    assert done.receipt["0506"]["errors"] == ["Primärdokument fehlt"]


def _refused(data: bytes, status: int, words: str) -> None:
    with pytest.raises(Refused) as refused:
        receipt.read(data)
    assert refused.value.status == status and words in refused.value.message


def test_bad_answers_are_refused_and_change_nothing(transfer):
    pid, sgo = transfer.process_id, transfer.file_id
    _refused(b"<Aussonderung", 400, "kein lesbares XML")
    _refused(
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", 400, "kein lesbares XML"
    )
    _refused(b"<foo/>", 400, "erwartet: 0506 oder 0507")
    no_id = imported(pid, sgo).replace(b"<Erfolgreich>true</Erfolgreich>", b"")
    _refused(no_id, 400, "entspricht nicht xdomea 3.1.0")
    _refused(imported(uuid.uuid4(), sgo), 404, "keine Übergabe")
    _refused(imported(pid, uuid.uuid4()), 404, "nicht übergeben wurde")
    bars = "||||||||-||||-||||-||||-||||||||||||"  # the schema's pattern allows "|"
    _refused(imported(bars, sgo), 404, "keine Übergabe")
    _refused(imported(pid, bars), 404, "nicht übergeben wurde")
    transfer.refresh_from_db()
    assert transfer.status == ArchiveTransfer.EXPORTED and transfer.receipt == {}


def test_a_too_large_answer_is_refused(transfer, settings, monkeypatch):
    monkeypatch.setenv("SMARTCITY_ARCHIVE_RECEIPT_MAX_BYTES", "100")
    _refused(received(transfer.process_id), 413, "zu groß")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_are_refused_with_a_message_never_an_error(transfer, data):
    with pytest.raises(Refused) as refused:
        receipt.read(data)
    assert refused.value.status in (400, 404, 413) and refused.value.message
