"""The case file's service layer: open it, add a document or a new version of one, add a
note, read it and download a version (both in the audit log). Every write checks the
declared action (``administration.casefile.write``) for the service's team; bad input is
a :class:`Refused` with a German message, and nothing is half written: the bytes go to
the blob store first and are deleted again when the row cannot be stored."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from smartcity.administration.applying.limits import Refused
from smartcity.administration.models import (
    Application,
    CaseDocument,
    CaseFile,
    CaseNote,
    DocumentVersion,
)
from smartcity.administration.models.catalogue import RETENTION_YEARS
from smartcity.core import audit, config, roles, uploads
from smartcity.core.storage import store

READ, WRITE = "administration.casefile.read", "administration.casefile.write"
CASEFILE, VERSION = "administration.casefile", "administration.documentversion"


def may(user: Any, action: str, application: Application) -> bool:
    team = application.service.team
    return team is not None and roles.may(user, action, team.key)


def _require(user: Any, action: str, application: Application) -> None:
    if not may(user, action, application):
        raise Refused(_("Sie dürfen diese E-Akte nicht bearbeiten."), status=403)


def casefile_of(application: Application) -> CaseFile:
    """The application's case file, opened with its service's file plan and retention
    class when first needed."""
    service = application.service
    found, _created = CaseFile.objects.get_or_create(
        application=application,
        defaults={
            "file_plan": service.file_plan,
            "retention_class": service.retention_class,
            "retention_years": RETENTION_YEARS[service.retention_class],
        },
    )
    return found


def read(application: Application, reader: Any, request: HttpRequest | None) -> CaseFile:
    """The case file for ``reader`` (staff of the team), recorded in the audit log."""
    if not may(reader, READ, application):
        raise Refused(_("Sie dürfen diese E-Akte nicht lesen."), status=403)
    casefile = casefile_of(application)
    audit.record(request, audit.READ, CASEFILE, casefile.public_id, "casefile", actor=reader)
    return casefile


def download(version: DocumentVersion, reader: Any, request: HttpRequest | None) -> IO[bytes]:
    """The bytes of ``version`` for ``reader``, the download in the audit log."""
    if not may(reader, READ, version.document.casefile.application):
        raise Refused(_("Sie dürfen diese E-Akte nicht lesen."), status=403)
    audit.record(request, audit.DOWNLOAD, VERSION, version.public_id, "casefile", actor=reader)
    return store().open(version.key)


def add_document(
    application: Application, *, title: str, kind: str, file: IO[bytes], name: str, by: Any
) -> DocumentVersion:
    """A new document of the case file with ``file`` as its version 1."""
    _require(by, WRITE, application)
    title = title.strip()
    if not title or len(title) > 200:
        raise Refused(_("Bitte geben Sie einen Titel mit höchstens 200 Zeichen an."))
    if kind not in dict(CaseDocument.KINDS):
        raise Refused(_("Diese Art von Dokument gibt es nicht."))
    return _store_version(casefile_of(application), None, title, kind, file, name, by)


def add_version(document: CaseDocument, *, file: IO[bytes], name: str, by: Any) -> DocumentVersion:
    """A new version of ``document``; the earlier ones stay as they are."""
    _require(by, WRITE, document.casefile.application)
    return _store_version(document.casefile, document, "", "", file, name, by)


def _store_version(
    casefile: CaseFile,
    document: CaseDocument | None,
    title: str,
    kind: str,
    file: IO[bytes],
    name: str,
    by: Any,
) -> DocumentVersion:
    checked = _check(file, name)
    file.seek(0)
    blob = store().put(file)
    try:
        with transaction.atomic():
            if document is None:
                document = CaseDocument.objects.create(casefile=casefile, title=title, kind=kind)
            else:  # one writer at a time per document (the number is counted up)
                CaseDocument.objects.select_for_update().filter(pk=document.pk).first()
            last = document.versions.aggregate(last=Max("number"))["last"] or 0
            return DocumentVersion.objects.create(
                document=document,
                number=last + 1,
                original_name=name[:255],
                media_type=checked.media_type,
                size=blob.size,
                sha256=blob.sha256,
                key=blob.key,
                added_by=by,
            )
    except BaseException:
        store().delete(blob.key)  # nothing refers to it
        raise


def _check(file: IO[bytes], name: str) -> uploads.Checked:
    accept = [t.strip() for t in config.get("CASEFILE_DOCUMENT_TYPES").split(",") if t.strip()]
    try:
        return uploads.check(
            file, accept=accept, max_bytes=config.get("CASEFILE_MAX_BYTES"), name=name
        )
    except uploads.UploadRefused as error:
        raise Refused(str(error)) from error


def add_note(application: Application, *, text: str, by: Any) -> CaseNote:
    _require(by, WRITE, application)
    text = text.strip()
    limit = config.get("CASEFILE_NOTE_MAX_CHARS")
    if not text:
        raise Refused(_("Der Vermerk ist leer."))
    if len(text) > limit:
        raise Refused(_("Der Vermerk ist länger als %(limit)s Zeichen.") % {"limit": limit})
    return CaseNote.objects.create(casefile=casefile_of(application), text=text, author=by)


def purge(casefile: CaseFile) -> int:
    """Retention: the whole case file's documents, versions (and their bytes) and notes
    deleted, the only way they ever go; the number of versions deleted. Called when its
    period after closing has passed (the retention task is left to the workflow)."""
    keys = list(
        DocumentVersion.objects.filter(document__casefile=casefile).values_list("key", flat=True)
    )
    with transaction.atomic():
        _allow_retention()
        DocumentVersion.objects.filter(document__casefile=casefile).delete()
        CaseNote.objects.filter(casefile=casefile).delete()
        CaseDocument.objects.filter(casefile=casefile).delete()
        casefile.delete()
    for key in keys:
        store().delete(key)
    return len(keys)


def _allow_retention() -> None:
    """On PostgreSQL, the trigger that guards versions and notes lets this transaction
    delete them (migration 0007_casefile)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL smartcity.retention = 'on'")
