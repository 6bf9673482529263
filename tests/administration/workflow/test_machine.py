"""Every transition of the default workflow, from the data: allowed from its own state
(by someone who may), refused with 409 from every other state, changing nothing; the
system's "answer" transition cannot be fired by a person."""

from __future__ import annotations

from typing import Any

import pytest

from smartcity.administration.applying.limits import Refused
from smartcity.administration.models import CaseEvent, CaseState
from smartcity.administration.workflow import services
from smartcity.administration.workflow.definition import DEFAULT, STATES, parse
from smartcity.administration.workflow.definition import plain as plain_text

pytestmark = pytest.mark.django_db(databases=["default", "audit"])
MACHINE = parse(DEFAULT)
PERSON_FIRED = [t for t in MACHINE.transitions if t.action is not None]


def _put(application: Any, state: str, processor: Any = None) -> CaseState:
    current = services.state_of(application)
    current.state, current.processor = state, processor
    current.save()
    return current


def _who(t: Any, clerk: Any, supervisor: Any) -> Any:
    return supervisor if t.four_eyes or t.action.endswith("approve") else clerk


def _fire(application: Any, t: Any, by: Any) -> CaseState:
    extra: dict[str, Any] = {}
    if t.kind == "request":
        from datetime import timedelta

        from django.utils import timezone

        extra = {"what": "Geburtsurkunde", "deadline": timezone.localdate() + timedelta(days=7)}
    return services.fire(application, t.name, by, **extra)


@pytest.mark.parametrize("t", PERSON_FIRED, ids=[t.name for t in PERSON_FIRED])
def test_each_transition_fires_from_its_own_state(t, application, clerk, supervisor):
    _put(application, t.source, processor=clerk)
    moved = _fire(application, t, _who(t, clerk, supervisor))
    assert moved.state == t.target
    event = application.events.filter(kind="status_changed").get()
    assert event.data["state"] == t.target and event.data["status"] == plain_text(t.target)
    assert event.actor == CaseEvent.STAFF


@pytest.mark.parametrize("t", PERSON_FIRED, ids=[t.name for t in PERSON_FIRED])
def test_each_transition_is_refused_from_every_other_state(t, application, clerk, supervisor):
    for state in STATES:
        if state == t.source:
            continue
        _put(application, state, processor=clerk)
        with pytest.raises(Refused) as refused:
            _fire(application, t, _who(t, clerk, supervisor))
        assert refused.value.status == 409, state
        assert CaseState.objects.get(application=application).state == state
    assert not application.events.exists()
    assert not application.document_requests.exists()


def test_no_person_fires_the_systems_transition(application, clerk, supervisor):
    _put(application, "documents")
    for person in (clerk, supervisor):
        with pytest.raises(Refused) as refused:
            services.fire(application, "documents_answered", person)
        assert refused.value.status == 409
    with pytest.raises(Refused):
        services.fire(application, "no_such_thing", clerk)
    assert services.state_of(application).state == "documents"


def test_the_choices_are_what_this_person_may_fire(application, clerk, supervisor):
    assert [t.name for t in services.choices(application, clerk)] == ["start_check"]
    _put(application, "approval", processor=clerk)
    assert [t.name for t in services.choices(application, clerk)] == []
    assert [t.name for t in services.choices(application, supervisor)] == [
        "grant", "refuse", "send_back"
    ]  # fmt: skip
