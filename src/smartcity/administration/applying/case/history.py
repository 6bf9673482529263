"""The case's history: :func:`record` writes one CaseEvent (by the office, the
applicant or the system); :func:`status_of` is the case's state in plain language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from smartcity.administration.applying.limits import Refused
from smartcity.administration.models import Application, CaseEvent, DocumentRequest, MailboxItem
from smartcity.administration.models.case import KINDS
from smartcity.core import roles

RECORD = "administration.case.record"


def team_of(application: Application) -> str | None:
    """The key of the team that works the application's service (None: no team)."""
    team = application.service.team
    return team.key if team is not None else None


def require(user: Any, action: str, application: Application) -> None:
    """Refuses (403) unless ``user`` may take ``action`` on the application's team."""
    if not roles.may(user, action, team_of(application)):
        raise Refused(_("Das dürfen Sie bei diesem Antrag nicht."), 403)


def record(
    application: Application,
    kind: str,
    *,
    by: Any = None,
    actor: str = "",
    data: dict[str, Any] | None = None,
    visible: bool = True,
) -> CaseEvent:
    """Writes what happened. ``by`` a staff account: the office did it, and it must
    hold ``administration.case.record`` (or the action the caller checked before, then
    ``actor`` "staff"); no ``by``: the system, or the applicant with ``actor``."""
    if kind not in KINDS:
        raise ValueError(f"no case event kind {kind!r} (kinds: {', '.join(KINDS)})")
    if by is not None and actor != CaseEvent.STAFF:
        require(by, RECORD, application)
        actor = CaseEvent.STAFF
    return CaseEvent.objects.create(
        application=application,
        kind=kind,
        data=data or {},
        actor=actor or CaseEvent.SYSTEM,
        staff=by,
        visible_to_applicant=visible,
    )


def status_of(application: Application) -> str:
    """Where the case stands, as the applicant reads it."""
    if application.is_draft:
        return _("Entwurf, noch nicht abgeschickt")
    if application.document_requests.filter(status=DocumentRequest.OPEN).exists():
        return _("Wir brauchen noch Unterlagen von Ihnen")
    if application.mailbox.filter(kind=MailboxItem.NOTICE).exists():
        return _("Entschieden: Der Bescheid liegt in Ihrem Postfach")
    latest = (
        application.events.filter(kind="status_changed", visible_to_applicant=True)
        .order_by("-at", "-pk")
        .first()
    )
    if latest is not None:
        return str(latest.data.get("status", "")) or _("eingereicht, in Bearbeitung")
    return _("eingereicht, in Bearbeitung")
