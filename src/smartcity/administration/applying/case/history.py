"""The case's history: :func:`record` writes one CaseEvent for the office (its
permission checked) or the system, :func:`write` for the case's own steps that have
checked theirs; :func:`status_of` is the case's state in plain language."""

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
    data: dict[str, Any] | None = None,
    visible: bool = True,
) -> CaseEvent:
    """Writes what happened, by the office (``by``, a staff account that must hold
    ``administration.case.record`` for the application's team) or, without ``by``, by
    the system."""
    if by is not None:
        require(by, RECORD, application)
        return write(application, kind, actor=CaseEvent.STAFF, staff=by, data=data,
                     visible=visible)  # fmt: skip
    return write(application, kind, actor=CaseEvent.SYSTEM, data=data, visible=visible)


def write(
    application: Application,
    kind: str,
    *,
    actor: str,
    staff: Any = None,
    data: dict[str, Any] | None = None,
    visible: bool = True,
) -> CaseEvent:
    """The entry itself, for the case's own steps once they have checked their action
    (services.py) and for the applicant's (``actor`` "applicant")."""
    if kind not in KINDS:
        raise ValueError(f"no case event kind {kind!r} (kinds: {', '.join(KINDS)})")
    return CaseEvent.objects.create(
        application=application,
        kind=kind,
        data=data or {},
        actor=actor,
        staff=staff,
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
