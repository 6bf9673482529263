from datetime import UTC, datetime, timedelta

import pytest

from smartcity.mobility import feeds
from smartcity.mobility.models import Feed

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_a_failure_is_counted_and_kept_until_the_next_delivery():
    feed = feeds.feed("parking", kind="parkapi", provider="Stadt", ttl=60)
    feeds.delivered(feed, NOW - timedelta(minutes=10))
    feeds.failed(feed, "HTTP 503", NOW - timedelta(minutes=5))
    feeds.failed(feed, "timed out", NOW)
    stored = Feed.objects.get(key="parking")
    assert (stored.failures, stored.error) == (2, "timed out")
    assert stored.delivered_at == NOW - timedelta(minutes=10)
    feeds.delivered(feed, NOW)
    stored.refresh_from_db()
    assert (stored.failures, stored.error, stored.delivered_at) == (0, "", NOW)


def test_information_is_stale_after_three_ttls():
    feed = feeds.feed("parking", kind="parkapi", provider="Stadt", ttl=60)
    assert feeds.freshness(feed, NOW - timedelta(seconds=180), NOW).stale is False
    old = feeds.freshness(feed, NOW - timedelta(seconds=181), NOW)
    assert (old.stale, old.age) == (True, 181)


def test_without_a_time_per_item_the_feeds_delivery_counts_and_never_is_stale():
    feed = feeds.feed("parking", kind="parkapi", provider="Stadt", ttl=60)
    assert feeds.freshness(feed, None, NOW).as_json() == {
        "observedAt": None,
        "ageSeconds": None,
        "stale": True,
    }
    feeds.delivered(feed, NOW - timedelta(seconds=30))
    assert feeds.freshness(feed, None, NOW).age == 30


def test_a_feed_is_due_after_its_ttl_since_the_last_attempt():
    feed = feeds.feed("parking", kind="parkapi", provider="Stadt", ttl=60)
    assert feeds.due(feed, NOW)
    feeds.failed(feed, "down", NOW)
    assert not feeds.due(feed, NOW + timedelta(seconds=59))
    assert feeds.due(feed, NOW + timedelta(seconds=60))


def test_the_https_test_site_serves_what_a_test_sets(site):
    from smartcity.core.sources import open_source

    site.routes["/gbfs.json"] = b'{"data": {}}'
    with open_source(site.url("/gbfs.json")) as source:
        assert source.read() == b'{"data": {}}'
    assert site.requests == ["/gbfs.json"]


def test_the_team_sees_a_failing_feed_in_the_back_office(admin_client):
    feed = feeds.feed("parking", kind="parkapi", provider="Stadt Hamm", ttl=60)
    feeds.failed(feed, "HTTP 503 from the source")
    page = admin_client.get("/admin/mobility/feed/").content.decode()
    assert "HTTP 503 from the source" in page and "Stadt Hamm" in page


@pytest.mark.django_db
def test_a_feeds_area_is_the_given_box_else_its_option_else_the_city():
    from smartcity.core.city import city
    from smartcity.core.geo import BBox, GeometryError

    plain = feeds.feed("area-plain", kind="osm", provider="OSM")
    boxed = feeds.feed(
        "area-boxed", kind="osm", provider="OSM", options={"bbox": "7.7,51.6,7.9,51.7"}
    )
    given = BBox.of_degrees(7.0, 51.0, 7.1, 51.1)
    assert feeds.area(plain) == city().extent
    assert feeds.area(None) == city().extent
    assert feeds.area(boxed) == BBox.of_degrees(7.7, 51.6, 7.9, 51.7)
    assert feeds.area(boxed, given) == given
    wrong = feeds.feed("area-wrong", kind="osm", provider="OSM", options={"bbox": "7.9,51.6"})
    with pytest.raises(GeometryError):
        feeds.area(wrong)
