"""Polling a CPO's OCPI Locations endpoint, served over https on loopback: the token in
the Authorization header, two pages joined by the Link header, the response envelope,
changes since the last poll, and failures that keep the last good sites."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from smartcity.mobility import feeds
from smartcity.mobility.charging import ocpi_poll
from smartcity.mobility.models import Feed, Offer
from tests.https import Answer

pytestmark = pytest.mark.django_db
EXAMPLE = json.loads(
    (
        Path(__file__).resolve().parents[1]
        / "fixtures"
        / "ocpi-2.2.1"
        / "examples"
        / "location_example.json"
    ).read_text()
)
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
TOKEN = "ebf3b399-779f-4497-9b9d-ac6ad3cc44d2"
PATH = "/ocpi/cpo/2.2.1/locations"


def hamm(location_id: str, lat: float = 51.6786, lon: float = 7.8081, **change) -> dict:
    """The spec's example Location, moved to Hamm under the CPO DE*SWH."""
    location = copy.deepcopy(EXAMPLE)
    location.update(
        country_code="DE",
        party_id="SWH",
        id=location_id,
        name=f"Ladepunkt {location_id}",
        coordinates={"latitude": f"{lat:.6f}", "longitude": f"{lon:.6f}"},
        last_updated="2026-12-01T11:00:00Z",
        **change,
    )
    return location


def envelope(data, code=1000, message="Success") -> bytes:
    return orjson.dumps(
        {
            "data": data,
            "status_code": code,
            "status_message": message,
            "timestamp": "2026-12-01T12:00:00Z",
        }
    )


@pytest.fixture
def cpo(site):
    """A CPO whose Locations come in two pages of two."""
    feed = feeds.feed(
        "ocpi-swh",
        kind=Feed.OCPI,
        provider="Stadtwerke Hamm",
        url=site.url(PATH),
        ttl=300,
        options={"token": TOKEN, "page_size": 2},
    )
    page2 = f"{site.url(PATH)}?offset=2&limit=2"
    site.routes[f"{PATH}?limit=2"] = Answer(
        envelope([hamm("L1"), hamm("L2", 51.69, 7.83)]),
        headers={"Link": f'<{page2}>; rel="next"', "X-Total-Count": "4", "X-Limit": "2"},
    )
    far = hamm("L4", 51.05, 3.73)  # Gent: outside the city's extent
    broken = hamm("L5", 51.7, 7.85)
    del broken["coordinates"]
    site.routes[f"{PATH}?offset=2&limit=2"] = Answer(
        envelope([hamm("L3", 51.70, 7.85), far, broken]), headers={"X-Total-Count": "4"}
    )
    return feed


def _refs(feed) -> list[str]:
    return sorted(Offer.objects.filter(feed=feed).values_list("ref", flat=True))


def test_both_pages_are_read_with_the_token(cpo, site):
    report = ocpi_poll.poll_report(cpo, now=NOW)
    assert report.failure == ""
    assert _refs(cpo) == ["DE*SWH*L1", "DE*SWH*L2", "DE*SWH*L3"]
    assert site.requests == [f"{PATH}?limit=2", f"{PATH}?offset=2&limit=2"]
    expected = "Token " + base64.b64encode(TOKEN.encode()).decode()
    assert [h["Authorization"] for h in site.request_headers] == [expected, expected]
    assert report.rejected == [("page 2, /data/2", "invalid Location: coordinates: Field required")]
    assert report.skipped == {"locations not shown (unpublished, removed or outside the area)": 1}
    offer = Offer.objects.get(feed=cpo, ref="DE*SWH*L1")
    assert offer.status["free"] == 1 and offer.status_at == datetime(2026, 12, 1, 11, tzinfo=UTC)
    cpo.refresh_from_db()
    assert cpo.delivered_at == NOW and cpo.failures == 0


