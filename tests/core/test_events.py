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
        events.emit_many_after_commit("sensors.Observation", iter([3, 4, 5]), "create")
        assert one == [] and batches == []  # not before the commit
    assert batches == [("sensors.Observation", [3, 4, 5], "create")]
    assert one == [events.EntityChanged("sensors.Observation", pk, "create") for pk in (3, 4, 5)]


def test_a_single_change_reaches_both_kinds(seen):
    one, batches = seen
    with transaction.atomic():
        events.emit_after_commit(events.EntityChanged("sensors.Thing", 7, "update"))
    assert one == [events.EntityChanged("sensors.Thing", 7, "update")]
    assert batches == [("sensors.Thing", [7], "update")]


def test_a_rolled_back_change_is_never_delivered(seen):
    one, batches = seen
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit_many_after_commit("sensors.Observation", [1], "create")
        raise RuntimeError
    assert one == [] and batches == []


def test_a_failing_batch_subscriber_breaks_nothing(seen, caplog):
    one, _ = seen

    def broken(entity: str, pks: list[int], action: str) -> None:
        raise ValueError("kaputt")

    events.subscribe_batches(broken)
    try:
        with transaction.atomic():
            events.emit_many_after_commit("sensors.Observation", [1, 2], "create")
    finally:
        events.unsubscribe_batches(broken)
    assert len(one) == 2
    assert "failed on 2 sensors.Observation create" in caplog.text


def test_an_event_type_names_its_domain():
    event = events.EntityChanged("sensors.Observation", 1, "create")
    assert (event.domain, event.entity) == ("sensors", "Observation")
    with pytest.raises(ValueError, match=r"<domain>\.<entity>"):
        events.emit_after_commit(events.EntityChanged("Observation", 1, "create"))
    with pytest.raises(ValueError, match=r"<domain>\.<entity>"):
        events.emit_many_after_commit("Observation", [1], "create")
