"""Domain events: delivered after the commit, one at a time or as the ids of one change."""

from __future__ import annotations

import pytest
from django.db import transaction

from smartcity.core import events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seen():
    one: list[events.EntityChanged] = []
    batches: list[tuple[str, list[int], str]] = []

    def batch(entity: str, pks: list[int], action: str) -> None:
        batches.append((entity, pks, action))

    events.subscribe(one.append)
    events.subscribe_batches(batch)
    yield one, batches
    events.unsubscribe(one.append)
    events.unsubscribe_batches(batch)


def test_a_bulk_change_is_one_call_for_a_batch_subscriber_and_one_event_per_row(seen):
    one, batches = seen
    with transaction.atomic():
        events.emit_many_after_commit("Observation", iter([3, 4, 5]), "create")
        assert one == [] and batches == []  # not before the commit
    assert batches == [("Observation", [3, 4, 5], "create")]
    assert one == [events.EntityChanged("Observation", pk, "create") for pk in (3, 4, 5)]


def test_a_single_change_reaches_both_kinds(seen):
    one, batches = seen
    with transaction.atomic():
        events.emit_after_commit(events.EntityChanged("Thing", 7, "update"))
    assert one == [events.EntityChanged("Thing", 7, "update")]
    assert batches == [("Thing", [7], "update")]


def test_a_rolled_back_change_is_never_delivered(seen):
    one, batches = seen
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit_many_after_commit("Observation", [1], "create")
        raise RuntimeError
    assert one == [] and batches == []


def test_a_failing_batch_subscriber_breaks_nothing(seen, caplog):
    one, _ = seen

    def broken(entity: str, pks: list[int], action: str) -> None:
        raise ValueError("kaputt")

    events.subscribe_batches(broken)
    try:
        with transaction.atomic():
            events.emit_many_after_commit("Observation", [1, 2], "create")
    finally:
        events.unsubscribe_batches(broken)
    assert len(one) == 2
    assert "failed on 2 Observation create" in caplog.text
