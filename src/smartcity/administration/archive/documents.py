"""What goes into an archived file: the application's data as its acknowledgement (PDF/A,
as Meine Anträge gives it), its uploads, its mailbox (letters and notices), and its
history; each document gets a UUID and its name in the zip."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.administration.applying import access, pages
from smartcity.administration.applying.engine import fields, summary
from smartcity.administration.applying.storage import store
from smartcity.administration.archive.xdomea import CaseFile, Document, Event
from smartcity.administration.models import Application, ArchiveTransfer
from smartcity.core import config, pdf

Source = Callable[[], IO[bytes]]


def safe_name(name: str, limit: int = 80) -> str:
    """A file name of letters, digits, dot, dash and underscore only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "dokument"
    return cleaned[-limit:]


def _doc(title: str, kind: str, name: str, at: datetime, incoming: bool) -> Document:
    ident = uuid.uuid4()
    clean = safe_name(name)
    extension = clean.rsplit(".", 1)[-1].lower() if "." in clean else "bin"
    return Document(ident, title, kind, f"{ident}_{clean}", name, extension, at, incoming)


def acknowledgement(application: Application) -> bytes:
    form = fields.load(application.service.form)
    context = {
        "application": application,
        "service": application.service,
        "sections": summary.sections(form, application.data, pages.file_names(application)),
    }
    title = _("Eingangsbestätigung %(reference)s") % {"reference": application.reference}
    return pdf.from_template(
        "administration/applying/acknowledgement_pdf.html", context, title=title
    )


def case_file(application: Application, transfer: ArchiveTransfer) -> CaseFile:
    submitted = application.submitted or application.created
    events = [
        Event(e.get_actor_display(), e.at, e.kind, e.text)
        for e in application.events.order_by("at", "pk")
    ]
    return CaseFile(
        process_id=transfer.process_id,
        file_id=transfer.file_id,
        process_file_id=uuid.uuid4(),
        reference=application.reference or "",
        subject=application.service.name,
        opened=timezone.localdate(submitted),
        closed=timezone.localdate(),
        sender=config.get("ARCHIVE_SENDER"),
        recipient=config.get("ARCHIVE_RECIPIENT"),
        file_plan=config.get("ARCHIVE_FILE_PLAN"),
        history=events,
    )


def sources(
    application: Application, case: CaseFile, user: Any, request: Any
) -> Iterator[tuple[Document, Source]]:
    """Each document (added to ``case``) with how to open its bytes, when it is written."""
    submitted = application.submitted or application.created
    ack = _doc(_("Eingangsbestätigung"), "Eingangsbestätigung", "antrag.pdf", submitted, True)
    case.documents.append(ack)
    yield ack, lambda: io.BytesIO(acknowledgement(application))
    files = store()
    for upload in application.uploads.order_by("created", "pk"):
        access.download_as(upload, user, "archive", request)
        doc = _doc(upload.original_name, "Anlage", upload.original_name, upload.created, True)
        case.documents.append(doc)
        yield doc, partial(files.open, upload.stored)
    for item in application.mailbox.order_by("created", "pk"):
        kind = item.get_kind_display()
        doc = _doc(item.title, str(kind), f"{item.title}.pdf", item.created, False)
        case.documents.append(doc)
        yield doc, partial(files.open, item.stored)
