"""Who reaches an application. Its applicant reaches it through :func:`own` (their
account, or a guest's session that holds it); everyone else who reads its personal data
(a co-signer, staff in the back office) goes through :func:`read_as`, the one place where
the audit log (core/audit.py) records each such read, and a file through
:func:`download_as`. Anything else is a 404, the same as an id that does not exist, so
that ids cannot be probed."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from smartcity.administration.applying.links import SESSION_KEY
from smartcity.administration.models import Application, Upload
from smartcity.core import audit, roles

APPLICATION, UPLOAD = "administration.application", "administration.upload"


def _mine(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if user.is_authenticated:
        return {"applicant": user}
    return {"applicant__isnull": True, "public_id__in": request.session.get(SESSION_KEY, [])}


def own(request: HttpRequest, public_id: str) -> Application:
    """The requesting person's application of ``public_id``, else Http404. The clerk who
    entered one at the counter or from paper reaches it too, while they may still do so
    for its service's team (they fill in its steps and print its acknowledgement)."""
    found = (
        Application.objects.select_related("service")
        .filter(public_id=str(public_id)[:32], **_mine(request))
        .first()
    )
    if found is None and request.user.is_authenticated:
        found = _entered(request, str(public_id)[:32])
    if found is None:
        raise Http404("no such application of yours")
    return found


def _entered(request: HttpRequest, public_id: str) -> Application | None:
    clerk: Any = request.user
    found = (
        Application.objects.select_related("service__team")
        .filter(public_id=public_id, entered_by=clerk)
        .exclude(channel=Application.ONLINE)
        .first()
    )
    if found is None or found.service.team is None:
        return None
    if not roles.may(clerk, "administration.application.counter", found.service.team.key):
        return None
    return read_as(found, clerk, "counter", request)


def own_upload(request: HttpRequest, public_id: str, upload_id: str) -> Upload:
    application = own(request, public_id)
    found = application.uploads.filter(public_id=str(upload_id)[:32]).first()
    if found is None:
        raise Http404("no such upload")
    return found


def read_as(
    application: Application, reader: Any, purpose: str, request: HttpRequest | None = None
) -> Application:
    """``application`` for ``reader``, who is not its applicant, to read for ``purpose``
    ("cosign", "case"): every such read passes here and is in the audit log, committed
    even when the request's transaction is rolled back."""
    audit.record(request, audit.READ, APPLICATION, application.public_id, purpose, actor=reader)
    return application


def download_as(upload: Upload, reader: Any, purpose: str, request: HttpRequest | None) -> Upload:
    """``upload`` for ``reader``, not its applicant, to download for ``purpose``."""
    audit.record(request, audit.DOWNLOAD, UPLOAD, upload.public_id, purpose, actor=reader)
    return upload
