"""The FeatureOfInterest generated from a Thing's Location (OGC 18-088 clause 10.2.1) is
created once, also when the Thing's first Observations arrive at the same moment: twelve
threads POST at once, through the whole HTTP handler, on each store."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from smartcity.core.tokens import create_token
from smartcity.sensors.models import FeatureOfInterest, Location, Observation
from tests.sensors.factories import make_thing_with_datastream

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 12


def _post_all(stream_id: int, token: str, rounds: int) -> list[int]:
    """THREADS clients POST one Observation each, released together, ``rounds`` times;
    half below the Datastream, half to Observations with a link."""
    start = threading.Barrier(THREADS)

    def post(n: int) -> int:
        try:
            start.wait(timeout=30)
            body = {"result": n, "phenomenonTime": f"2026-11-01T{n % 24:02d}:{n // 24:02d}:00Z"}
            if n % 2:
                path = "/sta/v1.1/Observations"
                body["Datastream"] = {"@iot.id": stream_id}
            else:
                path = f"/sta/v1.1/Datastreams({stream_id})/Observations"
            response = Client().post(
                path,
                json.dumps(body),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 201, response.content
            return int(response.json()["@iot.id"])
        finally:
            connection.close()  # each thread has its own connection

    ids: list[int] = []
    with ThreadPoolExecutor(THREADS) as pool:
        for round_ in range(rounds):
            ids += pool.map(post, range(round_ * THREADS, (round_ + 1) * THREADS))
    return ids


def test_concurrent_first_observations_share_one_generated_feature():
    token = create_token("race", ["sta:write"])[1]
    thing, stream = make_thing_with_datastream()
    location = Location.objects.get(things=thing)
    ids = _post_all(stream.pk, token, rounds=1)
    features = list(FeatureOfInterest.objects.filter(generated_from=location))
    assert len(features) == 1, f"{len(features)} features generated from one Location"
    assert FeatureOfInterest.objects.count() == 1
    pointing = Observation.objects.filter(pk__in=ids).values_list("feature_of_interest", flat=True)
    assert len(pointing) == THREADS and set(pointing) == {features[0].pk}


def test_a_moved_location_gets_one_new_feature_under_concurrency():
    """The feature is regenerated once when the Location's geometry changes."""
    token = create_token("race", ["sta:write"])[1]
    thing, stream = make_thing_with_datastream()
    location = Location.objects.get(things=thing)
    first = set(_post_all(stream.pk, token, rounds=1))
    location.location = {"type": "Point", "coordinates": [7.81, 51.68]}
    location.save()
    second = _post_all(stream.pk, token, rounds=1)
    features = list(FeatureOfInterest.objects.filter(generated_from=location).order_by("id"))
    assert len(features) == 2
    pointing = Observation.objects.filter(pk__in=second).values_list(
        "feature_of_interest", flat=True
    )
    assert set(pointing) == {features[1].pk}
    assert features[1].feature == location.location
    assert not first & set(second)
