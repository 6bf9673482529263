"""Fixtures of the notice tests: a Familienbüro service with a fee schedule and two
templates, a submitted application with the parent's name and address in its data, its
clerk and a clerk of another team, the city's account for the GiroCode, and the real
task queue running at once (so the e-mail lands in the test outbox)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from smartcity.administration.models import Application, FeeSchedule, NoticeTemplate, Office
from smartcity.core import roles
from smartcity.core.models import Team
from tests.administration.applying.case.conftest import queue_now  # noqa: F401
from tests.administration.applying.factories import make_service, make_user

IBAN, BIC = "DE02120300000000202051", "BYLADEM1001"
FEES = {"lines": [{"key": "urkunde", "label": "Urkunde", "amount": 1200, "further": 600,
                   "quantity": {"field": "anzahl"}}]}  # fmt: skip
DATA = {
    "eltern": {"vorname": "Anna", "familienname": "Schulte"},
    "anschrift": {"strasse": "Weststraße 12", "plz": "59065", "ort": "Hamm"},
    "anzahl": 2,
}


@pytest.fixture(autouse=True)
def city_account(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTCITY_PAYMENT_IBAN", IBAN)
    monkeypatch.setenv("SMARTCITY_PAYMENT_BIC", BIC)


@pytest.fixture
def service(db: Any) -> Any:
    found = make_service()
    found.team = Team.objects.create(key="familienbuero", name="Familienbüro")
    found.office = Office.objects.create(
        key="frh", name="Familienrathaus Hamm", address="Theodor-Heuss-Platz 16\n59065 Hamm"
    )
    found.save(update_fields=["team", "office"])
    FeeSchedule.objects.create(service=found, rules=FEES)
    return found


@pytest.fixture
def granted(service: Any) -> NoticeTemplate:
    return NoticeTemplate.objects.create(
        service=service, kind=NoticeTemplate.FEE, title="Bescheid ${aktenzeichen}",
        body="Guten Tag $name,\n\n$entscheidung\n\nDie Gebühr beträgt $gebuehr, "
        "Kassenzeichen $kassenzeichen.",
        recipient_field="eltern", address_field="anschrift",
    )  # fmt: skip


@pytest.fixture
def refused(service: Any) -> NoticeTemplate:
    return NoticeTemplate.objects.create(
        service=service, kind=NoticeTemplate.REFUSED, title="Ablehnung", with_fees=False,
        body="Abgelehnt: $entscheidung", recipient_field="eltern", address_field="anschrift",
    )  # fmt: skip


@pytest.fixture
def parent(db: Any) -> Any:
    return make_user()


@pytest.fixture
def application(service: Any, parent: Any) -> Application:
    return Application.objects.create(
        service=service, applicant=parent, status=Application.SUBMITTED,
        reference="KITA-2026-000007", submitted=timezone.now(), data=DATA,
    )  # fmt: skip


@pytest.fixture
def clerk(service: Any) -> Any:
    user = make_user("sachbearbeiterin", "clerk@stadt.example")
    roles.grant(user, "clerk", "familienbuero")
    return user


@pytest.fixture
def stranger_clerk(db: Any) -> Any:
    Team.objects.create(key="standesamt", name="Standesamt")
    user = make_user("standesbeamter", "standesamt@stadt.example")
    roles.grant(user, "clerk", "standesamt")
    return user
