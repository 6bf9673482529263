"""The demo city's mobility: it loads through the real importers, a second load adds
nothing, and what it loads answers as the app's users see it (the Hauptbahnhof's board
now, every mode near the station, the Mobilstation with its offers), on either store."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from smartcity.mobility.demo import load_demo
from smartcity.mobility.demo.places import HBF, STATION_ID
from smartcity.mobility.models import Feed, Hub, Offer, ServiceAlert, TransitVersion, TripUpdate
from smartcity.mobility.nearby import MODES

pytestmark = pytest.mark.django_db(transaction=True)
SHOWN_MODES = set(MODES) - {"moped", "signal"}  # the demo has no mopeds, nor traffic signals


@pytest.fixture
def loaded():
    started = time.perf_counter()
    counts = load_demo()
    return counts, time.perf_counter() - started


def _station() -> Offer:
    return Offer.objects.get(feed__key="demo-gtfs", ref=STATION_ID)


def test_the_demo_loads_quickly_and_marks_everything_as_demo(loaded):
    counts, seconds = loaded
    assert seconds < 10  # `make test` runs it; a few seconds on a laptop
    assert counts["transit stops"] > 40 and counts["transit trips"] > 3000
    assert counts["mobility offers"] > 50 and counts["hubs"] == 1
    assert counts["trip updates"] >= 5 and counts["service alerts"] == 1
    assert Feed.objects.filter(key__startswith="demo-").count() == Feed.objects.count() == 8
    assert all(Feed.objects.values_list("is_demo", flat=True))
    assert Hub.objects.get(key="mobilstation-hauptbahnhof").is_demo
    assert Feed.objects.get(key="demo-gtfs").error == ""


def test_a_second_load_adds_nothing_and_takes_a_new_realtime_snapshot(loaded):
    offers = dict(Offer.objects.values_list("id", "ref"))
    version = TransitVersion.objects.get(active=True).pk
    before = TripUpdate.objects.values_list("timestamp", flat=True).first()
    later = timezone.now() + timedelta(minutes=5)
    again = load_demo(now=later)
    assert set(again.values()) == {0}
    assert dict(Offer.objects.values_list("id", "ref")) == offers
    assert TransitVersion.objects.get(active=True).pk == version
    assert TripUpdate.objects.values_list("timestamp", flat=True).first() > before
    assert ServiceAlert.objects.count() == 1 and Hub.objects.count() == 1


def test_the_timetable_is_loaded_anew_when_half_a_year_of_it_is_left(loaded):
    version = TransitVersion.objects.get(active=True)
    station = _station().pk
    load_demo(now=timezone.now() + timedelta(days=150))
    assert TransitVersion.objects.get(active=True).pk == version.pk
    again = load_demo(now=timezone.now() + timedelta(days=200))
    renewed = TransitVersion.objects.get(active=True)
    assert renewed.pk != version.pk and again["transit trips"] == 0  # replaced, not added
    assert renewed.feed_info["feed_end_date"] > version.feed_info["feed_end_date"]
    assert _station().pk == station  # the stop offers stay the same rows


def test_the_hauptbahnhof_board_has_departures_now_with_realtime(loaded, client):
    answer = client.get(f"/api/v1/mobility/stops/{_station().pk}/departures?limit=40").json()
    departures = answer["departures"]
    assert len(departures) == 40
    assert {d["routeType"] for d in departures} >= {3}
    assert any(d["delay"] and d["delay"] > 0 for d in departures)
    assert any(d["cancelled"] for d in departures)
    assert [r["applied"] for r in answer["realtime"]] == [True]
    (alert,) = answer["alerts"]
    assert "Aufzug" in alert["header"]["de"] and alert["effect"] == "ACCESSIBILITY_ISSUE"


def test_the_board_runs_past_midnight_and_on_a_sunday(loaded, client):
    station = _station().pk
    today = timezone.localtime().date()
    sunday = today + timedelta(days=(6 - today.weekday()) or 7)
    late = client.get(f"/api/v1/mobility/stops/{station}/departures?date={today}&time=23:50")
    times = [d["scheduled"][11:16] for d in late.json()["departures"]]
    assert {"00:30", "01:15"} <= set(times)  # line 1's night buses, 24:30 and 25:15
    day = client.get(f"/api/v1/mobility/stops/{station}/departures?date={sunday}&time=08:00")
    assert day.json()["departures"][0]["scheduled"].startswith(f"{sunday}T08:00")


def test_nearby_the_hauptbahnhof_lists_every_mode(loaded, client):
    answer = client.get(
        f"/api/v1/mobility/nearby?lat={HBF[0]}&lon={HBF[1]}&radius=400&limit=200"
    ).json()
    offers = answer["offers"]
    assert {o["mode"] for o in offers} == SHOWN_MODES
    assert all(o["isDemo"] for o in offers)
    station = next(o for o in offers if o["ref"] == STATION_ID)
    assert station["departures"] and station["details"]["wheelchair"] == 1
    charging = next(o for o in offers if o["mode"] == "charging")
    assert charging["status"]["free"] >= 1 and charging["details"]["byPlug"]
    bikes = next(o for o in offers if o["mode"] == "bike")
    assert bikes["details"]["station_opening_hours"] == "24/7"
    assert "num_vehicles_available" in bikes["status"]
    register = [o for o in offers if o["details"].get("source") == "bnetza"]
    assert register == [] or all(o["status"] == {} for o in register)
    parking = next(o for o in offers if o["mode"] == "parking")
    assert set(parking["details"]) >= {"capacity"} and "free" in parking["status"]


def test_charging_sites_without_live_status_come_through_the_register(loaded, client):
    sites = Offer.objects.filter(feed__key="demo-ladesaeulenregister")
    assert sites.count() == 4 and all(s.status == {} for s in sites)
    fast = sites.get(ref="DEMO-HAMM-03")
    assert fast.details["type"] == "fast" and fast.details["source"] == "bnetza"
    assert {p["standard"] for p in fast.details["byPlug"]} == {"IEC_62196_T2_COMBO", "CHADEMO"}


def test_the_sharing_systems_answer_their_vehicle_types_and_plans(loaded, client):
    systems = client.get("/api/v1/mobility/gbfs/").json()
    assert {s["feed"] for s in systems} == {
        "demo-metropolradruhr", "demo-escooter", "demo-carsharing"
    }  # fmt: skip
    assert all(s["systemInformation"]["name"][0]["text"].endswith("(Demo)") for s in systems)
    scooters = client.get("/api/v1/mobility/gbfs/demo-escooter").json()
    assert scooters["vehicleTypes"][0]["form_factor"] == "scooter_standing"
    assert scooters["pricingPlans"][0]["plan_id"] == "standard"


def test_the_mobilstation_lists_its_offers(loaded, client):
    answer = client.get("/api/v1/mobility/hubs/mobilstation-hauptbahnhof").json()
    assert answer["hub"]["isDemo"] and answer["hub"]["radius"] == 250
    assert set(answer["byMode"]) == SHOWN_MODES
    assert not any(o["freshness"]["stale"] for o in answer["offers"])
