from datetime import UTC, datetime

import pytest

from smartcity.mobility import feeds, offers
from smartcity.mobility.models import Offer
from smartcity.mobility.offers import OfferRecord

pytestmark = pytest.mark.django_db


def _station(ref: str, bikes: int = 1) -> OfferRecord:
    return OfferRecord(
        ref, "bike", "station", 51.68, 7.81, f"Station {ref}", status={"bikes": bikes}
    )


def test_sync_adds_updates_and_removes_what_the_source_no_longer_lists():
    feed = feeds.feed("gbfs-test", kind="gbfs", provider="Test")
    assert offers.sync(feed, [_station("a"), _station("b")]) == {"written": 2, "removed": 0}
    assert offers.sync(feed, [_station("b", 5), _station("c")]) == {"written": 2, "removed": 1}
    assert {o.ref: o.status["bikes"] for o in Offer.objects.filter(feed=feed)} == {"b": 5, "c": 1}


def test_sync_of_some_kinds_keeps_the_feeds_other_kinds():
    feed = feeds.feed("gbfs-test", kind="gbfs", provider="Test")
    scooter = OfferRecord("v1", "scooter", "vehicle", 51.68, 7.82)
    offers.sync(feed, [_station("a"), scooter])
    offers.sync(feed, [], kinds=("vehicle",))
    assert list(Offer.objects.filter(feed=feed).values_list("ref", flat=True)) == ["a"]


def test_a_repeated_ref_in_one_batch_is_written_once():
    feed = feeds.feed("gbfs-test", kind="gbfs", provider="Test")
    offers.sync(feed, [_station("a", 1), _station("a", 2)])
    assert Offer.objects.get(feed=feed, ref="a").status == {"bikes": 2}


def test_update_status_writes_only_known_offers_of_the_feed():
    feed = feeds.feed("gbfs-test", kind="gbfs", provider="Test")
    other = feeds.feed("gbfs-other", kind="gbfs", provider="Other")
    offers.sync(feed, [_station("a")])
    offers.sync(other, [_station("a")])
    at = datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert offers.update_status(feed, [("a", {"bikes": 9}, at), ("zz", {}, at)]) == 1
    assert Offer.objects.get(feed=feed).status == {"bikes": 9}
    assert Offer.objects.get(feed=feed).status_at == at
    assert Offer.objects.get(feed=other).status == {"bikes": 1}
