"""System query options without $filter: OGC 18-088 clause 9.3 (req/request-data/*)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from smartcity.sensors.models import Observation
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db


def _times(n: int) -> list[tuple[str, float]]:
    return [(f"2026-11-01T{h:02d}:00:00Z", float(h)) for h in range(n)]


def _follow(anonymous, url: str):
    parts = urlsplit(url)
    return anonymous.client.get(f"{parts.path}?{parts.query}").json()


def test_top_and_skip(anonymous):
    """req/request-data/top and req/request-data/skip: $skip before $top."""
    _, stream = make_thing_with_datastream()
    add_observations(stream, _times(10))
    body = anonymous.get("Observations", **{"$top": "3", "$skip": "2"}).json()
    assert [o["result"] for o in body["value"]] == [2.0, 3.0, 4.0]
    # rows remain: the nextLink goes on in pages of the client's $top, $skip spent
    link = body["@iot.nextLink"]
    assert "$top=3" in link and "$skip=" not in link
    results = []
    while link:
        page = _follow(anonymous, link)
        assert len(page["value"]) <= 3
        results += [o["result"] for o in page["value"]]
        link = page.get("@iot.nextLink")
    assert results == [5.0, 6.0, 7.0, 8.0, 9.0]


def test_top_fitting_the_collection_has_no_next_link(anonymous):
    """The final partial set has no nextLink (req/request-data/pagination)."""
    _, stream = make_thing_with_datastream()
    add_observations(stream, _times(4))
    for top in ("4", "5"):
        body = anonymous.get("Observations", **{"$top": top}).json()
        assert len(body["value"]) == 4 and "@iot.nextLink" not in body
    body = anonymous.get("Observations", **{"$top": "0"}).json()
    assert body == {"value": []}


def test_top_two_of_five_pages_on(anonymous):
    """18-088 clause 9.3.3.7 and the OGC test suite's $top checks: a nextLink whenever
    entities remain, also under the client's own $top."""
    _, stream = make_thing_with_datastream()
    add_observations(stream, _times(5))
    first = anonymous.get("Observations", **{"$top": "2", "$orderby": "phenomenonTime"}).json()
    assert [o["result"] for o in first["value"]] == [0.0, 1.0]
    second = _follow(anonymous, first["@iot.nextLink"])
    assert [o["result"] for o in second["value"]] == [2.0, 3.0]
    last = _follow(anonymous, second["@iot.nextLink"])
    assert [o["result"] for o in last["value"]] == [4.0] and "@iot.nextLink" not in last


def test_count_ignores_top(anonymous):
    """req/request-data/count."""
    _, stream = make_thing_with_datastream()
    add_observations(stream, _times(7))
    body = anonymous.get("Observations", **{"$count": "true", "$top": "2"}).json()
    assert body["@iot.count"] == 7 and len(body["value"]) == 2
    assert next(iter(body)) == "@iot.count"  # the count comes before value


def test_count_must_be_boolean(anonymous):
    response = anonymous.get("Things", **{"$count": "yes"})
    assert response.status_code == 400
    assert response.json()["where"] == "$count"


@pytest.mark.parametrize("option", ["$top", "$skip"])
def test_negative_or_text_top_skip_is_400(anonymous, option):
    assert anonymous.get("Things", **{option: "-1"}).status_code == 400
    assert anonymous.get("Things", **{option: "ten"}).status_code == 400


def test_unknown_system_option_is_501(anonymous):
    """req/request-data/query-status-code."""
    assert anonymous.get("Things", **{"$search": "x"}).status_code == 501


