"""A field's JSON Schema ``default`` (the demo's town "Hamm", an xDatenfelder field's
``inhalt``) is what a new application starts with, online as a guest or signed in and at
the counter; an account's x-prefill comes first. (Found by the browser journey: the
demo's Kita form asked for a town it meant to give.)"""

from __future__ import annotations

import pytest

from smartcity.administration.applying import services
from smartcity.administration.models import Application
from tests.administration.applying import helpers
from tests.administration.applying.factories import kita_form, make_service, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    found = make_service(guest=True)
    form = kita_form()
    properties = form["schema"]["properties"]
    properties["betreuung"]["default"] = "35"
    properties["kontakt"]["properties"]["telefon"]["default"] = "02381 17-0"
    properties["kontakt"]["properties"]["email"]["default"] = "nicht@example.org"
    properties["geschwister"]["default"] = ["Ben"]  # a list starts empty
    found.form = form
    found.save()
    return found


def test_a_guest_starts_with_the_defaults(client, service) -> None:
    public_id = helpers.start(client, email="gast@example.org")
    assert Application.objects.get(public_id=public_id).data == {
        "betreuung": "35",
        "kontakt": {"telefon": "02381 17-0", "email": "nicht@example.org"},
    }


def test_an_accounts_prefill_comes_before_the_default(service) -> None:
    data = services.prefill(services.form_of(service), make_user())
    assert data["kontakt"] == {"email": "mutter@example.org", "telefon": "02381 17-0"}
