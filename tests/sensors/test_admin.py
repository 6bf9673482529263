"""The back office pages for the sensor entities render for a superuser."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["thing", "location", "sensor", "observedproperty",
                                   "datastream", "multidatastream", "featureofinterest",
                                   "observation", "historicallocation"])
def test_changelists_render(admin_client, model):
    _, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-11-01T10:00:00Z", 1)])
    response = admin_client.get(f"/admin/sensors/{model}/")
    assert response.status_code == 200


def test_admin_requires_login(client):
    assert client.get("/admin/sensors/thing/").status_code == 302
