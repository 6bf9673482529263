"""The xdomea export: a submitted application with uploads and a notice becomes a zip
whose 0503 message is valid against the xdomea 3.1.0 schemas, names every document it
holds, with right checksums; the transfer and the audit log record it; who may not
export, and what cannot be exported, is refused with nothing written."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile

import pytest
import xmlschema
from defusedxml.ElementTree import fromstring

from smartcity.administration.applying.case import services
from smartcity.administration.applying.limits import Refused
from smartcity.administration.applying.storage import store
from smartcity.administration.archive import export
from smartcity.administration.archive.schema import ROOT
from smartcity.administration.archive.xdomea import MESSAGE, NS
from smartcity.administration.models import Application, ArchiveTransfer, Upload
from smartcity.core.audit import AuditEvent
from tests.administration.applying.factories import PDF, PNG

pytestmark = pytest.mark.django_db(databases=["default", "audit"])
X = {"x": NS}


def _upload(application: Application, name: str, content: bytes, media: str) -> Upload:
    stored = store().save(io.BytesIO(content))
    return Upload.objects.create(
        application=application,
        field="nachweis",
        original_name=name,
        media_type=media,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        stored=stored.name,
    )


@pytest.fixture
def filled(application, clerk):
    _upload(application, "Geburtsurkunde Mia.pdf", PDF, "application/pdf")
    _upload(application, "foto.png", PNG, "image/png")
    services.post_message(application, clerk, "Bitte reichen Sie noch etwas nach.")
    services.deliver(application, "Bescheid Kita-Platz", PDF, "notice", by=clerk)
    return application


def _export(application, user) -> tuple[ArchiveTransfer, zipfile.ZipFile, bytes]:
    out = io.BytesIO()
    transfer = export.export(application, out, user)
    data = out.getvalue()
    return transfer, zipfile.ZipFile(io.BytesIO(data)), data


def test_the_message_is_valid_xdomea_and_names_every_document(filled, supervisor):
    transfer, zf, data = _export(filled, supervisor)
    xml_name = f"{transfer.process_id}_{MESSAGE}.xml"
    body = zf.read(xml_name)
    # the shared copy of the schemas, read independently of the export's own check
    xmlschema.XMLSchema(str(ROOT)).validate(body)
    root = fromstring(body)
    assert root.findtext("x:Kopf/x:ProzessID", namespaces=X) == str(transfer.process_id)
    assert root.find("x:Kopf/x:Nachrichtentyp", X).findtext("code") == "0503"
    akte = root.find("x:Schriftgutobjekt/x:Akte", X)
    assert akte.findtext("x:Identifikation/x:ID", namespaces=X) == str(transfer.file_id)
    assert akte.findtext("x:AllgemeineMetadaten/x:Kennzeichen", namespaces=X) == "KITA-2026-000001"
    actions = [
        h.findtext("x:Aktion", namespaces=X)
        for h in akte.findall("x:HistorienProtokollInformation", X)
    ]
    assert actions == ["message_office", "delivered"]
    names = [
        p.text
        for p in akte.iterfind(".//x:Dokument/x:Version/x:Format/x:Primaerdokument/x:Dateiname", X)
    ]
    assert len(names) == 4 == transfer.documents  # acknowledgement, 2 uploads, the notice
    assert set(names) | {xml_name, f"{transfer.process_id}_Pruefsummen.sha256"} == set(
        zf.namelist()
    )
    for name in names:
        uuid.UUID(name[:36])
    assert any(n.endswith("_Geburtsurkunde_Mia.pdf") for n in names)
    assert zf.read(next(n for n in names if n.endswith("foto.png"))) == PNG
    assert zf.read(names[0]).startswith(b"%PDF")
    assert transfer.sha256 == hashlib.sha256(data).hexdigest() and transfer.size == len(data)
    assert ArchiveTransfer.objects.get() == transfer and transfer.status == "exported"


def test_the_manifest_holds_each_files_sha256(filled, supervisor):
    transfer, zf, _ = _export(filled, supervisor)
    lines = zf.read(f"{transfer.process_id}_Pruefsummen.sha256").decode().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert len(listed) == len(zf.namelist()) - 1
    for name, digest in listed.items():
        assert hashlib.sha256(zf.read(name)).hexdigest() == digest


def test_every_export_is_in_the_audit_log(filled, supervisor):
    _export(filled, supervisor)
    events = AuditEvent.objects.using("audit").filter(purpose="archive", actor_id=supervisor.pk)
    assert {(e.action, e.object_type) for e in events} == {
        ("read", "administration.application"),
        ("download", "administration.upload"),
    }
    assert events.filter(object_id=filled.public_id).count() == 1


def test_a_clerk_and_another_teams_staff_may_not_export(filled, clerk, stranger_clerk):
    for user in (clerk, stranger_clerk):
        with pytest.raises(Refused) as refused:
            export.export(filled, io.BytesIO(), user)
        assert refused.value.status == 403
    assert not ArchiveTransfer.objects.exists()
    assert not AuditEvent.objects.using("audit").filter(purpose="archive").exists()


def test_a_draft_is_not_exported(application, supervisor):
    application.status = Application.DRAFT
    application.save()
    with pytest.raises(Refused) as refused:
        export.export(application, io.BytesIO(), supervisor)
    assert refused.value.status == 409 and "Entwurf" in refused.value.message
    assert not ArchiveTransfer.objects.exists()


def test_a_document_lost_from_the_store_is_named_and_nothing_recorded(filled, supervisor):
    lost = filled.uploads.get(original_name="foto.png")
    store().delete(lost.stored)
    with pytest.raises(Refused) as refused:
        export.export(filled, io.BytesIO(), supervisor)
    assert refused.value.status == 409 and "foto.png" in refused.value.message
    assert not ArchiveTransfer.objects.exists()
