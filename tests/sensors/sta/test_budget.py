"""What one SensorThings answer may cost (sta.budget): $expand nested at most
SMARTCITY_STA_MAX_EXPAND_DEPTH levels, at most SMARTCITY_STA_MAX_ENTITIES entities in one
answer (all parts of a $batch together), each refused with a 400 that names the limit,
before the answer is built; hostile requests stay within bounded memory."""

from __future__ import annotations

import threading
import tracemalloc

import pytest
from bench._hostile import nested

from smartcity.sensors.models import Observation
from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.sensors.sta.test_api_batch import http_part, multipart, parse_response, run_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """One Thing with three Datastreams of 30 Observations each."""
    thing, first = make_thing_with_datastream("Station Budget")
    streams = [first]
    for n in range(2):
        streams.append(make_thing_with_datastream(f"Station Budget {n}")[1])
    from smartcity.sensors.models import Datastream

    Datastream.objects.filter(pk__in=[s.pk for s in streams]).update(thing=thing)
    for stream in streams:
        times = [(f"2026-11-30T{h:02d}:{m:02d}:00Z", h + m) for h in range(3) for m in range(10)]
        add_observations(stream, times)
    return thing, streams


def test_an_expand_nested_fifty_levels_is_a_400_before_anything_is_read(anonymous, city):
    thing, _ = city
    answer = anonymous.get(f"Things({thing.pk})", **{"$expand": nested(50)})
    assert answer.status_code == 400
    body = answer.json()
    assert "SMARTCITY_STA_MAX_EXPAND_DEPTH" in body["message"]
    assert body["where"].startswith("$expand")


def test_even_thousands_of_levels_are_a_400_not_a_500(anonymous, city):
    thing, _ = city
    answer = anonymous.get(f"Things({thing.pk})", **{"$expand": nested(3000)})
    assert answer.status_code == 400


def test_paths_count_as_levels_and_the_limit_itself_is_allowed(anonymous, city, monkeypatch):
    thing, _ = city
    monkeypatch.setenv("SMARTCITY_STA_MAX_EXPAND_DEPTH", "2")
    ok = anonymous.get(f"Things({thing.pk})", **{"$expand": "Datastreams/Observations($top=1)"})
    assert ok.status_code == 200
    assert len(ok.json()["Datastreams"][0]["Observations"]) == 1
    three = "Datastreams/Observations/Datastream"
    deep = anonymous.get(f"Things({thing.pk})", **{"$expand": three})
    assert deep.status_code == 400
    inner = anonymous.get(f"Things({thing.pk})", **{"$expand": nested(3)})
    assert inner.status_code == 400


def test_an_answer_over_the_entity_budget_is_a_400(anonymous, city, monkeypatch):
    thing, _ = city
    monkeypatch.setenv("SMARTCITY_STA_MAX_ENTITIES", "50")
    # 1 Thing + 3 Datastreams + 90 Observations
    over = anonymous.get(f"Things({thing.pk})", **{"$expand": "Datastreams/Observations"})
    assert over.status_code == 400
    assert "SMARTCITY_STA_MAX_ENTITIES" in over.json()["message"]
    # 1 + 3 + 30 fit
    fits = anonymous.get(
        f"Things({thing.pk})", **{"$expand": "Datastreams($expand=Observations($top=10))"}
    )
    assert fits.status_code == 200
    assert sum(len(d["Observations"]) for d in fits.json()["Datastreams"]) == 30


def test_the_budget_counts_the_top_level_page_and_each_to_one_copy(anonymous, city, monkeypatch):
    """60 Observations with their Datastream hold 120 entities: a Datastream shared by 30
    Observations stands in the answer 30 times, though it is read once."""
    def status(top: str, expand: str | None = None) -> int:
        params = {"$top": top, **({"$expand": expand} if expand else {})}
        return anonymous.get("Observations", **params).status_code

    monkeypatch.setenv("SMARTCITY_STA_MAX_ENTITIES", "120")
    assert status("60", "Datastream") == 200
    monkeypatch.setenv("SMARTCITY_STA_MAX_ENTITIES", "119")
    assert status("60", "Datastream") == 400
    monkeypatch.setenv("SMARTCITY_STA_MAX_ENTITIES", "60")
    assert status("60") == 200
    monkeypatch.setenv("SMARTCITY_STA_MAX_ENTITIES", "59")
    assert status("60") == 400


