"""The OCPI 2.2.1 Locations receiver: a CPO pushes its Locations with a token bound to its
feed; PUT, PATCH and GET of a Location, an EVSE and a Connector, answered in the OCPI
envelope, with nothing written half and nothing of another CPO's written at all."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pytest

from smartcity.core.tokens import create_token
from smartcity.mobility import feeds
from smartcity.mobility.models import Feed, Offer

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "ocpi-2.2.1" / "examples"
BASE = "/api/ocpi/2.2.1/locations"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def hamm_location() -> dict:
    """The spec's public example, moved to Hamm under the CPO DE*SWH."""
    location = copy.deepcopy(example("location_example.json"))
    location.update(
        country_code="DE",
        party_id="SWH",
        coordinates={"latitude": "51.678612", "longitude": "7.808135"},
    )
    return location


@pytest.fixture
def tokens():
    """Two CPOs, each with its feed and a token bound to it; and a token of no CPO."""
    feeds.feed(
        "ocpi-swh",
        kind=Feed.OCPI,
        provider="Stadtwerke Hamm",
        options={"country_code": "DE", "party_id": "SWH"},
    )
    feeds.feed(
        "ocpi-oth",
        kind=Feed.OCPI,
        provider="Andere",
        options={"country_code": "DE", "party_id": "OTH"},
    )
    swh = create_token("swh", ["mobility:ocpi"], ocpi_feed="ocpi-swh")[1]
    other = create_token("oth", ["mobility:ocpi"], ocpi_feed="ocpi-oth")[1]
    reader = create_token("reader", [])[1]
    return {"swh": swh, "other": other, "reader": reader}


def ocpi_token(secret: str) -> str:
    return "Token " + base64.b64encode(secret.encode()).decode()


def call(client, method, path, body=None, *, token, content_type="application/json", raw=None):
    data = raw if raw is not None else (json.dumps(body) if body is not None else "")
    send = getattr(client, method.lower())
    kwargs = {"HTTP_AUTHORIZATION": token} if token else {}
    if method == "GET":
        return send(BASE + path, **kwargs)
    return send(BASE + path, data=data, content_type=content_type, **kwargs)


def _offer() -> Offer:
    return Offer.objects.get(feed__key="ocpi-swh", ref="DE*SWH*LOC1")


def test_a_location_is_put_got_and_replaced(client, tokens):
    token = ocpi_token(tokens["swh"])
    answer = call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=token)
    assert answer.status_code == 201
    body = answer.json()
    assert body["status_code"] == 1000 and body["timestamp"].endswith("Z")
    offer = _offer()
    assert (offer.mode, offer.kind, offer.name) == ("charging", "site", "Gent Zuid")
    assert offer.status["free"] == 1
    got = call(client, "GET", "/DE/SWH/LOC1", token=token).json()
    assert got["status_code"] == 1000
    assert got["data"]["evses"][1]["status"] == "RESERVED"
    assert got["data"]["coordinates"] == {"latitude": "51.678612", "longitude": "7.808135"}
    assert call(client, "GET", "/DE/SWH/LOC1/3256/2", token=token).json()["data"]["tariff_ids"] == [
        "13"
    ]
    assert call(client, "PUT", "/de/swh/LOC1", hamm_location(), token=token).status_code == 200


def test_the_raw_token_and_bearer_work_too(client, tokens):
    for token in (f"Token {tokens['swh']}", f"Bearer {tokens['swh']}"):
        assert call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=token).status_code in (
            200,
            201,
        )


def test_patches_of_the_specs_examples(client, tokens):
    token = ocpi_token(tokens["swh"])
    call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=token)
    status = call(
        client,
        "PATCH",
        "/DE/SWH/LOC1/3256",
        example("location_patch_example_status.json"),
        token=token,
    )
    assert (status.status_code, status.json()["status_code"]) == (200, 1000)
    offer = _offer()
    assert offer.status["evses"] == {"3256": "CHARGING", "3257": "RESERVED"}
    assert offer.status["free"] == 0
    assert offer.status_at.isoformat() == "2019-06-24T12:39:09+00:00"  # the parent's last_updated
    call(
        client,
        "PATCH",
        "/DE/SWH/LOC1",
        example("location_patch_example_location.json"),
        token=token,
    )
    assert _offer().name == "Interparking Gent Zuid"
    call(
        client,
        "PATCH",
        "/DE/SWH/LOC1/3256/2",
        example("location_patch_example_tariff.json"),
        token=token,
    )
    connector = call(client, "GET", "/DE/SWH/LOC1/3256/2", token=token).json()["data"]
    assert connector["tariff_ids"] == ["15"] and connector["last_updated"] == "2019-06-24T12:39:09Z"
    removed = call(
        client,
        "PATCH",
        "/DE/SWH/LOC1/3257",
        example("location_patch_example_remove_evse.json"),
        token=token,
    )
    assert removed.status_code == 200
    assert (_offer().status["total"], _offer().details["chargePointCount"]) == (1, 1)


