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
