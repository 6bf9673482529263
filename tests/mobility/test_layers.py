"""GeoJSON layers per mode (/api/v1/mobility/layers/{mode}): Points of one mode with their
status in short and their freshness, cropped by a bbox, bounded, and held to nearby."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from smartcity.mobility import feeds, layers, nearby, offers
from smartcity.mobility.models import Offer
from smartcity.mobility.offers import OfferRecord
from tests.mobility import page_city

pytestmark = pytest.mark.django_db
URL = "/api/v1/mobility/layers/"


@pytest.fixture
def city():
    return page_city.build()


def _layer(client, mode: str, **query) -> dict:
    answer = client.get(f"{URL}{mode}", query)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/geo+json"
    return answer.json()


def test_a_layer_holds_the_offers_of_its_mode_as_points(city, client):
    for mode in layers.MODES:
        body = _layer(client, mode)
        assert body["type"] == "FeatureCollection" and body["truncated"] is False
        expected = set(Offer.objects.filter(mode=mode).values_list("id", flat=True))
        assert {f["id"] for f in body["features"]} == expected, mode
        for feature in body["features"]:
            offer = Offer.objects.get(pk=feature["id"])
            assert feature["geometry"] == {"type": "Point", "coordinates": [offer.lon, offer.lat]}
            assert feature["properties"]["mode"] == mode
            assert feature["properties"]["name"] == offer.name
            assert feature["properties"]["kind"] == offer.kind


def test_the_status_in_short_says_what_is_free(city, client):
    [station] = [
        f for f in _layer(client, "bike")["features"] if f["properties"]["kind"] == "station"
    ]
    assert station["properties"]["status"] == {"vehiclesAvailable": 5, "docksAvailable": 3}
    assert station["properties"]["statusText"] == "5 Räder, 3 freie Plätze"
    assert station["properties"]["provider"] == "metropolradruhr"
    [site] = _layer(client, "charging")["features"]
    assert site["properties"]["status"] == {"free": 2, "total": 4}
    [car_park] = _layer(client, "parking")["features"]
    assert car_park["properties"]["status"] == {"free": 123, "capacity": 400}
    [scooter] = _layer(client, "scooter")["features"]
    assert scooter["properties"]["status"] == {"available": True, "rangeMeters": 12000}
    stops = _layer(client, "transit")["features"]
    assert any(f["properties"]["status"].get("lines") for f in stops)
    [signal] = _layer(client, "signal")["features"]
    assert signal["properties"]["status"] == {}


def test_every_offer_says_the_same_in_a_layer_and_in_nearby(city, client):
    """Held to nearby: the same offer has the same status in short, freshness, provider and
    name in both answers."""
    center = page_city.HBF
    near = client.get(
        "/api/v1/mobility/nearby", {"lat": center[0], "lon": center[1], "radius": 2000}
    ).json()
    by_id = {offer["id"]: offer for offer in near["offers"]}
    seen = 0
    for mode in layers.MODES:
        for feature in _layer(client, mode)["features"]:
            offer = by_id.get(feature["id"])
            if offer is None:
                continue
            seen += 1
            properties = feature["properties"]
            assert properties["status"] == layers.summary(offer)
            assert properties["freshness"]["observedAt"] == offer["freshness"]["observedAt"]
            assert properties["freshness"]["stale"] == offer["freshness"]["stale"]
            assert (
                abs(properties["freshness"]["ageSeconds"] - offer["freshness"]["ageSeconds"]) <= 2
            )
            assert (properties["provider"], properties["name"], properties["isDemo"]) == (
                offer["provider"], offer["name"], offer["isDemo"])  # fmt: skip
    assert seen == Offer.objects.count()


def _bikes(count: int, *, stale: bool = False) -> None:
    source = feeds.feed("many", kind="gbfs", provider="Viele Räder", ttl=60)
    feeds.delivered(source, timezone.now() - timedelta(hours=1 if stale else 0))
    offers.sync(source, [
        OfferRecord(f"station:{n}", "bike", "station", 51.60 + n * 0.01, 7.70 + n * 0.01,
                    f"Station {n}", status={"num_vehicles_available": n})
        for n in range(count)
    ])  # fmt: skip


def test_a_bbox_crops_the_layer(client):
    _bikes(10)
    body = _layer(client, "bike", bbox="7.725,51.625,7.765,51.665")
    assert sorted(f["properties"]["name"] for f in body["features"]) == [
        "Station 3", "Station 4", "Station 5", "Station 6"]  # fmt: skip


def test_a_layer_is_bounded_and_says_when_it_was_cut(client, monkeypatch):
    _bikes(10)
    monkeypatch.setenv("SMARTCITY_MOBILITY_LAYERS_MAX_FEATURES", "4")
    body = _layer(client, "bike")
    assert len(body["features"]) == 4 and body["truncated"] is True
    ids = [f["id"] for f in body["features"]]
    assert ids == sorted(Offer.objects.values_list("id", flat=True))[:4]
    monkeypatch.setenv("SMARTCITY_MOBILITY_LAYERS_MAX_FEATURES", "10")
    assert _layer(client, "bike")["truncated"] is False


def test_a_stale_feed_s_offers_say_so(client):
    _bikes(2, stale=True)
    for feature in _layer(client, "bike")["features"]:
        assert feature["properties"]["freshness"]["stale"] is True


def test_an_unknown_mode_is_a_404_that_lists_the_modes(client):
    answer = client.get(f"{URL}plane")
    assert answer.status_code == 404
    message = answer.json()["message"]
    assert "plane" in message and all(mode in message for mode in nearby.MODES)


@pytest.mark.parametrize(
    ("bbox", "message"),
    [
        ("7.7,51.6,7.8", "minlon,minlat,maxlon,maxlat"),
        ("a,b,c,d", "minlon,minlat,maxlon,maxlat"),
        ("7.8,51.6,7.7,51.7", "WEST < EAST"),
        ("7.7,-91,7.8,51.7", "latitudes"),
        ("7.7,51.6,nan,51.7", "finite"),
    ],
)
def test_a_bad_bbox_is_a_400_that_says_why(client, bbox, message):
    answer = client.get(f"{URL}bike", {"bbox": bbox})
    assert answer.status_code == 400
    assert message in answer.json()["message"]