def test_the_parts_of_a_batch_share_one_budget(anonymous, city, monkeypatch):
    monkeypatch.setenv("SMARTCITY_STA_MAX_ENTITIES", "50")
    parts = [http_part("GET Observations?$top=20 HTTP/1.1") for _ in range(3)]
    answers = parse_response(run_batch(anonymous, multipart("b1", parts)))
    assert [part.status for part in answers] == [200, 200, 400]
    assert "SMARTCITY_STA_MAX_ENTITIES" in answers[2].body["message"]


def test_a_hostile_expansion_stays_within_the_budget_in_memory(anonymous, city, monkeypatch):
    """With the depth limit lifted, a to-many expansion that multiplies at each level is
    stopped by the entity budget: the request's memory stays small."""
    thing, _ = city
    monkeypatch.setenv("SMARTCITY_STA_MAX_EXPAND_DEPTH", "60")
    monkeypatch.setenv("SMARTCITY_STA_MAX_ENTITIES", "2000")
    expand = "Datastreams($expand=Observations($expand=Datastream($expand=Observations("
    expand += "$expand=Datastream($expand=Observations)))))"
    tracemalloc.start()
    try:
        answer = anonymous.get(f"Things({thing.pk})", **{"$expand": expand})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status_code == 400  # 3 x 30 x 1 x 90 x ... entities
    assert peak < 30_000_000
    assert Observation.objects.count() == 90


def test_an_answer_over_the_text_budget_is_a_400_read_in_chunks(anonymous, city, monkeypatch):
    """Large entities (a long description each) are counted by their text as they are
    read: over SMARTCITY_STA_MAX_ANSWER_BYTES is a 400, fewer entities fit."""
    from smartcity.sensors.models import Thing
    from smartcity.sensors.sta import rows

    monkeypatch.setattr(rows, "CHUNK", 2)
    for n in range(6):
        make_thing_with_datastream(f"Gross {n}")
    Thing.objects.filter(name__startswith="Gross").update(description="x" * 200_000)
    monkeypatch.setenv("SMARTCITY_STA_MAX_ANSWER_BYTES", "1000000")
    over = anonymous.get("Things", **{"$filter": "startswith(name,'Gross')"})
    assert over.status_code == 400
    assert "SMARTCITY_STA_MAX_ANSWER_BYTES" in over.json()["message"]
    fits = anonymous.get("Things", **{"$filter": "startswith(name,'Gross')", "$top": "2"})
    assert fits.status_code == 200 and len(fits.json()["value"]) == 2


def test_large_answers_wait_for_a_slot_and_small_ones_never(anonymous, city, monkeypatch):
    """SMARTCITY_STA_LARGE_ANSWERS bounds how many large answers are built at once: with
    every slot taken an expansion waits, then is a 503 with Retry-After; a plain page
    (at most 1000 entities) needs no slot."""
    from smartcity.sensors.sta import budget

    thing, _ = city
    monkeypatch.setenv("SMARTCITY_STA_LARGE_ANSWERS", "1")
    monkeypatch.setenv("SMARTCITY_STA_LARGE_ANSWER_WAIT", "0.2")
    taken, done = threading.Event(), threading.Event()

    def another_request() -> None:  # builds a large answer meanwhile
        with budget.scope() as held:
            held.grow()
            taken.set()
            done.wait(10)

    other = threading.Thread(target=another_request)
    other.start()
    try:
        assert taken.wait(10)
        busy = anonymous.get(f"Things({thing.pk})", **{"$expand": "Datastreams"})
        assert busy.status_code == 503 and busy["Retry-After"] == "2"
        assert "SMARTCITY_STA_LARGE_ANSWERS" in busy.json()["message"]
        assert anonymous.get("Observations", **{"$top": "1000"}).status_code == 200
    finally:
        done.set()
        other.join(10)
    expanded = anonymous.get(f"Things({thing.pk})", **{"$expand": "Datastreams"})
    assert expanded.status_code == 200  # the slot was given back
