"""A workflow as data: the default is valid, and definitions that would describe a
broken machine are refused when parsed and when a service's Workflow is saved."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from smartcity.administration.models import Workflow
from smartcity.administration.workflow.definition import (
    DEFAULT,
    STATES,
    DefinitionError,
    parse,
)


def _changed(change: Any) -> dict[str, Any]:
    definition = copy.deepcopy(DEFAULT)
    change(definition)
    return definition


def test_the_default_runs_from_received_to_closed():
    machine = parse(DEFAULT)
    assert machine.initial == "received"
    assert set(machine.states) == set(STATES)
    assert [t.name for t in machine.leaving("approval")] == ["grant", "refuse", "send_back"]
    assert {t.name for t in machine.transitions if t.four_eyes} == {"grant", "refuse"}
    assert machine.leaving("closed") == []


def _last(d: dict[str, Any]) -> dict[str, Any]:
    return d["transitions"][-1]


BROKEN = {
    "unknown state": lambda d: _last(d).update(to="irgendwo"),
    "unknown action": lambda d: _last(d).update(action="administration.case.fly"),
    "unknown key": lambda d: _last(d).update(color="red"),
    "bad name": lambda d: _last(d).update(name="Schließen!"),
    "duplicate name": lambda d: _last(d).update(name="grant"),
    "four_eyes not bool": lambda d: _last(d).update(four_eyes="yes"),
    "unknown kind": lambda d: _last(d).update(kind="magic"),
    "unknown initial": lambda d: d.update(initial="nowhere"),
    "no transitions": lambda d: d.update(transitions=[]),
    "extra key": lambda d: d.update(version=2),
    "answer with an action": lambda d: d["transitions"][2].update(
        action="administration.case.process"
    ),
    "request without answer": lambda d: d["transitions"].pop(2),
    "unreachable": lambda d: d["transitions"].pop(0),
}


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_definition_is_refused(change):
    with pytest.raises(DefinitionError):
        parse(_changed(change))


@pytest.mark.parametrize("definition", [None, [], "received", {"initial": "received"}])
def test_not_a_definition_is_refused(definition):
    with pytest.raises(DefinitionError):
        parse(definition)


@pytest.mark.django_db
def test_a_services_workflow_is_checked_when_saved(service):
    broken = _changed(BROKEN["unknown state"])
    with pytest.raises(ValidationError) as refused:
        Workflow.objects.create(service=service, definition=broken)
    assert "irgendwo" in str(refused.value)
    assert not Workflow.objects.exists()
    no_approval = {
        "initial": "received",
        "transitions": [
            {"name": "work", "from": "received", "to": "processing",
             "action": "administration.case.process"},
            {"name": "grant", "from": "processing", "to": "closed",
             "action": "administration.case.process"},
        ],
    }  # fmt: skip
    assert Workflow.objects.create(service=service, definition=no_approval).pk