def test_server_driven_paging_never_repeats_or_skips(anonymous, settings, monkeypatch):
    """req/request-data/pagination: follow nextLinks while rows are inserted in between."""
    monkeypatch.setenv("SMARTCITY_STA_DEFAULT_TOP", "4")
    _, stream = make_thing_with_datastream()
    add_observations(stream, _times(10))
    body = anonymous.get("Observations", **{"$orderby": "phenomenonTime desc"}).json()
    seen = [o["@iot.id"] for o in body["value"]]
    # a new, newer row appears before the client fetches page two: it must not shift pages
    add_observations(stream, [("2026-11-02T00:00:00Z", 99.0)])
    while "@iot.nextLink" in body:
        body = _follow(anonymous, body["@iot.nextLink"])
        seen += [o["@iot.id"] for o in body["value"]]
    original = list(
        Observation.objects.exclude(result=99.0)
        .order_by("-phenomenon_time_start")
        .values_list("id", flat=True)
    )
    assert seen == original


def test_top_larger_than_page_is_paged(anonymous, monkeypatch):
    """A $top above the service's page is discarded for it (req/request-data/top)."""
    monkeypatch.setenv("SMARTCITY_STA_MAX_TOP", "3")
    _, stream = make_thing_with_datastream()
    add_observations(stream, _times(8))
    body = anonymous.get("Observations", **{"$top": "5"}).json()
    assert len(body["value"]) == 3 and "$top=3" in body["@iot.nextLink"]
    second = _follow(anonymous, body["@iot.nextLink"])
    assert len(second["value"]) == 3
    third = _follow(anonymous, second["@iot.nextLink"])
    assert len(third["value"]) == 2 and "@iot.nextLink" not in third
    seen = [o["result"] for page in (body, second, third) for o in page["value"]]
    assert seen == [float(h) for h in range(8)]


def test_tampered_skiptoken_is_400(anonymous):
    assert anonymous.get("Things", **{"$skiptoken": "!!!"}).status_code == 400


def test_select_returns_only_named_properties(anonymous):
    """req/request-data/select."""
    _, stream = make_thing_with_datastream()
    add_observations(stream, _times(1))
    body = anonymous.get("Observations", **{"$select": "result,phenomenonTime"}).json()
    assert body["value"] == [{"result": 0.0, "phenomenonTime": "2026-11-01T00:00:00Z"}]


def test_select_id_and_navigation(anonymous):
    thing, _ = make_thing_with_datastream()
    body = anonymous.get(f"Things({thing.pk})", **{"$select": "id,Datastreams"}).json()
    assert set(body) == {"@iot.id", "Datastreams@iot.navigationLink"}


def test_select_unknown_property_is_400(anonymous):
    response = anonymous.get("Things", **{"$select": "colour"})
    assert response.status_code == 400 and "colour" in response.json()["message"]


def test_expand_nested_paths(anonymous):
    """req/request-data/expand: multi-level with '/'."""
    thing, _stream = make_thing_with_datastream()
    body = anonymous.get(
        f"Things({thing.pk})", **{"$expand": "Datastreams/ObservedProperty,Locations"}
    ).json()
    assert body["Datastreams"][0]["ObservedProperty"]["name"] == "PM10"
    assert body["Locations"][0]["location"]["type"] == "Point"


def test_expand_with_inner_options(anonymous):
    """Inner $top, $orderby, $select, $count and a nested $expand."""
    _thing, stream = make_thing_with_datastream()
    add_observations(stream, _times(5))
    body = anonymous.get(
        "Things",
        **{
            "$expand": (
                "Datastreams($select=name;$expand=Observations($orderby=phenomenonTime desc;"
                "$top=2;$count=true;$select=result))"
            )
        },
    ).json()
    ds = body["value"][0]["Datastreams"][0]
    assert set(ds) == {
        "name",
        "Observations",
        "Observations@iot.count",
        "Observations@iot.nextLink",
    }
    assert ds["Observations"] == [{"result": 4.0}, {"result": 3.0}]
    assert ds["Observations@iot.count"] == 5


