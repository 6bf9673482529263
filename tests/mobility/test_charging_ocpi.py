"""OCPI 2.2.1 Locations as charging offers: every example Location of the spec, the power
of a connector, the summary of free charge points by plug and power, and the way back to
the OCPI object."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smartcity.mobility.charging import ocpi
from smartcity.mobility.charging.ocpi_models import Evse, Hours, Location, OcpiError, parse
from smartcity.mobility.models import Offer

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "ocpi-2.2.1" / "examples"
LOCATIONS = sorted(EXAMPLES.glob("location_example*.json"))


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def test_the_spec_has_the_example_locations_this_test_reads():
    assert len(LOCATIONS) == 6


@pytest.mark.parametrize("path", LOCATIONS, ids=lambda p: p.stem)
def test_every_example_location_is_read(path):
    raw = json.loads(path.read_text())
    location = parse(Location, raw)
    assert location.id == raw["id"]
    assert len(location.evses) == len(raw["evses"])
    found = ocpi.record(location)
    if not raw["publish"]:  # uc3, uc4, uc5: not to be shown to the public
        assert found is None
        return
    assert found is not None
    assert (found.mode, found.kind) == ("charging", "site")
    assert found.ref == f"{raw['country_code']}*{raw['party_id']}*{raw['id']}"
    assert found.lat == float(raw["coordinates"]["latitude"])
    assert found.status_at == parse(Location, raw).last_updated
    assert set(found.status["evses"]) == {evse["uid"] for evse in raw["evses"]}
    assert "publish_allowed_to" not in json.dumps(found.details)


def test_the_public_example_with_two_evses():
    found = ocpi.record(parse(Location, example("location_example.json")))
    assert found is not None
    assert found.name == "Gent Zuid"
    assert found.status_at == datetime(2015, 6, 29, 20, 39, 9, tzinfo=UTC)
    assert found.status == {
        "evses": {"3256": "AVAILABLE", "3257": "RESERVED"},
        "free": 1,
        "total": 2,
        # 220 V line to neutral, 16 A, three phases: 10.56 kW
        "byPlug": [{"standard": "IEC_62196_T2", "powerKw": 10.6, "total": 2, "free": 1}],
    }
    details = found.details
    assert details["operator"] == "BeCharged"
    assert details["address"] == {
        "street": "F.Rooseveltlaan 3A",
        "postalCode": "9000",
        "city": "Gent",
        "country": "BEL",
    }
    assert details["type"] == "normal"
    assert details["chargePointCount"] == 2
    point = details["chargePoints"][0]
    assert (point["uid"], point["evseId"], point["floorLevel"]) == (
        "3256",
        "BE*BEC*E041503001",
        "-1",
    )
    assert point["connectors"][0]["powerType"] == "AC_3_PHASE"
    assert point["connectors"][0]["powerKw"] == 10.6
    assert details["ocpi"]["time_zone"] == "Europe/Brussels"


def test_opening_times_of_the_parking_garage():
    found = ocpi.record(
        parse(Location, example("location_example_parking_garage_opening_hours.json"))
    )
    assert found is not None
    opening = found.details["opening"]
    assert opening["twentyfourseven"] is False
    assert opening["regularHours"][0] == {
        "weekday": 1,
        "periodBegin": "07:00",
        "periodEnd": "18:00",
    }
    assert found.details["ocpi"]["charging_when_closed"] is True


@pytest.mark.parametrize(
    "name",
    [
        "location_hours_247_open_exception_closing.json",
        "location_hours_opening_hours_with_exceptional_closing.json",
        "location_hours_opening_hours_with_exceptional_opening.json",
    ],
)
def test_the_example_hours_are_read(name):
    hours = parse(Hours, example(name))
    assert hours.exceptional_closings or hours.exceptional_openings


def test_max_electric_power_wins_over_voltage_times_amperage():
    raw = example("location_example.json")
    connector = raw["evses"][0]["connectors"][0]
    connector.update(power_type="DC", max_voltage=920, max_amperage=400, max_electric_power=150000)
    found = ocpi.record(parse(Location, raw))
    assert found is not None
    assert found.details["type"] == "fast"
    assert found.status["byPlug"][0] == {
        "standard": "IEC_62196_T2",
        "powerKw": 150.0,
        "total": 1,
        "free": 1,
    }


def test_removed_evses_are_not_counted_and_a_location_of_only_removed_ones_is_not_shown():
    raw = example("location_example.json")
    raw["evses"][1]["status"] = "REMOVED"
    found = ocpi.record(parse(Location, raw))
    assert found is not None
    assert (found.status["free"], found.status["total"]) == (1, 1)
    raw["evses"][0]["status"] = "REMOVED"
    assert ocpi.record(parse(Location, raw)) is None


def test_the_example_evse_without_power_is_read_with_unknown_power():
    evse = parse(Evse, example("location_put_example_add_evse.json"))
    assert evse.physical_reference == "3"  # a number in the example, a string in OCPI
    assert evse.connectors[0].watts is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"coordinates": {"latitude": "95.0", "longitude": "3.7"}}, "coordinates.latitude"),
        ({"last_updated": None}, "last_updated"),
        ({"evses": [{"uid": "1", "status": "BROKEN"}]}, "evses.0.status"),
        ({"country_code": "BEL"}, "country_code"),
    ],
)
def test_a_wrong_location_says_which_field(change, message):
    raw = {**example("location_example.json"), **change}
    with pytest.raises(OcpiError, match=message) as raised:
        parse(Location, raw)
    assert raised.value.code == 2001


def test_an_offer_turns_back_into_its_ocpi_location():
    raw = example("location_example.json")
    found = ocpi.record(parse(Location, raw))
    assert found is not None
    offer = Offer(details=found.details, status=found.status)
    back = ocpi.location_of(offer)
    assert parse(Location, back) == parse(Location, raw)
    assert back["evses"][1]["status"] == "RESERVED"
    assert back["evses"][0]["connectors"][0]["tariff_ids"] == ["11"]
