"""A workflow as data, and the machine it describes. A definition is JSON:

    {"initial": "received",
     "transitions": [{"name": "complete", "from": "check", "to": "processing",
                      "action": "administration.case.process", "four_eyes": false,
                      "kind": ""}, ...]}

States come from :data:`STATES` (each has a label for the office and a sentence for the
applicant, both translated); ``action`` is a declared action (core.roles.may checks it
for the service's team); ``four_eyes`` means the one who fires it must not be the case's
processor; ``kind`` "request" asks the applicant for documents (case layer
request_documents), "answer" is fired by the system when they are uploaded.
:func:`parse` checks all of it and refuses anything else with :class:`DefinitionError`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from smartcity.core import contract
from smartcity.core.contract import Text

PROCESS = "administration.case.process"
APPROVE = "administration.case.approve"
REQUEST = "administration.case.request"
KINDS = ("", "request", "answer")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class State:
    key: str
    label: Text  # for the office
    plain: Text  # for the applicant, in Meine Anträge


STATES: dict[str, State] = {
    s.key: s
    for s in (
        State("received", _("Eingegangen"), _("Ihr Antrag ist bei uns eingegangen.")),
        State(
            "check",
            _("Vollständigkeitsprüfung"),
            _("Wir prüfen, ob Ihr Antrag vollständig ist."),
        ),
        State(
            "documents",
            _("Unterlagen nachgefordert"),
            _("Wir warten auf Unterlagen von Ihnen."),
        ),
        State("processing", _("In Bearbeitung"), _("Ihr Antrag wird bearbeitet.")),
        State(
            "approval",
            _("Zur Freigabe (Vier-Augen-Prinzip)"),
            _("Ihr Antrag wird abschließend geprüft."),
        ),
        State("granted", _("Bewilligt"), _("Ihr Antrag ist bewilligt.")),
        State("refused", _("Abgelehnt"), _("Ihr Antrag ist abgelehnt.")),
        State("fee", _("Gebühr angefordert"), _("Bitte bezahlen Sie die Gebühr.")),
        State(
            "notice",
            _("Bescheid erstellt"),
            _("Ihr Bescheid ist erstellt. Sie finden ihn in Ihrem Postfach."),
        ),
        State("closed", _("Abgeschlossen"), _("Ihr Antrag ist abgeschlossen.")),
    )
}


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    action: str | None  # None: the system fires it (kind "answer")
    four_eyes: bool = False
    kind: str = ""


@dataclass(frozen=True)
class Machine:
    initial: str
    transitions: tuple[Transition, ...]

    def leaving(self, state: str) -> list[Transition]:
        """The transitions out of ``state``, in the definition's order."""
        return [t for t in self.transitions if t.source == state]

    def find(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    @property
    def states(self) -> list[str]:
        seen = [self.initial]
        for t in self.transitions:
            seen += [s for s in (t.source, t.target) if s not in seen]
        return seen


class DefinitionError(ValueError):
    """What is wrong with a workflow definition, in German for the office."""


def _t(name: str, source: str, target: str, action: str | None = PROCESS, **more: Any) -> dict:
    return {"name": name, "from": source, "to": target, "action": action, **more}


DEFAULT: dict[str, Any] = {
    "initial": "received",
    "transitions": [
        _t("start_check", "received", "check"),
        _t("request_documents", "check", "documents", REQUEST, kind="request"),
        _t("documents_answered", "documents", "check", None, kind="answer"),
        _t("complete", "check", "processing"),
        _t("submit_for_approval", "processing", "approval"),
        _t("grant", "approval", "granted", APPROVE, four_eyes=True),
        _t("refuse", "approval", "refused", APPROVE, four_eyes=True),
        _t("send_back", "approval", "processing", APPROVE),
        _t("charge_fee", "granted", "fee"),
        _t("issue_notice", "granted", "notice"),
        _t("fee_notice", "fee", "notice"),
        _t("refusal_notice", "refused", "notice"),
        _t("close", "notice", "closed"),
    ],
}


def parse(definition: Any) -> Machine:
    """The machine ``definition`` describes, or DefinitionError saying what is wrong."""
    if not isinstance(definition, dict) or set(definition) - {"initial", "transitions"}:
        raise DefinitionError(_("Der Ablauf braucht genau „initial“ und „transitions“."))
    initial = definition.get("initial")
    if initial not in STATES:
        raise DefinitionError(_("Unbekannter Anfangszustand: %(state)s") % {"state": initial})
    items = definition.get("transitions")
    if not isinstance(items, list) or not items:
        raise DefinitionError(_("Der Ablauf braucht eine Liste von Übergängen."))
    machine = Machine(initial, tuple(_transition(item) for item in items))
    _check_whole(machine)
    return machine


def _transition(item: Any) -> Transition:
    if not isinstance(item, dict) or set(item) - {
        "name", "from", "to", "action", "four_eyes", "kind"
    }:  # fmt: skip
        raise DefinitionError(_("Ein Übergang hat unbekannte Angaben."))
    name, kind = item.get("name"), item.get("kind", "")
    if not isinstance(name, str) or not NAME.match(name):
        raise DefinitionError(_("Ungültiger Name eines Übergangs: %(name)s") % {"name": name})
    for end in ("from", "to"):
        if item.get(end) not in STATES:
            raise DefinitionError(
                _("Übergang %(name)s: unbekannter Zustand %(state)s")
                % {"name": name, "state": item.get(end)}
            )
    if kind not in KINDS or not isinstance(item.get("four_eyes", False), bool):
        raise DefinitionError(_("Übergang %(name)s: ungültige Art.") % {"name": name})
    action = item.get("action")
    if kind == "answer":
        if action is not None or item.get("four_eyes"):
            raise DefinitionError(
                _("Übergang %(name)s löst das System aus: ohne Aktion.") % {"name": name}
            )
    elif not isinstance(action, str) or action not in contract.actions():
        raise DefinitionError(
            _("Übergang %(name)s: unbekannte Aktion %(action)s") % {"name": name, "action": action}
        )
    return Transition(name, item["from"], item["to"], action, item.get("four_eyes", False), kind)


def _check_whole(machine: Machine) -> None:
    names = [t.name for t in machine.transitions]
    if len(set(names)) != len(names):
        raise DefinitionError(_("Jeder Übergang braucht einen eigenen Namen."))
    for t in machine.transitions:
        if t.kind == "request" and not any(
            a.kind == "answer" and a.source == t.target for a in machine.transitions
        ):
            raise DefinitionError(
                _("Nach der Nachforderung %(name)s fehlt der Übergang, wenn die Unterlagen kommen.")
                % {"name": t.name}
            )
    reachable, todo = {machine.initial}, [machine.initial]
    while todo:
        for t in machine.leaving(todo.pop()):
            if t.target not in reachable:
                reachable.add(t.target)
                todo.append(t.target)
    if stray := {t.source for t in machine.transitions} - reachable:
        raise DefinitionError(
            _("Nicht erreichbare Zustände: %(states)s") % {"states": ", ".join(sorted(stray))}
        )


def label(state: str) -> str:
    found = STATES.get(state)
    return str(found.label) if found else state


def plain(state: str) -> str:
    """The applicant's sentence for ``state``, in German whoever fires the step: it is
    kept in the history and shown in the reader's language (it is a msgid)."""
    found = STATES.get(state)
    if found is None:
        return state
    with translation.override("de"):
        return str(found.plain)
