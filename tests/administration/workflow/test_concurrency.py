"""Two supervisors decide the same case at the same moment, one granting and one
refusing (PostgreSQL: real row locks, two connections): one wins, the other is told
409, and the history has one decision."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from smartcity.administration.applying.limits import Refused
from smartcity.administration.models import Application, CaseState
from smartcity.administration.workflow import services

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "audit"]),
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
]


def test_two_conflicting_decisions_one_wins(application, clerk, supervisor, other_supervisor):
    for name in ("start_check", "complete", "submit_for_approval"):
        services.fire(application, name, clerk)
    barrier = threading.Barrier(2)

    def decide(job: tuple[str, Any]) -> str:
        name, by = job
        try:
            barrier.wait(timeout=30)
            found = Application.objects.get(pk=application.pk)
            return services.fire(found, name, by).state
        except Refused as refused:
            return str(refused.status)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(decide, [("grant", supervisor), ("refuse", other_supervisor)]))
    assert sorted(results) in (["409", "granted"], ["409", "refused"])
    state = CaseState.objects.get(application=application).state
    assert state in results
    decisions = application.events.filter(kind="status_changed", data__state=state)
    assert decisions.count() == 1
    assert connection.vendor == "postgresql"
