"""Batch requests: OGC 18-088 clause 11 (req/batch-request/batch-request), which adopts
OData 4.0 Protocol 11.7 and its multipart/mixed format (RFC 2046).

The batches run through :func:`smartcity.sensors.sta.api.handle`, the framework-free handler,
with the principal the Django adapter would authenticate; the HTTP round trip is tested
once at the end."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import pytest

from smartcity.core.errors import ApiError
from smartcity.core.tokens import authenticate
from smartcity.sensors.models import Datastream, Observation, Thing
from smartcity.sensors.sta.api import handle
from smartcity.sensors.sta.batch import max_operations
from smartcity.sensors.sta.exchange import StaRequest, StaResponse
from tests.sensors.conftest import StaClient
from tests.sensors.factories import datastream_payload, make_thing_with_datastream, thing_payload

pytestmark = pytest.mark.django_db
ROOT = "http://testserver/sta/v1.1/"
MIXED = "multipart/mixed; boundary=b1"


# --- building requests --------------------------------------------------------------------


def http_part(
    request_line: str, body: Any = None, content_id: str | None = None, nl: str = "\r\n"
) -> str:
    """One application/http part: MIME headers, blank line, embedded request."""
    mime = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if content_id is not None:
        mime.append(f"Content-ID: {content_id}")
    request = [request_line, "Host: testserver"]
    text = ""
    if body is not None:
        request.append("Content-Type: application/json")
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return nl.join(mime) + nl * 2 + nl.join(request) + nl * 2 + text


def multipart(boundary: str, parts: list[str], nl: str = "\r\n") -> str:
    return "".join(f"--{boundary}{nl}{part}{nl}" for part in parts) + f"--{boundary}--{nl}"


def change_set(boundary: str, parts: list[str]) -> str:
    return f"Content-Type: multipart/mixed; boundary={boundary}\r\n\r\n" + multipart(
        boundary, parts
    )


def run_batch(
    client: StaClient, body: str | bytes, content_type: str = MIXED, method: str = "POST"
) -> StaResponse:
    """POST $batch as the Django adapter would pass it on, errors rendered as it does."""
    request = StaRequest(
        method=method,
        version="v1.1",
        path="/$batch",
        params=[],
        root_url=ROOT,
        body=body.encode() if isinstance(body, str) else body,
        content_type=content_type,
        principal=authenticate(client.headers.get("Authorization", "")),
    )
    try:
        return handle(request)
    except ApiError as error:
        return StaResponse(error.status, error.as_json())


# --- reading responses --------------------------------------------------------------------


@dataclass
class Part:
    status: int
    headers: dict[str, str]
    body: Any
    content_id: str | None = None
    parts: list[Part] = field(default_factory=list)  # set for a change-set response


def parse_response(response: StaResponse) -> list[Part]:
    assert response.status == 200, response.body
    assert response.content_type.startswith("multipart/mixed; boundary=batchresponse_")
    raw = f"Content-Type: {response.content_type}\r\n\r\n{response.body}".encode()
    message = BytesParser(policy=HTTP).parsebytes(raw)
    assert not message.defects, message.defects
    return [_part(item) for item in message.iter_parts()]  # type: ignore[attr-defined]


def _part(message: Message) -> Part:
    if message.is_multipart():
        assert message.get_content_type() == "multipart/mixed"
        assert message.get_boundary("").startswith("changesetresponse_")
        return Part(0, {}, None, parts=[_part(m) for m in message.get_payload()])  # type: ignore[union-attr]
    assert message.get_content_type() == "application/http"
    assert message["Content-Transfer-Encoding"] == "binary"
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    head, _, body = payload.partition(b"\r\n\r\n")
    status_line, *lines = head.decode().split("\r\n")
    version, status, _ = status_line.split(" ", 2)
    assert version == "HTTP/1.1"
    headers = dict(line.split(": ", 1) for line in lines)
    if "Content-Length" in headers:
        assert int(headers["Content-Length"]) == len(body)
    parsed = json.loads(body) if headers.get("Content-Type") == "application/json" else body
    return Part(int(status), headers, parsed or None, message["Content-ID"])


# --- tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("nl", ["\r\n", "\n"])
def test_reads_in_a_batch_answer_in_order(anonymous, nl):
    """req/batch-request/batch-request: one response per request, in order; the URL may be
    relative to the service root, an absolute path or an absolute URL."""
    thing, stream = make_thing_with_datastream()
    body = multipart(
        "b1",
        [
            http_part(f"GET Things({thing.pk}) HTTP/1.1", nl=nl),
            http_part(f"GET /sta/v1.1/Datastreams({stream.pk})/Thing", nl=nl),
            http_part(f"GET {ROOT}Things?$count=true&$select=name HTTP/1.1", nl=nl),
            http_part("GET Things(999999) HTTP/1.1", nl=nl),
        ],
        nl=nl,
    )
    parts = parse_response(run_batch(anonymous, body))
    assert [p.status for p in parts] == [200, 200, 200, 404]
    assert parts[0].body["@iot.id"] == thing.pk
    assert parts[0].body["properties"] == {"district": "Mitte"}  # stored JSON, encoded as JSON
    assert parts[1].body["name"] == "Station Hauptbahnhof"
    assert parts[2].body == {"@iot.count": 1, "value": [{"name": "Station Hauptbahnhof"}]}
    assert parts[3].body["code"] == 404 and parts[3].body["message"]


def test_change_set_references_earlier_requests_by_content_id(sta):
    """req/batch-request/batch-request: $<Content-ID> in the URL and in an @iot.id."""
    stream_payload = datastream_payload("Temperatur")
    operations = [
        http_part("POST Things HTTP/1.1", thing_payload("Ampel"), "1"),
        http_part("POST $1/Datastreams HTTP/1.1", stream_payload, "stream"),
        http_part(
            "POST Observations HTTP/1.1",
            {
                "result": 21.5,
                "phenomenonTime": "2026-11-01T10:00:00Z",
                "Datastream": {"@iot.id": "$stream"},
            },
        ),
        http_part("PATCH $1 HTTP/1.1", {"description": "Kreuzung Süd"}, "4"),
    ]
    parts = parse_response(run_batch(sta, multipart("b1", [change_set("cs1", operations)])))
    assert len(parts) == 1 and parts[0].parts, parts
    responses = parts[0].parts
    assert [p.status for p in responses] == [201, 201, 201, 200]
    assert [p.content_id for p in responses] == ["1", "stream", None, "4"]
    thing = Thing.objects.get(pk=responses[0].body["@iot.id"])
    assert responses[0].headers["Location"] == f"{ROOT}Things({thing.pk})"
    assert thing.description == "Kreuzung Süd"
    stream = Datastream.objects.get(pk=responses[1].body["@iot.id"])
    assert stream.thing_id == thing.pk
    assert Observation.objects.get(datastream=stream).result == 21.5


def test_failing_change_set_changes_nothing(sta):
    """req/batch-request/batch-request: a change set is all or nothing and is answered by
    the failed request alone; the batch goes on with the next part."""
    broken = datastream_payload("ohne Sensor")
    del broken["Sensor"]
    operations = [
        http_part("POST Things HTTP/1.1", {"name": "Ampel", "description": "x"}, "1"),
        http_part("POST $1/Datastreams HTTP/1.1", broken, "2"),
    ]
    body = multipart("b1", [change_set("cs1", operations), http_part("GET Things HTTP/1.1")])
    before = (Thing.objects.count(), Datastream.objects.count())
    parts = parse_response(run_batch(sta, body))
    assert (Thing.objects.count(), Datastream.objects.count()) == before
    assert [p.status for p in parts] == [400, 200]
    assert not parts[0].parts and parts[0].content_id == "2"
    assert parts[0].body["code"] == 400 and "where" in parts[0].body
    assert parts[1].body["value"] == []


def test_unknown_content_id_fails_the_change_set(sta):
    """req/batch-request/batch-request: a reference must name an earlier Content-ID."""
    operations = [
        http_part("POST Things HTTP/1.1", {"name": "Ampel", "description": "x"}, "1"),
        http_part("POST Observations HTTP/1.1", {"result": 1, "Datastream": {"@iot.id": "$9"}}),
    ]
    parts = parse_response(run_batch(sta, multipart("b1", [change_set("cs1", operations)])))
    assert parts[0].status == 400 and "'9'" in parts[0].body["message"]
    assert not Thing.objects.exists()


def test_bad_urls_fail_their_own_part(sta):
    """req/batch-request/batch-request: a URL outside the service root or a malformed one
    is that request's 400, not the batch's."""
    urls = ["GET /sta/v1.0/Things", "GET http://[::1/Things", "GET $1", "GET Things(1"]
    parts = parse_response(run_batch(sta, multipart("b1", [http_part(u) for u in urls])))
    assert [p.status for p in parts] == [400, 400, 404, 404]
    assert all(p.body["where"] for p in parts)


def test_writes_need_a_token_per_request(anonymous):
    """req/batch-request/batch-request: authentication applies to each request; the batch
    itself is 200."""
    thing = {"name": "Ampel", "description": "x"}
    body = multipart(
        "b1",
        [
            http_part("GET Things HTTP/1.1"),
            http_part("POST Things HTTP/1.1", thing),
            change_set("cs1", [http_part("POST Things HTTP/1.1", thing, "1")]),
        ],
    )
    parts = parse_response(run_batch(anonymous, body))
    assert [p.status for p in parts] == [200, 401, 401]
    assert "sta:write" in parts[1].body["message"] and parts[2].content_id == "1"
    assert not Thing.objects.exists()


def test_text_bodies_pass_as_they_are(sta):
    """req/batch-request/batch-request: a $value response keeps its text/plain body."""
    thing, _ = make_thing_with_datastream()
    parts = parse_response(
        run_batch(sta, multipart("b1", [http_part(f"GET Things({thing.pk})/name/$value")]))
    )
    assert parts[0].headers["Content-Type"].startswith("text/plain")
    assert parts[0].body == b"Station Hauptbahnhof"


GOOD = multipart("b1", [http_part("POST Things HTTP/1.1", {"name": "a", "description": "b"})])


@pytest.mark.parametrize(
    ("content_type", "body", "status", "where"),
    [
        ("application/json", GOOD, 415, "Content-Type"),
        ("", GOOD, 415, "Content-Type"),
        ("multipart/mixed", GOOD, 400, "Content-Type"),
        ("multipart/mixed; boundary=", GOOD, 400, "Content-Type"),
        (MIXED, "garbage \x00\xff", 400, "body"),
        (MIXED, b"\xff\xfe--b1", 400, "body"),
        (MIXED, GOOD.replace("--b1--", ""), 400, "body"),
        (MIXED, GOOD.replace("application/http", "text/plain"), 400, "batch part 1"),
        (MIXED, GOOD.replace("POST Things HTTP/1.1", "POST"), 400, "batch part 1"),
        (MIXED, GOOD.replace("Host: testserver", "Host testserver"), 400, "batch part 1"),
        (MIXED, multipart("b1", []), 400, "body"),
        (
            MIXED,
            multipart(
                "b1",
                [
                    GOOD.split("\r\n", 1)[1].rsplit("--b1--", 1)[0],
                    change_set("cs1", [change_set("cs2", [])]),
                ],
            ),
            400,
            "batch part 2, change set part 1",
        ),
        (
            MIXED,
            multipart("b1", [change_set("cs1", [http_part("GET Things HTTP/1.1")])]),
            400,
            "batch part 1, change set part 1",
        ),
        (
            MIXED,
            multipart("b1", [change_set("cs1", [http_part("DELETE Things(1)", None, "x")] * 2)]),
            400,
            "batch part 1, change set part 2",
        ),
        (MIXED, multipart("b1", [http_part("POST $batch", "")]), 200, None),
    ],
)
def test_malformed_batches_are_4xx_and_run_nothing(sta, content_type, body, status, where):
    """req/batch-request/batch-request: a malformed batch is one 4xx JSON error saying
    where, never a 500, and none of its requests runs."""
    response = run_batch(sta, body, content_type)
    assert response.status == status, response.body
    if status == 200:  # a nested $batch is refused inside its own part
        assert parse_response(response)[0].status == 400
    else:
        assert response.body["code"] == status and response.body["message"]
        assert response.body["where"].startswith(where)
    assert not Thing.objects.exists()


def test_batch_size_is_limited(sta):
    """req/batch-request/batch-request: at most SMARTCITY_STA_MAX_BATCH_PARTS requests."""
    body = multipart("b1", [http_part("GET Things")] * (max_operations() + 1))
    response = run_batch(sta, body)
    assert response.status == 413 and str(max_operations()) in response.body["message"]


def test_batch_accepts_post_only(sta):
    assert run_batch(sta, "", method="GET").status == 405


def test_batch_over_http(sta):
    """req/batch-request/batch-request: POST $batch through the Django adapter."""
    body = multipart("b1", [http_part("GET Things HTTP/1.1")])
    response = sta.client.post("/sta/v1.1/$batch", body, content_type=MIXED, headers=sta.headers)
    assert response.status_code == 200, response.content
    answer = StaResponse(200, response.content.decode(), content_type=response["Content-Type"])
    assert [p.status for p in parse_response(answer)] == [200]


@pytest.mark.django_db(transaction=True)
def test_the_reads_of_a_batch_take_no_write_transaction(anonymous):
    """A read part runs outside a transaction: on SQLite a transaction would take the
    process's writer lock of the store's file, and eight batches of reads once held every
    worker thread in a queue for it while the service root waited."""
    from django.db import connection

    from smartcity.core.backends.sqlite import base as sqlite_backend

    if connection.vendor != "sqlite":
        pytest.skip("the one-writer lock is SQLite's")
    import threading

    body = multipart("b1", [http_part("GET Things"), http_part("GET Datastreams")])
    answers: list[StaResponse] = []
    reader = threading.Thread(target=lambda: answers.append(run_batch(anonymous, body)))
    store_writer = sqlite_backend._writer_of(str(connection.settings_dict["NAME"]))
    with store_writer:  # another request is writing meanwhile
        reader.start()
        reader.join(timeout=10)
        waited = reader.is_alive()
    reader.join()
    assert not waited, "the batch of reads waited for the writer"
    assert [part.status for part in parse_response(answers[0])] == [200, 200]
