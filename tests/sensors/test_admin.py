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


@pytest.mark.parametrize("model", ["datastream", "observation", "historicallocation"])
@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_times_at_the_ends_of_the_calendar_are_shown(admin_client, model, when):
    """The last hours of the year 9999 in UTC have no local time in Hamm: the back office
    shows the calendar's last instant instead of failing."""
    thing, stream = make_thing_with_datastream()
    add_observations(stream, [(when, 1)])
    thing.historical_locations.update(time=stream.observations.get().phenomenon_time_start)
    response = admin_client.get(f"/admin/sensors/{model}/")
    assert response.status_code == 200
    assert when[:4] in response.content.decode()
    if model == "datastream":
        page = admin_client.get(f"/admin/sensors/datastream/{stream.pk}/change/")
        assert page.status_code == 200 and when[:4] in page.content.decode()


def test_admin_requires_login(client):
    assert client.get("/admin/sensors/thing/").status_code == 302
