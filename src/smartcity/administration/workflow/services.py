"""Firing a workflow's transitions on a case, as plain functions (no HTTP). Each
transition is checked (it leaves the case's current state, the person may take its
action for the service's team through core.roles.may, four eyes: the approver is not the
processor), done under a row lock on the case's state and compare-and-set (two clerks
cannot both move it from the same state), and written to the history as
``status_changed`` with the applicant's plain-language sentence. Refused says why not:
403 (not this person), 409 (not from this state)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.administration.applying.case import history
from smartcity.administration.applying.case import services as case
from smartcity.administration.applying.limits import Refused
from smartcity.administration.models import Application, CaseState, Workflow
from smartcity.administration.workflow.definition import DEFAULT, Machine, Transition, parse
from smartcity.administration.workflow.definition import plain as plain_text
from smartcity.core import config, roles


def machine_for(application: Application) -> Machine:
    """The workflow of the application's service: its own, or the default."""
    own = Workflow.objects.filter(service_id=application.service_id).first()
    return parse(own.definition if own is not None else DEFAULT)


def _due_days(application: Application) -> int:
    own = Workflow.objects.filter(service_id=application.service_id).first()
    if own is not None and own.due_days is not None:
        return own.due_days
    return int(config.get("WORKFLOW_DUE_DAYS"))


def state_of(application: Application) -> CaseState:
    """The case's state, begun at the workflow's first state (due after the service's
    processing time from the day it was submitted) the first time it is asked for."""
    if application.is_draft:
        raise Refused(_("Dieser Antrag ist noch nicht abgeschickt."), 409)
    found = CaseState.objects.filter(application=application).first()
    if found is not None:
        return found
    submitted = timezone.localdate(application.submitted) if application.submitted else None
    start = submitted or timezone.localdate()
    found, _created = CaseState.objects.get_or_create(
        application=application,
        defaults={
            "state": machine_for(application).initial,
            "team": application.service.team,
            "due": start + timedelta(days=_due_days(application)),
        },
    )
    return found


def _allowed(t: Transition, by: Any, team: str | None, current: CaseState) -> bool:
    if t.action is None or not roles.may(by, t.action, team):
        return False
    return not (t.four_eyes and current.processor_id in (None, by.pk))


def choices(application: Application, by: Any) -> list[Transition]:
    """The transitions ``by`` may fire on the case now."""
    current = state_of(application)
    team = history.team_of(application)
    return [
        t for t in machine_for(application).leaving(current.state) if _allowed(t, by, team, current)
    ]


def fire(
    application: Application,
    name: str,
    by: Any,
    *,
    what: str = "",
    deadline: date | None = None,
) -> CaseState:
    """``by`` fires the transition ``name``; a "request" one asks the applicant for
    ``what`` by ``deadline`` through the case layer in the same transaction."""
    state_of(application)
    machine = machine_for(application)
    wanted = machine.find(str(name)[:40])
    team = history.team_of(application)
    with transaction.atomic():
        current = CaseState.objects.select_for_update().get(application=application)
        if wanted is None or wanted.source != current.state or wanted.action is None:
            raise Refused(_("Dieser Schritt ist im jetzigen Bearbeitungsstand nicht möglich."), 409)
        if not roles.may(by, wanted.action, team):
            raise Refused(_("Diesen Schritt dürfen Sie bei diesem Antrag nicht tun."), 403)
        if wanted.four_eyes and current.processor_id in (None, by.pk):
            raise Refused(
                _("Vier-Augen-Prinzip: Freigeben darf nur, wer den Antrag nicht bearbeitet hat."),
                403,
            )
        if wanted.kind == "request":
            if deadline is None:
                raise Refused(_("Bitte geben Sie eine Frist an."), 400)
            case.request_documents(application, by, what, deadline)
        changes: dict[str, Any] = {"state": wanted.target}
        if wanted.four_eyes:
            changes["approver"] = by
        else:
            changes["processor"] = changes["assignee"] = by
        return _move(application, current, wanted, changes, by)


def documents_answered(application: Application) -> CaseState | None:
    """The applicant has answered a document request: once none is open, the system
    fires the "answer" transition out of the current state, if the workflow has one."""
    found = CaseState.objects.filter(application=application).first()
    if found is None or application.document_requests.filter(status="open").exists():
        return None
    with transaction.atomic():
        current = CaseState.objects.select_for_update().get(pk=found.pk)
        answer = next(
            (t for t in machine_for(application).leaving(current.state) if t.kind == "answer"),
            None,
        )
        if answer is None:
            return None
        return _move(application, current, answer, {"state": answer.target}, None)


def _move(
    application: Application,
    current: CaseState,
    t: Transition,
    changes: dict[str, Any],
    by: Any,
) -> CaseState:
    moved = CaseState.objects.filter(pk=current.pk, state=current.state).update(
        **changes, changed=timezone.now()
    )
    if moved != 1:  # another transaction moved it first (where the lock is none: SQLite)
        raise Refused(_("Der Antrag wurde gerade von jemand anderem weitergeführt."), 409)
    history.record(
        application,
        "status_changed",
        by=by,
        data={"status": plain_text(t.target), "state": t.target, "transition": t.name},
    )
    current.refresh_from_db()
    return current