def test_an_evse_and_a_connector_are_put(client, tokens):
    token = ocpi_token(tokens["swh"])
    call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=token)
    added = example("location_put_example_add_evse.json")  # uid 3256: replaces that EVSE
    assert call(client, "PUT", "/DE/SWH/LOC1/3256", added, token=token).status_code == 200
    point = {p["uid"]: p for p in _offer().details["chargePoints"]}["3256"]
    assert point["evseId"] == "BE*BEC*E041503003" and point["powerKw"] is None
    added["uid"] = "3258"
    call(client, "PUT", "/DE/SWH/LOC1/3258", added, token=token)
    assert _offer().status["total"] == 3
    connector = {
        "id": "2",
        "standard": "IEC_62196_T2_COMBO",
        "format": "CABLE",
        "power_type": "DC",
        "max_voltage": 920,
        "max_amperage": 400,
        "max_electric_power": 150000,
        "last_updated": "2026-12-01T10:00:00Z",
    }
    assert call(client, "PUT", "/DE/SWH/LOC1/3258/2", connector, token=token).status_code == 200
    offer = _offer()
    assert offer.details["type"] == "fast"
    assert offer.status_at.isoformat() == "2026-12-01T10:00:00+00:00"


def test_unknown_objects_are_2003_and_404(client, tokens):
    token = ocpi_token(tokens["swh"])
    answer = call(client, "GET", "/DE/SWH/NOPE", token=token)
    assert (answer.status_code, answer.json()["status_code"]) == (404, 2003)
    patch = example("location_patch_example_status.json")
    assert call(client, "PATCH", "/DE/SWH/NOPE/1", patch, token=token).json()["status_code"] == 2003
    call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=token)
    assert call(client, "GET", "/DE/SWH/LOC1/9999", token=token).status_code == 404
    assert (
        call(
            client,
            "PUT",
            "/DE/SWH/NOPE/1",
            example("location_put_example_add_evse.json"),
            token=token,
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("path", "body", "raw", "content_type", "http", "code"),
    [
        (
            "/DE/SWH/LOC1/3256",
            {"status": "CHARGING"},
            None,
            "application/json",
            400,
            2001,
        ),  # no last_updated
        ("/DE/SWH/LOC1", None, b"{not json", "application/json", 400, 2001),
        ("/DE/SWH/LOC1", {"last_updated": "2026-12-01T10:00:00Z"}, None, "text/plain", 415, 2001),
        (
            "/DE/SWH/LOC1",
            {
                "coordinates": {"latitude": "95.0", "longitude": "7.8"},
                "last_updated": "2026-12-01T10:00:00Z",
            },
            None,
            "application/json",
            400,
            2001,
        ),
        (
            "/DE/SWH/LOC1",
            {"id": "LOC2", "last_updated": "2026-12-01T10:00:00Z"},
            None,
            "application/json",
            400,
            2001,
        ),
        (
            "/DE/SWH/LOC1/3256",
            {"status": "KAPUTT", "last_updated": "2026-12-01T10:00:00Z"},
            None,
            "application/json",
            400,
            2001,
        ),
    ],
)
def test_bad_patches_are_4xx_and_write_nothing(
    client, tokens, path, body, raw, content_type, http, code
):
    token = ocpi_token(tokens["swh"])
    call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=token)
    before = _offer()
    answer = call(client, "PATCH", path, body, token=token, raw=raw, content_type=content_type)
    assert (answer.status_code, answer.json()["status_code"]) == (http, code)
    assert answer.json()["status_message"]
    after = _offer()
    assert (after.details, after.status, after.status_at, after.name) == (
        before.details,
        before.status,
        before.status_at,
        before.name,
    )


