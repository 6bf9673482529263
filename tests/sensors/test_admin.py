"""The back office pages for the sensor entities render for a superuser."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.staff import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
    return verified_login(client, user)


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


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.123456Z"])
def test_an_observation_at_the_ends_of_the_calendar_is_edited_in_utc(admin_client, when):
    """Its change page shows the time in UTC, and saving it unchanged keeps it exactly."""
    _, stream = make_thing_with_datastream()
    add_observations(stream, [(when, 1)])
    observation = stream.observations.get()
    url = f"/admin/sensors/observation/{observation.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    assert data["phenomenon_time_start"] == when
    saved = admin_client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    observation.refresh_from_db()
    assert observation.phenomenon_time_start == page.context["original"].phenomenon_time_start
    data["phenomenon_time_start"] = "9999-12-31T23:59:59-05:00"  # past the calendar's end
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["phenomenon_time_start"]
