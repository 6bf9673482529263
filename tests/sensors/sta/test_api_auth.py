"""Writes need a token with scope sta:write; reads are public."""

from __future__ import annotations

import pytest

from smartcity.core.tokens import create_token, revoke_token
from smartcity.sensors.models import Thing
from tests.sensors.conftest import StaClient, basic

pytestmark = pytest.mark.django_db
THING = {"name": "x", "description": "y"}


def test_read_needs_no_token(anonymous):
    assert anonymous.get("Things").status_code == 200


def test_write_without_token_is_401(anonymous):
    response = anonymous.post("Things", THING)
    assert response.status_code == 401
    assert "sta:write" in response.json()["message"]
    assert not Thing.objects.exists()


def test_token_without_scope_is_403(client):
    _, secret = create_token("reader", [])
    response = StaClient(client, secret).post("Things", THING)
    assert response.status_code == 403


def test_unknown_token_is_401_even_for_reads(client, db):
    assert StaClient(client, "sc_wrong").get("Things").status_code == 401


def test_revoked_token_is_401(client):
    _, secret = create_token("device", ["sta:write"])
    revoke_token("device")
    assert StaClient(client, secret).post("Things", THING).status_code == 401


def test_basic_auth_with_token_as_password(client):
    _, secret = create_token("qgis", ["sta:write"])
    response = client.post(
        "/sta/v1.1/Things",
        THING,
        content_type="application/json",
        headers={"Authorization": basic(secret)},
    )
    assert response.status_code == 201


def test_malformed_basic_is_401(client, db):
    response = client.get("/sta/v1.1/Things", headers={"Authorization": "Basic %%%"})
    assert response.status_code == 401


def test_an_observe_token_creates_observations_in_its_datastreams_only(client):
    from smartcity.sensors.models import Observation
    from tests.sensors.factories import make_thing_with_datastream

    own, other = (make_thing_with_datastream()[1] for _ in range(2))
    _, secret = create_token("device", ["sta:observe"], datastreams=[own.pk])
    device = StaClient(client, secret)
    assert device.post(f"Datastreams({own.pk})/Observations", {"result": 1}).status_code == 201
    # the path decides the Datastream, not a Datastream in the body
    body = {"result": 2, "Datastream": {"@iot.id": other.pk}}
    assert device.post(f"Datastreams({own.pk})/Observations", body).status_code == 201
    assert device.post(f"Datastreams({other.pk})/Observations", {"result": 3}).status_code == 403
    assert device.post("Observations", body).status_code == 403
    assert device.post("Things", THING).status_code == 403
    assert sorted(Observation.objects.filter(datastream=own).values_list("result", flat=True)) == [
        1,
        2,
    ]
    assert not Observation.objects.filter(datastream=other).exists()
