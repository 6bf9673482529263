"""The case file's service layer: opened with the service's file plan and retention,
documents with numbered immutable versions in the blob store (both backends), notes,
the permission checks, the audit log of reads and downloads, and retention."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from smartcity.administration.applying.limits import Refused
from smartcity.administration.casefile import services
from smartcity.administration.models import CaseDocument, CaseNote, DocumentVersion
from smartcity.administration.models.casefile import Immutable
from smartcity.core.audit import AuditEvent
from smartcity.core.storage import store
from tests.administration.applying.factories import PDF, PNG

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


def _file(data: bytes, name: str) -> io.BytesIO:
    found = io.BytesIO(data)
    found.name = name
    return found


def test_the_file_takes_the_service_s_file_plan_and_retention(application, service):
    service.file_plan, service.retention_class = "51.20.01", "lang"
    service.save(update_fields=["file_plan", "retention_class"])
    casefile = services.casefile_of(application)
    assert (casefile.file_plan, casefile.retention_class) == ("51.20.01", "lang")
    assert casefile.retention_years == 30
    assert services.casefile_of(application).pk == casefile.pk  # one per application


def test_versions_are_numbered_and_stored_with_their_hash(backend, application, clerk):
    first = services.add_document(
        application, title="Geburtsurkunde", kind="evidence",
        file=_file(PDF, "urkunde.pdf"), name="urkunde.pdf", by=clerk,
    )  # fmt: skip
    second = services.add_version(
        first.document, file=_file(PNG, "scan.png"), name="scan.png", by=clerk
    )
    assert (first.number, second.number) == (1, 2)
    assert second.media_type == "image/png" and second.added_by == clerk
    assert second.sha256 == hashlib.sha256(PNG).hexdigest() and second.size == len(PNG)
    with store().open(first.key) as read:
        assert read.read() == PDF  # the first version is still there, unchanged
    assert first.key != second.key


def test_bad_files_are_refused_and_nothing_is_written(backend, application, clerk):
    with pytest.raises(Refused) as refused:
        services.add_document(
            application, title="Bild", kind="other",
            file=_file(PNG, "bild.pdf"), name="bild.pdf", by=clerk,
        )  # fmt: skip
    assert refused.value.status == 400 and refused.value.message
    with pytest.raises(Refused):
        services.add_document(
            application, title=" ", kind="other", file=_file(PDF, "a.pdf"), name="a.pdf", by=clerk
        )
    assert not CaseDocument.objects.exists() and not DocumentVersion.objects.exists()


def test_a_failed_row_deletes_its_bytes_again(backend, application, clerk, monkeypatch):
    written: list[str] = []
    real_put = store().put

    def put(stream):
        blob = real_put(stream)
        written.append(blob.key)
        return blob

    monkeypatch.setattr(type(store()), "put", lambda self, stream: put(stream))
    monkeypatch.setattr(DocumentVersion.objects, "create", _fail)
    with pytest.raises(DatabaseError):
        services.add_document(
            application, title="A", kind="other", file=_file(PDF, "a.pdf"), name="a.pdf", by=clerk
        )
    assert written and not store().exists(written[0])
    assert not CaseDocument.objects.exists()


def _fail(**_kwargs):
    raise DatabaseError("the store went away")


def test_a_stored_version_or_note_is_never_changed_or_deleted(application, clerk):
    version = services.add_document(
        application, title="A", kind="other", file=_file(PDF, "a.pdf"), name="a.pdf", by=clerk
    )
    version.sha256 = "0" * 64
    with pytest.raises(Immutable):
        version.save()
    with pytest.raises(Immutable):
        version.delete()
    note = services.add_note(application, text="Telefonat mit der Mutter", by=clerk)
    note.text = "anders"
    with pytest.raises(Immutable):
        note.save()
    with pytest.raises(Immutable):
        note.delete()
    assert DocumentVersion.objects.get().sha256 == hashlib.sha256(PDF).hexdigest()
    assert CaseNote.objects.get().text == "Telefonat mit der Mutter"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_on_postgresql_the_store_refuses_updates_too(application, clerk):
    version = services.add_document(
        application, title="A", kind="other", file=_file(PDF, "a.pdf"), name="a.pdf", by=clerk
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        DocumentVersion.objects.filter(pk=version.pk).update(size=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        DocumentVersion.objects.filter(pk=version.pk).delete()
    assert DocumentVersion.objects.get().size == len(PDF)


def test_retention_deletes_the_file_and_its_bytes(backend, application, clerk):
    version = services.add_document(
        application, title="A", kind="other", file=_file(PDF, "a.pdf"), name="a.pdf", by=clerk
    )
    services.add_note(application, text="Vermerk", by=clerk)
    assert services.purge(version.document.casefile) == 1
    assert not store().exists(version.key)
    assert not DocumentVersion.objects.exists() and not CaseNote.objects.exists()


def test_notes_are_limited(application, clerk, monkeypatch):
    monkeypatch.setenv("SMARTCITY_CASEFILE_NOTE_MAX_CHARS", "10")
    with pytest.raises(Refused) as refused:
        services.add_note(application, text="x" * 11, by=clerk)
    assert "10 Zeichen" in refused.value.message
    with pytest.raises(Refused):
        services.add_note(application, text="   ", by=clerk)
    assert not CaseNote.objects.exists()


def test_another_team_may_neither_write_nor_read(application, stranger_clerk):
    with pytest.raises(Refused) as refused:
        services.add_note(application, text="fremd", by=stranger_clerk)
    assert refused.value.status == 403
    with pytest.raises(Refused):
        services.read(application, stranger_clerk, None)
    assert not CaseNote.objects.exists() and not AuditEvent.objects.exists()


def test_reads_and_downloads_are_in_the_audit_log(backend, application, clerk):
    version = services.add_document(
        application, title="A", kind="other", file=_file(PDF, "a.pdf"), name="a.pdf", by=clerk
    )
    casefile = services.read(application, clerk, None)
    with services.download(version, clerk, None) as read:
        assert read.read() == PDF
    events = {(e.action, e.object_type, e.object_id, e.actor_id) for e in AuditEvent.objects.all()}
    assert events == {
        ("read", "administration.casefile", casefile.public_id, clerk.pk),
        ("download", "administration.documentversion", version.public_id, clerk.pk),
    }
