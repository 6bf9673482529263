"""What the common clients send that a strict reading of 18-088 would refuse: ``@iot.id``
as a property in $filter and $orderby (FROST-Server reads it as ``id``, as $select does
here), and ``ASC``/``DESC`` in capitals (OData 4.01; FROST's Python client sends them)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from smartcity.sensors.models import Observation
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db


def _ids(body) -> list[int]:
    return [entity["@iot.id"] for entity in body["value"]]


def _world():
    """Two Things with a Datastream each, three observations in each Datastream."""
    made = [make_thing_with_datastream(f"S{i}") for i in range(2)]
    for i, (_, stream) in enumerate(made):
        add_observations(stream, [(f"2026-11-01T0{h}:00:00Z", i * 10 + h) for h in range(3)])
    return made


def test_filter_on_iot_id_through_navigations(anonymous):
    (thing, stream), (other, _) = _world()
    body = anonymous.get("Observations", **{"$filter": f"Datastream/Thing/@iot.id eq {thing.pk}"})
    assert body.status_code == 200, body.json()
    expected = sorted(Observation.objects.filter(datastream=stream).values_list("id", flat=True))
    assert _ids(body.json()) == expected
    same = anonymous.get("Observations", **{"$filter": f"Datastream/Thing/id eq {thing.pk}"})
    assert _ids(same.json()) == expected
    assert _ids(anonymous.get("Things", **{"$filter": f"@iot.id gt {thing.pk}"}).json()) == [
        other.pk
    ]


def test_orderby_iot_id_pages_by_keyset(anonymous):
    _world()
    everything = sorted(Observation.objects.values_list("id", flat=True), reverse=True)
    body = anonymous.get("Observations", **{"$orderby": "@iot.id desc", "$top": "4"}).json()
    seen = _ids(body)
    link = body["@iot.nextLink"]
    assert "$skiptoken=" in link
    parts = urlsplit(link)
    page = anonymous.client.get(f"{parts.path}?{parts.query}").json()
    assert "@iot.nextLink" not in page
    assert seen + _ids(page) == everything
    ascending = anonymous.get("Observations", **{"$orderby": "@iot.id"}).json()
    assert _ids(ascending) == sorted(everything)


def test_iot_id_inside_expand(anonymous):
    (thing, stream), _ = _world()
    newest = Observation.objects.filter(datastream=stream).order_by("-id")
    wanted = list(newest.values_list("id", flat=True))
    body = anonymous.get(
        "Datastreams",
        **{
            "$filter": f"Thing/@iot.id eq {thing.pk}",
            "$expand": f"Observations($filter=@iot.id ge {wanted[1]};$orderby=@iot.id desc)",
        },
    )
    assert body.status_code == 200, body.json()
    [found] = body.json()["value"]
    assert found["@iot.id"] == stream.pk
    assert [o["@iot.id"] for o in found["Observations"]] == wanted[:2]


@pytest.mark.parametrize(("direction", "reverse"), [("DESC", True), ("ASC", False), ("Desc", True)])
def test_orderby_direction_in_capitals(anonymous, direction, reverse):
    _world()
    body = anonymous.get("Observations", **{"$orderby": f"result {direction}"}).json()
    results = [o["result"] for o in body["value"]]
    assert results == sorted(results, reverse=reverse) and len(results) == 6


def test_other_annotations_in_filter_are_400(anonymous):
    response = anonymous.get("Things", **{"$filter": "@iot.selfLink eq 'x'"})
    assert response.status_code == 400
    assert response.json()["where"] == "$filter" and "@iot.id" in response.json()["message"]
