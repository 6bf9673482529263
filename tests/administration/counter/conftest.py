"""Fixtures of the counter tests: the Familienbüro's Kita service (the applying tests'
three-step form) with a fee, and a clerk of that team past the second factor."""

from __future__ import annotations

import pytest

from smartcity.administration.models import FeeSchedule
from smartcity.core import roles
from smartcity.core.models import Team
from tests.administration.applying.factories import make_service, make_user
from tests.staff import verified_login

KITA_FEE = {"lines": [{"key": "anmeldung", "label": "Anmeldung", "amount": 1500}]}
IDENTITY = {
    "vorname": "Aylin",
    "familienname": "Demir",
    "strasse": "Theodor-Heuss-Platz 16",
    "plz": "59065",
    "ort": "Hamm",
    "email": "Aylin.Demir@example.org",
}


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    yield tmp_path


@pytest.fixture
def team(db):
    return Team.objects.create(key="familienbuero", name="Familienbüro")


@pytest.fixture
def service(team):
    found = make_service()
    found.team = team
    found.save()
    FeeSchedule.objects.create(service=found, rules=KITA_FEE)
    return found


def make_clerk(name: str = "sachbearbeitung", team: str = "familienbuero"):
    clerk = make_user(name, f"{name}@hamm.example")
    roles.grant(clerk, "clerk", team)
    return clerk


@pytest.fixture
def clerk(client, service):
    found = make_clerk()
    verified_login(client, found)
    return found
