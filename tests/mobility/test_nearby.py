import math

import pytest

from smartcity.mobility import nearby

CHECK = {"max_radius": 2000, "max_limit": 200}


def test_the_distance_is_the_great_circle():
    # Hamm Hauptbahnhof to Willy-Brandt-Platz, about 360 m
    assert nearby.distance(51.6783, 7.8089, 51.6787, 7.8141) == pytest.approx(360, abs=10)
    # one degree of latitude is about 111.2 km
    assert nearby.distance(51.0, 7.8, 52.0, 7.8) == pytest.approx(111_195, rel=1e-3)
    assert nearby.distance(51.6, 7.8, 51.6, 7.8) == 0


def test_a_walk_is_an_estimate_of_at_least_a_minute():
    assert nearby.walk_minutes(0) == 1
    assert nearby.walk_minutes(75) == 2  # 97.5 m at 75 m/min
    assert nearby.walk_minutes(1000) == math.ceil(1300 / 75)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((91, 7.8, 500, None, 10), "lat must be"),
        ((float("nan"), 7.8, 500, None, 10), "lat must be"),
        ((51.6, 181, 500, None, 10), "lon must be"),
        ((51.6, float("inf"), 500, None, 10), "lon must be"),
        ((51.6, 7.8, 0, None, 10), "radius must be between 1 and 2000"),
        ((51.6, 7.8, 2001, None, 10), "radius must be between 1 and 2000"),
        ((51.6, 7.8, 500, None, 201), "limit must be between 1 and 200"),
        ((51.6, 7.8, 500, "bike,plane", 10), "unknown mode.*plane"),
    ],
)
def test_a_query_out_of_bounds_says_what_is_wrong(arguments, message):
    with pytest.raises(nearby.NearbyError, match=message):
        nearby.check(*arguments, **CHECK)


def test_no_modes_means_every_mode():
    assert nearby.check(51.6, 7.8, 500, "", 10, **CHECK).modes == nearby.MODES
    assert nearby.check(51.6, 7.8, 500, "bike,car", 10, **CHECK).modes == ("bike", "car")


@pytest.mark.django_db
def test_the_plain_rows_are_what_the_orm_reads():
    """nearby.rows reads offers by one plain statement; the ORM's view of the same rows is
    the reference (values, JSON, aware times, the feed's columns)."""
    from datetime import UTC, datetime

    from smartcity.mobility import feeds, offers
    from smartcity.mobility.models import Offer
    from smartcity.mobility.offers import OfferRecord

    feed = feeds.feed("rows", kind="gbfs", provider="Rad GmbH", ttl=60, is_demo=True)
    feeds.delivered(feed, datetime(2026, 5, 1, 8, 0, 0, 123456, tzinfo=UTC))
    at = datetime(2026, 5, 1, 7, 59, 30, 250000, tzinfo=UTC)
    offers.sync(
        feed,
        [
            OfferRecord(
                "a",
                "bike",
                "station",
                51.68,
                7.81,
                "Bahnhof ä",
                {"capacity": 12},
                {"bikes": 3, "nested": {"ok": [1, 2.5]}},
                at,
            ),
            OfferRecord("b", "scooter", "vehicle", 51.69, 7.82),
        ],
    )
    pks = list(Offer.objects.values_list("id", flat=True))
    plain = nearby.rows([*pks, 10**9])  # an unknown id is left out
    assert sorted(plain) == sorted(pks)
    for model in Offer.objects.select_related("feed"):
        row = plain[model.pk]
        for name in ("mode", "kind", "ref", "name", "lat", "lon", "details", "status"):
            assert row[name] == getattr(model, name), name
        assert row["status_at"] == model.status_at
        for name in ("pk", "key", "provider", "ttl", "delivered_at", "is_demo", "kind"):
            assert getattr(row["feed"], name) == getattr(model.feed, name), name
    assert plain[Offer.objects.get(ref="a").pk]["status_at"].tzinfo is not None
    assert nearby.rows([]) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("modes", [None, "bike,transit"])
def test_the_nearest_are_what_measuring_every_offer_gives_in_order_and_cut(modes):
    """One statement picks the nearest by the plane distance in a box; held to the great
    circle over every offer: the same offers, in the same order, cut at the limit."""
    import random

    from smartcity.mobility import feeds, offers
    from smartcity.mobility.offers import OfferRecord

    rng = random.Random(7)
    kinds = [("bike", "station"), ("scooter", "vehicle"), ("transit", "stop"), ("car", "station")]
    feed = feeds.feed("many", kind="city", provider="Stadt")
    records = [
        OfferRecord(f"o{n}", *kinds[n % 4], rng.uniform(51.66, 51.70), rng.uniform(7.78, 7.84))
        for n in range(600)
    ]
    offers.sync(feed, records)
    wanted = set((modes or "bike,scooter,transit,car").split(","))
    for _ in range(20):
        lat, lon = rng.uniform(51.665, 51.695), rng.uniform(7.785, 7.835)
        for radius, limit in ((300, 5), (600, 40), (2000, 200)):
            everything = sorted(
                (nearby.distance(lat, lon, r.lat, r.lon), r.ref)
                for r in records
                if r.mode in wanted
            )
            expected = [ref for metres, ref in everything if metres <= radius][:limit]
            query = nearby.check(lat, lon, radius, modes, limit, max_radius=2000, max_limit=200)
            found = nearby.nearest(query)
            assert [row["ref"] for row, _metres in found] == expected
            assert all(row["mode"] in wanted for row, _metres in found)
