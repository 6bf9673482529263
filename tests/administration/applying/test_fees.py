"""Submitting charges the service's fees: the payment is made in the submitting
transaction for the application's reference, the acknowledgement page links to paying it,
and a service without fees (or data its schedule makes free) gets no payment."""

from __future__ import annotations

import pytest
from django.utils import timezone

from smartcity.administration.applying import services
from smartcity.administration.demo import load_demo
from smartcity.administration.models import Application, Payment, Service
from tests.administration.applying.factories import make_user

pytestmark = pytest.mark.django_db


def _submitted(user, **data) -> Application:
    service = Service.objects.get(key="geburtsurkunde")
    return Application.objects.create(
        service=service, applicant=user, data=data, status=Application.SUBMITTED,
        submitted=timezone.now(), reference="GEBURT-2026-000001",
    )  # fmt: skip


def test_three_certificates_cost_the_first_and_two_further_ones(client):
    load_demo()
    user = make_user()
    application = _submitted(user, zweck="privat", anzahl=3, mehrsprachig=True)
    services._charge(application)
    payment = services.payment_of(application)
    assert payment is not None and payment.open
    assert payment.amount == 1200 + 2 * 600 + 1200
    assert payment.case_ref == application.reference and payment.owner == user
    client.force_login(user)
    html = client.get(f"/service/antrag/{application.public_id}/eingegangen/").content.decode()
    assert "36,00 €" in html
    assert f"/service/zahlung/{payment.public_id}/" in html


def test_a_certificate_for_the_kindergeld_is_free():
    load_demo()
    application = _submitted(make_user(), zweck="kindergeld", anzahl=2)
    services._charge(application)
    assert services.payment_of(application) is None
    assert not Payment.objects.exists()