def test_newest_observation_of_every_datastream(anonymous):
    """The cheap 'latest value' request the dashboards make."""
    streams = [make_thing_with_datastream(f"S{i}")[1] for i in range(3)]
    for i, stream in enumerate(streams):
        add_observations(stream, [(f"2026-11-01T0{h}:00:00Z", i * 10 + h) for h in range(4)])
    body = anonymous.get(
        "Datastreams", **{"$expand": "Observations($top=1;$orderby=phenomenonTime desc)"}
    ).json()
    assert [d["Observations"][0]["result"] for d in body["value"]] == [3, 13, 23]


def test_expand_unknown_navigation_is_400(anonymous):
    response = anonymous.get("Things", **{"$expand": "Sensors"})
    assert response.status_code == 400 and "Sensors" in response.json()["message"]


@pytest.mark.parametrize(
    "expand", ["Datastreams(", "Datastreams($top=1", "Datastreams($foo=1)", "Datastreams($top=x)"]
)
def test_malformed_expand_is_400(anonymous, expand):
    assert anonymous.get("Things", **{"$expand": expand}).status_code == 400


def test_expand_single_on_collection(anonymous):
    _, stream = make_thing_with_datastream()
    add_observations(stream, _times(2))
    body = anonymous.get("Observations", **{"$expand": "Datastream($select=name)"}).json()
    assert all(o["Datastream"] == {"name": "PM10 Station Hauptbahnhof"} for o in body["value"])


def test_expanded_collection_pages_with_next_link(anonymous, monkeypatch):
    """Server-driven paging inside $expand: the nextLink continues that parent's rows."""
    monkeypatch.setenv("SMARTCITY_STA_DEFAULT_TOP", "2")
    streams = [make_thing_with_datastream(f"S{i}")[1] for i in range(2)]
    for i, stream in enumerate(streams):
        add_observations(stream, [(f"2026-11-01T0{h}:00:00Z", i * 10 + h) for h in range(5)])
    body = anonymous.get(
        "Datastreams", **{"$expand": "Observations($orderby=phenomenonTime desc;$select=result)"}
    ).json()
    second = body["value"][1]
    results = [o["result"] for o in second["Observations"]]
    link = second["Observations@iot.nextLink"]
    assert f"Datastreams({streams[1].pk})/Observations" in link
    while link:
        page = _follow(anonymous, link)
        results += [o["result"] for o in page["value"]]
        link = page.get("@iot.nextLink")
    assert results == [14, 13, 12, 11, 10]


def test_expanded_top_pages_on_and_ends(anonymous):
    """A to-many $expand with the client's $top: a nextLink while entities remain, in
    pages of that $top; none where the $top holds them all."""
    streams = [make_thing_with_datastream(f"S{i}")[1] for i in range(2)]
    add_observations(streams[0], _times(5))
    add_observations(streams[1], _times(2))
    body = anonymous.get(
        "Datastreams", **{"$expand": "Observations($top=2;$orderby=phenomenonTime;$select=result)"}
    ).json()
    full, fitting = body["value"]
    assert "Observations@iot.nextLink" not in fitting and len(fitting["Observations"]) == 2
    results = [o["result"] for o in full["Observations"]]
    link = full["Observations@iot.nextLink"]
    assert f"Datastreams({streams[0].pk})/Observations?" in link and "$top=2" in link
    while link:
        page = _follow(anonymous, link)
        assert len(page["value"]) <= 2
        results += [o["result"] for o in page["value"]]
        link = page.get("@iot.nextLink")
    assert results == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_expand_filter_applies_per_parent(anonymous):
    streams = [make_thing_with_datastream(f"S{i}")[1] for i in range(2)]
    for stream in streams:
        add_observations(stream, [(f"2026-11-01T0{h}:00:00Z", h) for h in range(4)])
    body = anonymous.get(
        "Datastreams", **{"$expand": "Observations($filter=result ge 2;$count=true)"}
    ).json()
    for ds in body["value"]:
        assert sorted(o["result"] for o in ds["Observations"]) == [2, 3]
        assert ds["Observations@iot.count"] == 2
