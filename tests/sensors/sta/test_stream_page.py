"""The plain-SQL page of one stream's observations (stream_page) against the general read
path: the same body for every request it takes, OGC 18-088 req/request-data/order,
top, skip, select and pagination (clause 9.3.3), and the general path for the rest."""

from __future__ import annotations

from urllib.parse import parse_qsl

import orjson
import pytest

from smartcity.sensors.entities import OBSERVATION
from smartcity.sensors.sta import paths, query_options, stream_page
from smartcity.sensors.sta.serialize import Links
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db
ROOT = "http://testserver/sta/v1.1/"


@pytest.fixture
def stream():
    _, stream = make_thing_with_datastream()
    times = [f"2026-11-01T{h:02d}:00:00Z" for h in range(12)]
    add_observations(stream, [(t, float(i)) for i, t in enumerate(times)])
    add_observations(stream, [("2026-11-01T05:00:00Z", 99.0)])  # a tie on phenomenonTime
    return stream


def _lean(path, query):
    """The lean page for ``path`` and ``query``, as api.handle asks for it."""
    options = query_options.parse(parse_qsl(query), OBSERVATION)
    return stream_page.try_read(
        paths.stream_observations(path), options, Links(ROOT), ROOT + path.strip("/")
    )


QUERIES = [
    "",
    "$top=5",
    "$top=5&$skip=3",
    "$orderby=phenomenonTime desc",
    "$orderby=phenomenonTime desc&$top=4",
    "$orderby=phenomenonTime asc,id desc&$top=6&$skip=1",
    "$orderby=id desc",
    "$select=result,phenomenonTime&$orderby=phenomenonTime desc",
    "$select=id&$top=3",
    "$top=0",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(
    "collection", ["Datastreams({pk})/Observations", "Datastreams({pk})/Observations/"]
)
def test_the_same_answer_as_the_general_path(anonymous, stream, monkeypatch, query, collection):
    path = collection.format(pk=stream.pk)
    url = f"{path}?{query}" if query else path
    lean = _lean("/" + path, query)
    fast = anonymous.client.get("/sta/v1.1/" + url)
    monkeypatch.setattr(stream_page, "try_read", lambda *args: None)
    general = anonymous.client.get("/sta/v1.1/" + url)
    assert fast.status_code == general.status_code == 200
    assert fast.json() == general.json()
    if query != "$top=0":
        assert lean is not None  # the lean path answered
        assert orjson.loads(orjson.dumps(lean)) == general.json()


def test_pages_link_to_the_next_the_same_way(anonymous, stream, monkeypatch):
    """req/request-data/pagination: the nextLink of a server-driven page."""
    monkeypatch.setenv("SMARTCITY_STA_DEFAULT_TOP", "5")
    path = f"Datastreams({stream.pk})/Observations?$orderby=phenomenonTime desc"
    fast = anonymous.get(path).json()
    monkeypatch.setattr(stream_page, "try_read", lambda *args: None)
    general = anonymous.get(path).json()
    assert fast == general and "@iot.nextLink" in fast
    seen = [o["@iot.id"] for o in fast["value"]]
    link = fast["@iot.nextLink"]
    while link:
        page = anonymous.client.get(link.removeprefix("http://testserver")).json()
        seen += [o["@iot.id"] for o in page["value"]]
        link = page.get("@iot.nextLink")
    assert len(seen) == len(set(seen)) == 13


@pytest.mark.parametrize(
    "query",
    [
        "$filter=result gt 3",
        "$count=true",
        "$expand=FeatureOfInterest",
        "$orderby=result desc",
        "$orderby=resultTime desc",
        "$resultFormat=dataArray",
    ],
)
def test_other_reads_take_the_general_path(stream, query):
    path = f"/Datastreams({stream.pk})/Observations"
    assert _lean(path, query) is None


def test_an_empty_page_tells_a_missing_stream_from_an_empty_one(anonymous):
    _, empty = make_thing_with_datastream()
    assert anonymous.get(f"Datastreams({empty.pk})/Observations").json()["value"] == []
    missing = anonymous.get("Datastreams(999)/Observations")
    assert missing.status_code == 404


def test_bad_options_are_client_errors(anonymous, stream):
    response = anonymous.get(f"Datastreams({stream.pk})/Observations", **{"$top": "viele"})
    assert response.status_code == 400
    assert response.json()["where"] == "$top"
