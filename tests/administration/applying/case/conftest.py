"""Fixtures of the case tests: a submitted application of a team's service, its clerk,
a clerk of another team, and the real task queue running its tasks at once (huey's
immediate mode) so that the e-mail lands in Django's test outbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from smartcity.administration.models import Application
from smartcity.core import roles, tasks
from smartcity.core.models import Team
from tests.administration.applying.factories import make_service, make_user


@pytest.fixture
def queue_now() -> Iterator[Any]:
    """The queue runs each task as it is queued. Its hook that hands the connection back
    after a task (as a consumer must) is off meanwhile: here the task runs inside the
    test's own transaction."""
    hooks = dict(tasks.queue._post_execute)
    tasks.queue._post_execute.clear()
    tasks.queue.immediate = True
    yield tasks.queue
    tasks.queue.immediate = False
    tasks.queue._post_execute.update(hooks)


@pytest.fixture
def service(db: Any) -> Any:
    found = make_service(guest=True)
    found.team = Team.objects.create(key="familienbuero", name="Familienbüro")
    found.save(update_fields=["team"])
    return found


@pytest.fixture
def parent(db: Any) -> Any:
    return make_user()


@pytest.fixture
def application(service: Any, parent: Any) -> Application:
    return Application.objects.create(
        service=service,
        applicant=parent,
        status=Application.SUBMITTED,
        reference="KITA-2026-000001",
        submitted=timezone.now(),
        data={"kind": {"vorname": "Mia"}},
    )


@pytest.fixture
def clerk(service: Any) -> Any:
    user = make_user("sachbearbeiterin", "clerk@stadt.example")
    roles.grant(user, "clerk", "familienbuero")
    return user


@pytest.fixture
def stranger_clerk(db: Any) -> Any:
    Team.objects.create(key="standesamt", name="Standesamt")
    user = make_user("standesbeamter", "standesamt@stadt.example")
    roles.grant(user, "clerk", "standesamt")
    return user
