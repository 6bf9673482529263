"""Times at the ends of the calendar, wherever the sensors read a time: a time that cannot
be stored is a 4xx with a message and stores nothing (the SensorThings API, CreateObservations,
$filter, $skiptoken, the MQTT bridge's write path, LoRaWAN uplinks), and the first and
last instants there are are stored and read back, sorted, paged and filtered."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import orjson
import pytest

from smartcity.core.errors import ApiError
from smartcity.core.tokens import create_token
from smartcity.sensors.models import FeatureOfInterest, LoRaWANDevice, LoRaWANField, Observation
from smartcity.sensors.mqtt import ingest
from smartcity.sensors.sta import posting
from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.sensors.lorawan.test_uplinks import _sample

pytestmark = pytest.mark.django_db

HOSTILE = [
    "0001-01-01T00:00:00+01:00",  # the year 1 east of UTC: the year 0 in UTC
    "9999-12-31T23:59:59-05:00",  # the year 9999 west of UTC: the year 10000 in UTC
    "0001-01-01T00:00:00",  # the year 1 in Hamm's local time, east of UTC
    "0000-01-01T00:00:00Z",
    "10000-01-01T00:00:00Z",
    "2026-11-01T10:00:00.1234567Z",  # more than microseconds
    "2026-02-30T10:00:00Z",
    "",
]
FIRST, LAST = "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"
STRICT = {"Prefer": "handling=strict"}


def _refused(response, where=None):
    assert 400 <= response.status_code < 500, response.content
    body = response.json()
    assert body["message"]
    if where is not None:
        assert body["where"] == where
    return body


def _nothing_stored(stream=None):
    observations = Observation.objects.all()
    if stream is not None:
        observations = observations.filter(datastream=stream)
    assert not observations.exists()


@pytest.fixture
def stream():
    return make_thing_with_datastream()[1]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("phenomenonTime", "{}"),
        ("phenomenonTime", "2026-01-01T00:00:00Z/{}"),
        ("resultTime", "{}"),
        ("validTime", "{}/9999-12-31T23:59:59Z"),
    ],
)
def test_a_posted_observation(sta, stream, text, member, value):
    body = {"result": 1, member: value.format(text)}
    if member != "phenomenonTime":
        body["phenomenonTime"] = "2026-11-01T10:00:00Z"
    message = _refused(sta.post(f"Datastreams({stream.pk})/Observations", body), f"/{member}")
    assert member in message["message"]
    _nothing_stored()
    assert not FeatureOfInterest.objects.exists()


@pytest.mark.parametrize("text", HOSTILE)
def test_a_patched_observation_keeps_its_time(sta, stream, text):
    (observation,) = add_observations(stream, [("2026-11-01T10:00:00Z", 1)])
    _refused(sta.patch(f"Observations({observation.pk})", {"phenomenonTime": text}))
    _refused(sta.patch(f"Observations({observation.pk})", {"resultTime": text}))
    observation.refresh_from_db()
    assert observation.phenomenon_time_start.isoformat() == "2026-11-01T10:00:00+00:00"
    assert observation.result_time is None


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("position", [0, 2])  # phenomenonTime, resultTime
def test_a_create_observations_row(sta, stream, text, position):
    row = ["2026-11-01T10:00:00Z", 1, "2026-11-01T10:00:00Z"]
    row[position] = text
    group = {
        "Datastream": {"@iot.id": stream.pk},
        "components": ["phenomenonTime", "result", "resultTime"],
        "dataArray": [row],
    }
    _refused(sta.post("CreateObservations", [group], headers=STRICT), f"/0/dataArray/0/{position}")
    _nothing_stored()
    lenient = sta.post("CreateObservations", [group])
    assert lenient.status_code == 201 and lenient.json() == ["error"]
    _nothing_stored()


@pytest.mark.parametrize("text", [*HOSTILE, "0001-01-01"])  # a date: midnight in Hamm
def test_a_filter_literal(anonymous, stream, text):
    add_observations(stream, [("2026-11-01T10:00:00Z", 1)])
    for path in ("Observations", f"Datastreams({stream.pk})/Observations"):
        _refused(anonymous.get(path, **{"$filter": f"phenomenonTime gt {text}"}), "$filter")
    if text:
        interval = f"phenomenonTime eq 2026-01-01T00:00:00Z/{text}"
        _refused(anonymous.get("Observations", **{"$filter": interval}), "$filter")


# a naive time in our own token is UTC, and its precision only places the next page
@pytest.mark.parametrize(
    "text", [t for t in HOSTILE if t not in ("0001-01-01T00:00:00", "2026-11-01T10:00:00.1234567Z")]
)
@pytest.mark.parametrize("path", ["Observations", "Datastreams({})/Observations"])
def test_a_skiptoken(anonymous, stream, monkeypatch, text, path):
    monkeypatch.setenv("SMARTCITY_STA_MAX_TOP", "1")
    add_observations(stream, [("2026-11-01T10:00:00Z", 1), ("2026-11-01T11:00:00Z", 2)])
    path = path.format(stream.pk)
    page = anonymous.get(path, **{"$orderby": "phenomenonTime"}).json()
    token = unquote(page["@iot.nextLink"].split("$skiptoken=")[1].split("&")[0])
    keys = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    keys["k"][0] = text
    forged = base64.urlsafe_b64encode(json.dumps(keys).encode()).decode().rstrip("=")
    answer = anonymous.get(path, **{"$orderby": "phenomenonTime", "$skiptoken": forged})
    _refused(answer, "$skiptoken")


@dataclass
class Received:
    """An MQTT message as the bridge hands it over (the bridge's own path, no broker)."""

    topic: str
    payload: bytes


@pytest.mark.parametrize("text", HOSTILE)
def test_an_mqtt_message(stream, text):
    """The bridge writes messages of the common shape in bulk (mqtt.ingest) and creates
    the others one at a time as a POST would (sta.posting); neither may fail otherwise."""
    add_observations(stream, [("2026-11-01T09:00:00Z", 0)])  # the generated feature
    topic = f"v1.1/Datastreams({stream.pk})/Observations"
    body = {"result": 1, "phenomenonTime": text}
    message = Received(topic, orjson.dumps(body))
    assert ingest.create_common([message]) == [message]  # handed back, nothing written
    with pytest.raises(ApiError) as refused:
        posting.create_at(f"/Datastreams({stream.pk})/Observations", body)
    assert refused.value.status == 400 and refused.value.where == "/phenomenonTime"
    assert Observation.objects.count() == 1


@pytest.fixture
def device(stream):
    thing = stream.thing
    mapped = LoRaWANDevice.objects.create(dev_eui="70b3d57ed0051a2b", thing=thing)
    LoRaWANField.objects.create(device=mapped, key="soil_temperature", datastream=stream)
    chirpstack = LoRaWANDevice.objects.create(dev_eui="A8-40-41-00-01-81-C4-D1", thing=thing)
    LoRaWANField.objects.create(device=chirpstack, key="water_temperature", datastream=stream)
    return create_token("Netzwerkserver", ["sta:write"])[1]


def _uplink(client, token, path, body):
    return client.post(
        path, json.dumps(body), content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip


@pytest.mark.parametrize("text", [t for t in HOSTILE if "1234567" not in t])  # nanoseconds:
@pytest.mark.parametrize("member", ["received_at", "gateway"])  # network servers send them
def test_a_the_things_stack_uplink(client, device, text, member):
    body = _sample("tts_uplink.json")
    if member == "received_at":
        body["received_at"] = body["uplink_message"]["received_at"] = text
    else:
        body["uplink_message"]["rx_metadata"][0]["time"] = text
    response = _uplink(client, device, "/ingest/lorawan/tts", body)
    if text == "" and member == "gateway":
        assert response.status_code == 200  # an empty gateway time is no gateway time
        return
    _refused(response)
    _nothing_stored()


@pytest.mark.parametrize("text", [t for t in HOSTILE if "1234567" not in t])
def test_a_chirpstack_event(client, device, text):
    body = _sample("chirpstack_up.json")
    body["time"] = text
    _refused(_uplink(client, device, "/ingest/lorawan/chirpstack?event=up", body), "/time")
    _nothing_stored()


# -- the first and last instants there are ----------------------------------------------

EXTREMES = [FIRST, "2026-11-01T10:00:00Z", LAST, "9999-12-31T23:59:59.999999Z"]
SHOWN = [FIRST, "2026-11-01T10:00:00Z", LAST, "9999-12-31T23:59:59.999Z"]  # milliseconds


@pytest.fixture
def extremes(sta, stream):
    """One observation each way in: a POST, and CreateObservations' two paths (the column
    path takes UTC times, a local one sends its group row by row)."""
    made = sta.post(
        f"Datastreams({stream.pk})/Observations", {"result": 0, "phenomenonTime": FIRST}
    )
    assert made.status_code == 201, made.content
    rows = [[EXTREMES[1], 1], [EXTREMES[2], 2]]
    group = {"Datastream": {"@iot.id": stream.pk}, "components": ["phenomenonTime", "result"]}
    for data in (rows, [["9999-12-31T23:59:59.999999+00:00", 3], ["2026-11-01T11:00:00", 4]]):
        answer = sta.post("CreateObservations", [{**group, "dataArray": data}], headers=STRICT)
        assert answer.status_code == 201, answer.content
    Observation.objects.filter(result=4).delete()  # only there to send the group row by row
    return stream


def _times(body):
    return [o["phenomenonTime"] for o in body["value"]]


def test_extreme_times_are_stored_and_read_back(anonymous, extremes):
    stored = Observation.objects.order_by("phenomenon_time_start")
    assert [o.phenomenon_time_start.year for o in stored] == [1, 2026, 9999, 9999]
    for observation, shown in zip(stored, SHOWN, strict=True):
        assert anonymous.get(f"Observations({observation.pk})").json()["phenomenonTime"] == shown
    stream = anonymous.get(f"Datastreams({extremes.pk})").json()
    assert stream["phenomenonTime"] == f"{FIRST}/{SHOWN[-1]}"


@pytest.mark.parametrize("path", ["Observations", "Datastreams({})/Observations"])
def test_extreme_times_sort_and_page(anonymous, extremes, monkeypatch, path):
    path = path.format(extremes.pk)
    for order, expected in (("phenomenonTime", SHOWN), ("phenomenonTime desc", SHOWN[::-1])):
        assert _times(anonymous.get(path, **{"$orderby": order}).json()) == expected
        monkeypatch.setenv("SMARTCITY_STA_MAX_TOP", "1")
        seen, page = [], anonymous.get(path, **{"$orderby": order}).json()
        while True:  # the skiptokens carry the extreme times
            seen += _times(page)
            if "@iot.nextLink" not in page:
                break
            link = urlsplit(page["@iot.nextLink"])
            page = anonymous.client.get(f"{link.path}?{link.query}").json()
        assert seen == expected
        monkeypatch.delenv("SMARTCITY_STA_MAX_TOP")


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("year(phenomenonTime) eq 9999", SHOWN[2:]),
        ("year(phenomenonTime) eq 1 or month(phenomenonTime) eq 12", [SHOWN[0], *SHOWN[2:]]),
        (f"phenomenonTime ge {LAST}", SHOWN[2:]),
        ("phenomenonTime le 0001-01-01T00:00:00.000001Z", SHOWN[:1]),
        ("date(phenomenonTime) eq 9999-12-31", SHOWN[2:]),
        ("phenomenonTime lt now()", SHOWN[:2]),
        # shifted beyond the calendar: SQLite stops at its ends, PostgreSQL reaches beyond
        ("phenomenonTime add duration'P1D' gt 9999-12-30T00:00:00Z", SHOWN[2:]),
        ("phenomenonTime sub duration'P1D' lt 0001-01-02T00:00:00Z", SHOWN[:1]),
        ("phenomenonTime add duration'P3650000D' gt 9999-12-30T00:00:00Z", SHOWN[1:]),
    ],
)
def test_extreme_times_filter(anonymous, extremes, condition, expected):
    answer = anonymous.get("Observations", **{"$filter": condition, "$orderby": "phenomenonTime"})
    assert answer.status_code == 200, answer.content
    assert _times(answer.json()) == expected


@pytest.mark.parametrize(
    "condition",
    [
        "phenomenonTime add duration'P999999999D' gt 2026-01-01T00:00:00Z",
        "phenomenonTime add duration'P99999999999D' gt 2026-01-01T00:00:00Z",
        "phenomenonTime sub duration'P3652426D' lt 2026-01-01T00:00:00Z",  # 10,000 years + 1 day
        "phenomenonTime" + " add duration'P3650000D'" * 30 + " gt 2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z add duration'P3650000D' gt phenomenonTime",
    ],
)
def test_a_shift_beyond_the_calendar_is_a_400(anonymous, extremes, condition):
    _refused(anonymous.get("Observations", **{"$filter": condition}), "$filter")


def test_extreme_times_in_the_data_array_format(anonymous, extremes):
    answer = anonymous.get(
        f"Datastreams({extremes.pk})/Observations",
        **{"$resultFormat": "dataArray", "$select": "phenomenonTime", "$orderby": "phenomenonTime"},
    )
    assert answer.status_code == 200
    assert [row[0] for row in answer.json()["value"][0]["dataArray"]] == SHOWN