def test_the_token_as_it_is_for_a_cpo_that_expects_that(cpo, site):
    cpo.options["token_base64"] = False
    ocpi_poll.poll(cpo, now=NOW)
    assert site.request_headers[0]["Authorization"] == f"Token {TOKEN}"


def test_without_a_link_the_pages_are_followed_by_offset(cpo, site):
    first = site.routes[f"{PATH}?limit=2"]
    first.headers.pop("Link")
    ocpi_poll.poll(cpo, now=NOW)
    assert site.requests[1] == f"{PATH}?limit=2&offset=2"


def test_a_later_poll_asks_for_changes_and_writes_only_them(cpo, site):
    ocpi_poll.poll(cpo, now=NOW)
    later = NOW + timedelta(minutes=5)
    changed = hamm("L2", 51.69, 7.83)
    changed["evses"][1]["status"] = "AVAILABLE"
    unpublished = hamm("L1", publish=False)
    site.routes[f"{PATH}?date_from=2026-12-01T12%3A00%3A00Z&limit=2"] = Answer(
        envelope([changed, unpublished]), headers={"X-Total-Count": "2"}
    )
    report = ocpi_poll.poll_report(cpo, now=later)
    assert report.failure == ""
    assert site.requests[-1] == f"{PATH}?date_from=2026-12-01T12%3A00%3A00Z&limit=2"
    assert _refs(cpo) == ["DE*SWH*L2", "DE*SWH*L3"]  # L3 kept, L1 no longer to be shown
    assert Offer.objects.get(feed=cpo, ref="DE*SWH*L2").status["free"] == 2
    # after full_sync_hours the whole list is read again
    site.requests.clear()
    ocpi_poll.poll(cpo, now=NOW + timedelta(hours=25))
    assert site.requests[0] == f"{PATH}?limit=2"
    assert _refs(cpo) == ["DE*SWH*L1", "DE*SWH*L2", "DE*SWH*L3"]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Answer(envelope(None, 2001, "Invalid parameter")), "status_code 2001 Invalid parameter"),
        (Answer(b'{"data": [', 200), "not JSON"),
        (Answer(b"[]", 200), "envelope"),
        (Answer(b"unauthorized", 401, "text/plain"), "401"),
        (Answer(envelope({"id": "L1"})), "data is not a list"),
    ],
)
def test_a_failing_cpo_is_recorded_and_the_last_sites_are_kept(cpo, site, answer, error):
    ocpi_poll.poll(cpo, now=NOW)
    site.routes[f"{PATH}?offset=2&limit=2"] = answer
    ocpi_poll.poll(cpo, now=NOW + timedelta(hours=25))
    cpo.refresh_from_db()
    assert error in cpo.error and cpo.failures == 1
    assert TOKEN not in cpo.error
    assert _refs(cpo) == ["DE*SWH*L1", "DE*SWH*L2", "DE*SWH*L3"]


def test_a_next_page_on_another_host_is_not_followed(cpo, site):
    site.routes[f"{PATH}?limit=2"].headers["Link"] = '<https://evil.example/steal>; rel="next"'
    ocpi_poll.poll(cpo, now=NOW)
    cpo.refresh_from_db()
    assert "not on the endpoint's origin" in cpo.error
    assert len(site.requests) == 1


def test_a_feed_without_a_token_fails_without_asking(cpo, site):
    cpo.options.pop("token")
    ocpi_poll.poll(cpo, now=NOW)
    cpo.refresh_from_db()
    assert "no credentials token" in cpo.error and site.requests == []


def test_a_redirect_to_another_origin_is_not_followed_with_the_token(cpo, site):
    elsewhere = site.url("/steal").replace("127.0.0.1", "localhost")
    site.routes[f"{PATH}?limit=2"] = Answer(b"", 302, headers={"Location": elsewhere})
    ocpi_poll.poll(cpo, now=NOW)
    cpo.refresh_from_db()
    assert "redirects to another origin" in cpo.error
    assert site.requests == [f"{PATH}?limit=2"]
