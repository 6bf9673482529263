"""The mobility API through Django's test client, on the store the suite runs on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from smartcity.mobility import feeds, nearby, offers
from smartcity.mobility.models import Hub, Offer
from smartcity.mobility.offers import OfferRecord

pytestmark = pytest.mark.django_db
STATION = (51.6783, 7.8089)  # Hamm Hauptbahnhof


def _offer(ref, mode, kind, dlat, dlon=0.0, **extra):
    return OfferRecord(
        ref, mode, kind, STATION[0] + dlat, STATION[1] + dlon, f"{mode} {ref}", **extra
    )


@pytest.fixture
def city():
    now = timezone.now()
    bikes = feeds.feed("bikes", kind="gbfs", provider="metropolradruhr", ttl=60)
    feeds.delivered(bikes, now)
    offers.sync(
        bikes,
        [
            _offer("b1", "bike", "station", 0.0009, status={"vehiclesAvailable": 4}, status_at=now),
            _offer("b2", "bike", "station", 0.02, status_at=now),  # about 2.2 km away
            _offer("s1", "scooter", "vehicle", -0.0018, status_at=now - timedelta(minutes=10)),
        ],
    )
    parking = feeds.feed("parking", kind="parkapi", provider="Stadt Hamm", ttl=300)
    offers.sync(parking, [_offer("p1", "parking", "site", 0.0, 0.0034)])  # never delivered
    Hub.objects.create(
        key="hbf", name="Mobilstation Hauptbahnhof", lat=STATION[0], lon=STATION[1], radius=250
    )
    return now


def test_nearby_lists_every_mode_within_the_radius_nearest_first(client, city):
    answer = client.get("/api/v1/mobility/nearby", {"lat": STATION[0], "lon": STATION[1]})
    assert answer.status_code == 200
    body = answer.json()
    assert [o["ref"] for o in body["offers"]] == ["b1", "s1", "p1"]
    first = body["offers"][0]
    assert first["distance"] == pytest.approx(100, abs=2) and first["walkMinutes"] == 2
    assert first["status"] == {"vehiclesAvailable": 4} and first["provider"] == "metropolradruhr"
    assert first["freshness"]["stale"] is False and first["freshness"]["ageSeconds"] < 60
    scooter, car_park = body["offers"][1], body["offers"][2]
    assert scooter["freshness"]["stale"] is True  # ten minutes at a ttl of one minute
    assert car_park["freshness"] == {"observedAt": None, "ageSeconds": None, "stale": True}


def test_nearby_filters_by_mode_and_limit(client, city):
    point = {"lat": STATION[0], "lon": STATION[1]}
    body = client.get("/api/v1/mobility/nearby", {**point, "modes": "bike,parking"}).json()
    assert [o["ref"] for o in body["offers"]] == ["b1", "p1"]
    body = client.get("/api/v1/mobility/nearby", {**point, "limit": 1}).json()
    assert [o["ref"] for o in body["offers"]] == ["b1"]
    body = client.get("/api/v1/mobility/nearby", {**point, "radius": 2000}).json()
    assert "b2" not in [o["ref"] for o in body["offers"]]
    body = client.get("/api/v1/mobility/nearby", {"lat": 51.6983, "lon": 7.8089, "radius": 100})
    assert [o["ref"] for o in body.json()["offers"]] == ["b2"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"lat": 95, "lon": 7.8}, "lat must be"),
        ({"lat": 51.6, "lon": 7.8, "radius": 100000}, "radius must be between 1 and 2000"),
        ({"lat": 51.6, "lon": 7.8, "limit": 10**6}, "limit must be between 1 and 200"),
        ({"lat": 51.6, "lon": 7.8, "modes": "rocket"}, "unknown mode"),
        ({"lat": "nan", "lon": 7.8}, "lat"),
        ({"lat": "north", "lon": 7.8}, "lat"),
        ({"lon": 7.8}, "lat"),
    ],
)
def test_a_bad_nearby_query_is_a_4xx_that_says_why(client, city, query, message):
    answer = client.get("/api/v1/mobility/nearby", query)
    assert 400 <= answer.status_code < 500
    assert message in answer.content.decode()


def test_the_largest_radius_is_a_setting(client, city, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MOBILITY_NEARBY_MAX_RADIUS", "50")
    answer = client.get("/api/v1/mobility/nearby", {"lat": 51.6, "lon": 7.8, "radius": 51})
    assert answer.status_code == 400 and "between 1 and 50" in answer.json()["message"]


def test_one_offer_and_an_unknown_one(client, city):
    some = client.get("/api/v1/mobility/nearby", {"lat": STATION[0], "lon": STATION[1]}).json()
    offer_id = some["offers"][0]["id"]
    body = client.get(f"/api/v1/mobility/offers/{offer_id}").json()
    assert body["ref"] == "b1" and "distance" not in body
    missing = client.get("/api/v1/mobility/offers/999999")
    assert missing.status_code == 404 and "no offer 999999" in missing.json()["message"]


def test_a_hub_lists_its_offers_by_mode(client, city):
    assert [h["key"] for h in client.get("/api/v1/mobility/hubs").json()] == ["hbf"]
    body = client.get("/api/v1/mobility/hubs/hbf").json()
    assert body["hub"]["name"] == "Mobilstation Hauptbahnhof"
    assert [o["ref"] for o in body["offers"]] == ["b1", "s1", "p1"]
    assert body["byMode"] == {"bike": 1, "scooter": 1, "parking": 1}
    assert client.get("/api/v1/mobility/hubs/nowhere").status_code == 404


def test_the_feeds_health_shows_failures_and_staleness(client, city):
    feeds.failed(feeds.feed("parking", kind="parkapi", provider="x"), "HTTP 503 from the source")
    body = {f["key"]: f for f in client.get("/api/v1/mobility/feeds").json()}
    assert body["bikes"]["stale"] is False and body["bikes"]["failures"] == 0
    assert body["parking"]["error"] == "HTTP 503 from the source"
    assert body["parking"]["failures"] == 1 and body["parking"]["stale"] is True


def test_the_answers_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("nearby", "offers/{offer_id}", "hubs", "hubs/{key}", "feeds"):
        assert f"/api/v1/mobility/{path}" in paths


def test_nearby_is_held_to_a_full_scan_of_the_table(client, city):
    """The box prefilter finds exactly what measuring every offer finds."""
    everything = [
        (o.ref, nearby.distance(STATION[0], STATION[1], o.lat, o.lon)) for o in Offer.objects.all()
    ]
    for radius in (50, 150, 250, 400, 2000):
        query = nearby.check(
            STATION[0], STATION[1], radius, None, 200, max_radius=2000, max_limit=200
        )
        expected = sorted((ref for ref, metres in everything if metres <= radius))
        assert sorted(o["ref"] for o, _ in nearby.nearest(query)) == expected
