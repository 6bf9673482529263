"""The case's history: :func:`record` writes one CaseEvent for the office (its
permission checked) or the system, :func:`write` for the case's own steps that have
checked theirs; :func:`status_of` is the case's state in plain language."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
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
    """Where the case stands, as the applicant reads it (a list reads the same facts
    through :func:`status_annotations` instead of three queries a row)."""
    facts = getattr(application, "status_facts", None)
    if facts is None and not application.is_draft:
        latest = (
            application.events.filter(kind="status_changed", visible_to_applicant=True)
            .order_by("-at", "-pk")
            .first()
        )
        facts = (
            application.document_requests.filter(status=DocumentRequest.OPEN).exists(),
            application.mailbox.filter(kind=MailboxItem.NOTICE).exists(),
            str(latest.data.get("status", "")) if latest is not None else "",
        )
    return _status(application.is_draft, *(facts or (False, False, "")))


def status_annotations() -> dict[str, Any]:
    """Annotations for a list of applications that :func:`with_status` turns into each
    one's status without further queries."""
    latest = CaseEvent.objects.filter(
        application=OuterRef("pk"), kind="status_changed", visible_to_applicant=True
    ).order_by("-at", "-pk")
    return {
        "status_open": Exists(
            DocumentRequest.objects.filter(application=OuterRef("pk"), status=DocumentRequest.OPEN)
        ),
        "status_notice": Exists(
            MailboxItem.objects.filter(application=OuterRef("pk"), kind=MailboxItem.NOTICE)
        ),
        "status_latest": Subquery(latest.values("data")[:1]),
    }


def with_status(application: Application) -> Application:
    """``application``, annotated by :func:`status_annotations`, with its ``status_text``."""
    data = getattr(application, "status_latest", None) or {}
    if isinstance(data, str):  # a backend that hands JSON back as text
        data = json.loads(data)
    application.status_facts = (  # type: ignore[attr-defined]
        bool(getattr(application, "status_open", False)),
        bool(getattr(application, "status_notice", False)),
        str(data.get("status", "")),
    )
    application.status_text = status_of(application)  # type: ignore[attr-defined]
    return application


def _status(draft: bool, open_request: bool, notice: bool, sentence: str) -> str:
    if draft:
        return _("Entwurf, noch nicht abgeschickt")
    if open_request:
        return _("Wir brauchen noch Unterlagen von Ihnen")
    if notice:
        return _("Entschieden: Der Bescheid liegt in Ihrem Postfach")
    # the state's sentence is kept in German, a msgid of the workflow's states
    return _(sentence) if sentence else _("eingereicht, in Bearbeitung")
