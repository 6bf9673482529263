"""LoRaWAN uplinks through the HTTP endpoints, with stored messages in the real formats of
The Things Stack v3 (webhook) and ChirpStack v4 (HTTP integration)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity.core import events
from smartcity.core.tokens import create_token
from smartcity.sensors import services
from smartcity.sensors.entities import entity
from smartcity.sensors.models import LoRaWANDevice, LoRaWANField, Observation
from tests.sensors.factories import datastream_payload, make_thing_with_datastream

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
TTS = "/ingest/lorawan/tts"
CHIRPSTACK = "/ingest/lorawan/chirpstack"


def _sample(name: str) -> Any:
    return json.loads((DATA / name).read_text())


@pytest.fixture
def token() -> str:
    return create_token("Netzwerkserver", ["sta:write"])[1]


@pytest.fixture
def post(client, token):
    def send(path: str, body: Any, *, auth: str | None = None, raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(body)
        header = auth if auth is not None else f"Bearer {token}"
        headers = {"Authorization": header} if header else {}
        return client.post(path, data, content_type="application/json", headers=headers)

    return send


def _stream(thing: Any, name: str) -> Any:
    return services.create(
        entity("Datastream"), {**datastream_payload(name), "Thing": {"@iot.id": thing.pk}}
    )


@pytest.fixture
def soil():
    """A soil sensor in the Maximilianpark: temperature and battery voltage mapped."""
    thing, temperature = make_thing_with_datastream("Boden Maximilianpark")
    battery = _stream(thing, "Batterie Boden Maximilianpark")
    device = LoRaWANDevice.objects.create(dev_eui="70b3d57ed0051a2b", thing=thing)
    LoRaWANField.objects.create(device=device, key="soil_temperature", datastream=temperature)
    LoRaWANField.objects.create(device=device, key="battery", datastream=battery)
    return temperature, battery


@pytest.fixture
def water():
    thing, temperature = make_thing_with_datastream("Lippe Heessen")
    level = _stream(thing, "Batteriestand Lippe Heessen")
    device = LoRaWANDevice.objects.create(dev_eui="A8-40-41-00-01-81-C4-D1", thing=thing)
    LoRaWANField.objects.create(device=device, key="water_temperature", datastream=temperature)
    LoRaWANField.objects.create(device=device, key="batteryLevel", datastream=level)
    return temperature, level


def _stored(stream: Any) -> list[tuple[Any, ...]]:
    return list(
        Observation.objects.filter(datastream=stream).values_list(
            "phenomenon_time_start", "result_time", "result", "parameters"
        )
    )


def test_tts_uplink_becomes_observations(post, soil):
    temperature, battery = soil
    response = post(TTS, _sample("tts_uplink.json"))
    assert response.status_code == 200
    assert response.json() == {"created": 2, "duplicates": 0, "ignored": ["status"]}
    # the earliest gateway time, resultTime the application server's receipt
    assert _stored(temperature) == [
        (
            datetime(2026, 11, 30, 23, 10, 2, 998021, tzinfo=UTC),
            datetime(2026, 11, 30, 23, 10, 3, 514807, tzinfo=UTC),
            6.4,
            {"fCnt": 1842, "fPort": 2},
        )
    ]
    assert _stored(battery)[0][2] == 3.61


def test_a_retried_uplink_is_stored_once(post, soil):
    post(TTS, _sample("tts_uplink.json"))
    again = post(TTS, _sample("tts_uplink.json"))
    assert again.status_code == 200
    assert again.json()["created"] == 0 and again.json()["duplicates"] == 2
    assert Observation.objects.count() == 2


def test_without_gateway_time_the_receipt_time_is_the_phenomenon_time(post, soil):
    body = _sample("tts_uplink.json")
    for gateway in body["uplink_message"]["rx_metadata"]:
        del gateway["time"]
    post(TTS, body)
    assert _stored(soil[0])[0][0] == datetime(2026, 11, 30, 23, 10, 3, 514807, tzinfo=UTC)


def test_writes_announce_like_any_create(post, soil, django_capture_on_commit_callbacks):
    seen: list[events.EntityChanged] = []
    events.subscribe(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post(TTS, _sample("tts_uplink.json"))
    finally:
        events.unsubscribe(seen.append)
    assert [(e.entity, e.action) for e in seen] == [("Observation", "create")] * 2


def test_other_tts_messages_are_accepted_and_ignored(post, soil):
    assert post(TTS, _sample("tts_join_accept.json")).status_code == 204
    assert Observation.objects.count() == 0


def test_unknown_and_inactive_devices_are_accepted_not_stored(post, soil):
    body = _sample("tts_uplink.json")
    body["end_device_ids"]["dev_eui"] = "0004A30B001C0530"
    response = post(TTS, body)
    assert response.status_code == 202
    assert "unknown device 0004A30B001C0530" in response.json()["reason"]
    del body["uplink_message"]["decoded_payload"]  # not our device: not our problem either
    assert post(TTS, body).status_code == 202
    LoRaWANDevice.objects.update(active=False)
    assert post(TTS, _sample("tts_uplink.json")).status_code == 202
    assert Observation.objects.count() == 0


def test_simulated_uplinks_are_not_stored(post, soil):
    body = {**_sample("tts_uplink.json"), "simulated": True}
    response = post(TTS, body)
    assert response.status_code == 202 and "simulated" in response.json()["reason"]
    assert Observation.objects.count() == 0


@pytest.mark.parametrize(
    ("auth", "status", "words"),
    [
        ("", 401, "needs a token with scope 'sta:write'"),
        ("Bearer sc_not-a-token", 401, "unknown or revoked API token"),
        ("Token abc", 401, "unsupported authorization scheme"),
    ],
)
def test_requests_without_a_valid_token_are_refused(post, soil, auth, status, words):
    response = post(TTS, _sample("tts_uplink.json"), auth=auth)
    assert response.status_code == status
    assert words in response.json()["message"]
    assert Observation.objects.count() == 0


def test_a_token_without_the_write_scope_is_forbidden(post, soil):
    token = create_token("nur lesen", [])[1]
    response = post(TTS, _sample("tts_uplink.json"), auth=f"Bearer {token}")
    assert response.status_code == 403
    assert response.json()["message"] == "the token 'nur lesen' lacks the scope 'sta:write'"


def _broken(path: list[str], value: Any = None) -> dict[str, Any]:
    body = copy.deepcopy(_sample("tts_uplink.json"))
    target = body
    for name in path[:-1]:
        target = target[name]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (_broken(["end_device_ids", "dev_eui"]), "/end_device_ids/dev_eui"),
        (_broken(["end_device_ids", "dev_eui"], "70B3D57ED0051A"), "/end_device_ids/dev_eui"),
        (_broken(["uplink_message", "decoded_payload"]), "/uplink_message/decoded_payload"),
        (_broken(["received_at"], "gestern"), "/received_at"),
        (
            _broken(["uplink_message", "decoded_payload", "soil_temperature"], "warm"),
            "/uplink_message/decoded_payload/soil_temperature",
        ),
        (_broken(["uplink_message"]), "/uplink_message"),
        ([1, 2], "/"),
    ],
)
def test_malformed_messages_are_a_400_and_write_nothing(post, soil, body, where):
    response = post(TTS, body)
    assert response.status_code == 400
    assert response.json()["where"] == where
    assert Observation.objects.count() == 0


def test_not_json_at_all(post, soil):
    response = post(TTS, None, raw=b"{'soil_temperature': 6.4")
    assert response.status_code == 400
    assert response.json()["message"].startswith("the request body is not valid JSON")


def test_only_post(client, soil):
    assert client.get(TTS).status_code == 405
    assert client.get(CHIRPSTACK + "?event=up").status_code == 405


def test_chirpstack_up_event(post, water):
    temperature, _ = water
    response = post(CHIRPSTACK + "?event=up", _sample("chirpstack_up.json"))
    assert response.status_code == 200
    assert response.json() == {"created": 1, "duplicates": 0, "ignored": ["battery"]}
    # no gateway time (gwTime needs a GPS gateway): the event time, nanoseconds cut
    received = datetime(2026, 11, 30, 23, 20, 5, 775023, tzinfo=UTC)
    assert _stored(temperature) == [(received, received, 5.9, {"fCnt": 311, "fPort": 1})]
    assert post(CHIRPSTACK + "?event=up", _sample("chirpstack_up.json")).json()["duplicates"] == 1


def test_chirpstack_gateway_time_wins(post, water):
    body = _sample("chirpstack_up.json")
    body["rxInfo"][0]["gwTime"] = "2026-11-30T23:20:05.612345678+00:00"
    post(CHIRPSTACK + "?event=up", body)
    assert _stored(water[0])[0][0] == datetime(2026, 11, 30, 23, 20, 5, 612345, tzinfo=UTC)


def test_chirpstack_status_stores_the_battery_level(post, water):
    response = post(CHIRPSTACK + "?event=status", _sample("chirpstack_status.json"))
    assert response.status_code == 200
    assert _stored(water[1])[0][2] == 87.4
    unavailable = {**_sample("chirpstack_status.json"), "batteryLevelUnavailable": True}
    assert post(CHIRPSTACK + "?event=status", unavailable).status_code == 204


@pytest.mark.parametrize("event", ["join", "ack", "txack", "log", "location"])
def test_chirpstack_other_events_are_ignored(post, water, event):
    assert post(CHIRPSTACK + f"?event={event}", _sample("chirpstack_join.json")).status_code == 204
    assert Observation.objects.count() == 0


def test_chirpstack_event_errors(post, water):
    missing = post(CHIRPSTACK, _sample("chirpstack_up.json"))
    assert missing.status_code == 400 and missing.json()["where"] == "event"
    unknown = post(CHIRPSTACK + "?event=downlink", _sample("chirpstack_up.json"))
    assert unknown.status_code == 400 and "unknown event 'downlink'" in unknown.json()["message"]
    no_codec = {**_sample("chirpstack_up.json"), "object": None}
    response = post(CHIRPSTACK + "?event=up", no_codec)
    assert response.status_code == 400 and response.json()["where"] == "/object"


def test_dev_eui_is_normalised_and_checked():
    thing, _ = make_thing_with_datastream()
    device = LoRaWANDevice.objects.create(dev_eui="a8:40:41:00:01:81:c4:d1", thing=thing)
    assert device.dev_eui == "A84041000181C4D1"
    with pytest.raises(ValueError, match="16 hexadecimal digits"):
        LoRaWANDevice.objects.create(dev_eui="A84041", thing=thing)


def test_admin_pages_render(admin_client, soil):
    assert admin_client.get("/admin/sensors/lorawandevice/").status_code == 200
    device = LoRaWANDevice.objects.get()
    assert admin_client.get(f"/admin/sensors/lorawandevice/{device.pk}/change/").status_code == 200
    assert admin_client.get("/admin/sensors/lorawandevice/add/").status_code == 200


def test_admin_refuses_a_bad_dev_eui(admin_client, soil):
    thing = LoRaWANDevice.objects.get().thing
    response = admin_client.post(
        "/admin/sensors/lorawandevice/add/",
        {
            "dev_eui": "XYZ",
            "name": "kaputt",
            "thing": thing.pk,
            "active": "on",
            "fields-TOTAL_FORMS": "0",
            "fields-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "16 hexadecimal digits" in response.content.decode()
    assert LoRaWANDevice.objects.count() == 1


_json = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
_uplinkish = st.fixed_dictionaries(
    {
        "end_device_ids": st.fixed_dictionaries({"dev_eui": st.just("70B3D57ED0051A2B") | _json}),
        "received_at": st.just("2026-11-30T23:10:03Z") | _json,
        "uplink_message": st.fixed_dictionaries(
            {"decoded_payload": _json, "rx_metadata": _json, "f_cnt": _json}
        )
        | _json,
    }
)

_eventish = st.fixed_dictionaries(
    {
        "deviceInfo": st.fixed_dictionaries({"devEui": st.just("a84041000181c4d1") | _json}),
        "time": st.just("2026-11-30T23:20:05.775023242+00:00") | _json,
        "object": st.fixed_dictionaries({"water_temperature": _json}) | _json,
        "rxInfo": st.lists(st.fixed_dictionaries({"gwTime": _json}), max_size=2) | _json,
        "batteryLevel": _json,
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=_json | _uplinkish | _eventish)
def test_no_message_makes_a_500(post, soil, water, body):
    assert post(TTS, body).status_code < 500
    assert post(CHIRPSTACK + "?event=up", body).status_code < 500
    assert post(CHIRPSTACK + "?event=status", body).status_code < 500


def test_a_content_length_that_is_no_number_is_a_400(client, token, soil):
    response = client.post(
        "/ingest/lorawan/tts", b"{}", content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Content-Length": "viel"},
    )
    assert response.status_code == 400
    assert "Content-Length" in response.json()["message"]