def test_a_location_whose_id_differs_from_the_url_is_refused(client, tokens):
    answer = call(client, "PUT", "/DE/SWH/OTHER", hamm_location(), token=ocpi_token(tokens["swh"]))
    assert (answer.status_code, answer.json()["status_code"]) == (400, 2001)
    assert not Offer.objects.exists()


def test_one_cpo_cannot_write_or_read_anothers_locations(client, tokens):
    call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=ocpi_token(tokens["swh"]))
    other = ocpi_token(tokens["other"])
    patch = example("location_patch_example_status.json")
    for method, body in (("PUT", hamm_location()), ("PATCH", patch), ("GET", None)):
        answer = call(
            client,
            method,
            "/DE/SWH/LOC1" + ("/3256" if method == "PATCH" else ""),
            body,
            token=other,
        )
        assert (answer.status_code, answer.json()["status_code"]) == (403, 2000)
    assert _offer().status["evses"]["3256"] == "AVAILABLE"
    # nor by putting it under its own party: the Location says DE/SWH
    answer = call(client, "PUT", "/DE/OTH/LOC1", hamm_location(), token=other)
    assert answer.json()["status_code"] == 2001
    assert Offer.objects.filter(feed__key="ocpi-oth").count() == 0


@pytest.mark.parametrize(
    ("who", "http"),
    [(None, 401), ("Token bm9wZQ==", 401), ("reader", 403)],
)
def test_without_a_token_of_the_scope_nothing_is_written(client, tokens, who, http):
    token = ocpi_token(tokens["reader"]) if who == "reader" else who
    answer = call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=token)
    assert (answer.status_code, answer.json()["status_code"]) == (http, 2000)
    assert not Offer.objects.exists()


def test_an_unpublished_or_far_location_is_accepted_and_not_shown(client, tokens):
    token = ocpi_token(tokens["swh"])
    call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=token)
    hidden = {**hamm_location(), "publish": False}
    answer = call(client, "PUT", "/DE/SWH/LOC1", hidden, token=token)
    assert (answer.status_code, answer.json()["status_code"]) == (200, 1000)
    assert not Offer.objects.exists()
    far = {**hamm_location(), "coordinates": {"latitude": "51.047599", "longitude": "3.729944"}}
    call(client, "PUT", "/DE/SWH/LOC1", far, token=token)
    assert not Offer.objects.exists()


def test_a_body_over_the_limit_is_413(client, tokens, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MOBILITY_OCPI_MAX_BODY_BYTES", "1024")
    big = {**hamm_location(), "name": "x" * 2000}
    answer = call(client, "PUT", "/DE/SWH/LOC1", big, token=ocpi_token(tokens["swh"]))
    assert (answer.status_code, answer.json()["status_code"]) == (413, 2000)


def test_a_token_is_bound_only_to_an_ocpi_feed_with_its_party():
    from smartcity.core.tokens import create_token as make

    with pytest.raises(ValueError, match="needs its feed"):
        make("x", ["mobility:ocpi"])
    feeds.feed("ocpi-bare", kind=Feed.OCPI, provider="Ohne")
    with pytest.raises(ValueError, match="country_code and party_id"):
        make("x", ["mobility:ocpi"], ocpi_feed="ocpi-bare")
    with pytest.raises(ValueError, match="no feed"):
        make("x", ["mobility:ocpi"], ocpi_feed="nope")


def test_the_receiver_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/ocpi/2.2.1/locations/{country_code}/{party_id}/{location_id}/{evse_uid}" in paths


def test_the_command_line_binds_a_token_to_a_cpos_feed(capsys, client):
    from smartcity import cli

    feeds.feed(
        "ocpi-swh",
        kind=Feed.OCPI,
        provider="SWH",
        options={"country_code": "DE", "party_id": "SWH"},
    )
    argv = ["token", "create", "--name", "swh", "--scope", "mobility:ocpi"]
    assert cli.main(argv) == 2
    assert "needs its feed" in capsys.readouterr().err
    assert cli.main([*argv, "--ocpi-feed", "ocpi-swh"]) == 0
    out, err = capsys.readouterr()
    secret = out.strip().splitlines()[0]
    assert "Authorization: Token" in out + err
    assert cli.main(["token", "list"]) == 0
    assert "ocpi feed ocpi-swh" in capsys.readouterr().out
    answer = call(client, "PUT", "/DE/SWH/LOC1", hamm_location(), token=ocpi_token(secret))
    assert answer.status_code == 201
