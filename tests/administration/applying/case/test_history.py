"""The steps of applying and paying write the case's history themselves: submitting,
co-signing, a completed payment."""

from __future__ import annotations

import pytest

from smartcity.administration.applying import services as applying
from smartcity.administration.models import Application, Payment
from smartcity.administration.payments import status
from tests.administration.applying import helpers

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


def test_submitting_writes_the_history(client, parent, service):
    client.force_login(parent)
    public_id = helpers.start(client)
    helpers.fill(client, public_id)
    assert helpers.submit(client, public_id).status_code == 302
    application = Application.objects.get(public_id=public_id)
    (event,) = application.events.all()
    assert event.kind == "submitted" and event.actor == "applicant"
    page = client.get(f"/service/meine-antraege/{public_id}/").content.decode()
    assert "Ihr Antrag ist bei uns eingegangen." in page


def test_submitting_and_co_signing_write_the_history(parent, service):
    service.form = {**service.form, "cosign": False}
    draft = Application.objects.create(service=service, applicant=parent, data={})
    second = type(parent).objects.create_user("vater", "vater@example.org", "pw")
    draft.cosigner_email = "vater@example.org"
    draft.save()
    applying.cosign(draft, second)
    assert [e.kind for e in draft.events.all()] == ["cosigned"]
    assert draft.events.get().actor == "applicant"


def test_a_completed_payment_goes_into_the_history(application, service):
    payment = Payment.objects.create(
        kassenzeichen="5260000001", service=service, case_ref=application.reference,
        amount=1000, owner=application.applicant,
    )  # fmt: skip
    status.move(payment, Payment.COMPLETED, actor="test")
    (event,) = application.events.all()
    assert event.kind == "payment_completed" and event.actor == "system"
    assert event.text == "Ihre Zahlung ist eingegangen. Vielen Dank."
