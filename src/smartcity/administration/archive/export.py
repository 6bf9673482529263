"""A submitted application's file as an xdomea 3.1.0 zip for the archive.

The zip holds the message ``{ProzessID}_Aussonderung.Aussonderung.0503.xml``, the primary
documents (each named ``{UUID}_{name}``, the pattern of xdomea's Dateiname) and
``{ProzessID}_Pruefsummen.sha256`` (SHA-256 of every file, sha256sum's format). The
documents are copied in chunks from the upload store straight into the zip, so the file
is never held in memory; the zip's own checksum is taken as it is written. The transfer
is recorded only once the zip is complete; every read is in the audit log."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.administration.applying import access
from smartcity.administration.applying.case import history
from smartcity.administration.applying.limits import Refused
from smartcity.administration.archive import documents, schema, xdomea
from smartcity.administration.models import Application, ArchiveTransfer

ARCHIVE = "administration.case.archive"
CHUNK = 1 << 20


class _Counting:
    """A write-only stream that hashes and counts what passes to ``out``."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.hash, self.size = out, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        self.size += len(data)
        return self.out.write(data) or len(data)

    def flush(self) -> None:
        self.out.flush()


@dataclass
class Written:
    name: str
    sha256: str


def _copy(zf: zipfile.ZipFile, name: str, source: IO[bytes]) -> Written:
    digest = hashlib.sha256()
    with zf.open(name, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
    return Written(name, digest.hexdigest())


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> Written:
    zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return Written(name, hashlib.sha256(data).hexdigest())


def check(application: Application, user: Any) -> None:
    """Refuses what cannot be archived (a draft: 409) or by whom (403)."""
    if user is not None:
        history.require(user, ARCHIVE, application)
    if application.is_draft:
        raise Refused(_("Ein Entwurf kann nicht an das Archiv übergeben werden."), 409)


def export(
    application: Application, out: IO[bytes], user: Any = None, request: Any = None
) -> ArchiveTransfer:
    """Writes the zip to ``out`` and records the transfer. ``user`` None: the operator's
    command line (no role to check)."""
    check(application, user)
    access.read_as(application, user, "archive", request)
    transfer = ArchiveTransfer(application=application, exported_by=user)
    case = documents.case_file(application, transfer)
    stream = _Counting(out)
    written: list[Written] = []
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED) as zf:  # type: ignore[call-overload]
        for doc, source in documents.sources(application, case, user, request):
            try:
                opened = source()
            except OSError as error:  # the store lost it: say which, record nothing
                raise Refused(
                    _("Ein Dokument der Akte ist im Speicher nicht lesbar: %(name)s")
                    % {"name": doc.original_name},
                    409,
                ) from error
            with opened:
                written.append(_copy(zf, doc.filename, opened))
        body = xdomea.message(case, timezone.now())
        found = schema.problems(body)
        if found:  # our bug, not the user's: stop before anything is recorded
            raise RuntimeError("xdomea 0503 not valid: " + "; ".join(found))
        pid = case.process_id
        written.append(_write(zf, f"{pid}_{xdomea.MESSAGE}.xml", body))
        manifest = "".join(f"{w.sha256}  {w.name}\n" for w in written)
        zf.writestr(f"{pid}_Pruefsummen.sha256", manifest, compress_type=zipfile.ZIP_DEFLATED)
    transfer.sha256, transfer.size = stream.hash.hexdigest(), stream.size
    transfer.documents = len(case.documents)
    transfer.save()
    return transfer


def zip_name(transfer: ArchiveTransfer) -> str:
    """The zip's name: ``{ProzessID}_Aussonderung.Aussonderung.0503.zip``."""
    return f"{transfer.process_id}_{xdomea.MESSAGE}.zip"


def by_reference(reference: str) -> Application:
    found = Application.objects.filter(reference=reference[:40]).first()
    if found is None:
        raise Refused(_("Einen Antrag mit diesem Aktenzeichen gibt es nicht."), 404)
    return found
