"""The pages of /service/zahlung/: what they show, and bad input answered with a 4xx that
says what is wrong (unknown or someone else's payment, no CSRF token, no way chosen,
an unknown provider, an oversized webhook)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from smartcity.administration.models import Payment
from smartcity.core.audit import AuditEvent
from tests.administration.payments.conftest import payment_of
from tests.staff import verified_login


def test_the_pay_page_lists_fees_and_the_ways(client, service) -> None:
    payment = payment_of(service)
    page = client.get(f"/service/zahlung/{payment.public_id}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Geburtsurkunde" in text and "24,00 €" in text and payment.kassenzeichen in text
    assert 'value="bank-transfer"' in text and 'value="testpay"' not in text  # not configured


def test_bank_transfer_shows_the_details_the_girocode_and_the_invoice(client, service) -> None:
    payment = payment_of(service)
    answer = client.post(f"/service/zahlung/{payment.public_id}/", {"provider": "bank-transfer"})
    assert answer.status_code == 302
    assert answer["Location"] == f"/service/zahlung/{payment.public_id}/ueberweisung/"
    payment.refresh_from_db()
    assert (payment.status, payment.provider) == (Payment.PROCESSING, "bank-transfer")
    text = client.get(answer["Location"]).content.decode()
    assert "DE02 1203 0000 0000 2020 51" in text and '<svg width="' in text
    assert "<title>GiroCode für die Überweisung von 24,00 €</title>" in text
    pdf = client.get(f"/service/zahlung/{payment.public_id}/zahlungsaufforderung.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_unknown_and_other_peoples_payments_are_not_found(client, service) -> None:
    assert client.get("/service/zahlung/nichtda/").status_code == 404
    owner = User.objects.create_user("anna", password="a-long-test-password")
    payment = payment_of(service, owner=owner)
    assert client.get(f"/service/zahlung/{payment.public_id}/").status_code == 404
    client.force_login(User.objects.create_user("bert", password="a-long-test-password"))
    assert client.get(f"/service/zahlung/{payment.public_id}/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/service/zahlung/{payment.public_id}/").status_code == 200


def test_a_post_without_csrf_token_is_refused(service) -> None:
    payment = payment_of(service)
    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(f"/service/zahlung/{payment.public_id}/", {"provider": "bank-transfer"})
    assert answer.status_code == 403
    assert Payment.objects.get(pk=payment.pk).status == Payment.STARTED


@pytest.mark.parametrize("way", ["", "testpay", "nix"])
def test_no_or_an_unoffered_way_is_a_clear_400(client, service, way) -> None:
    payment = payment_of(service)
    answer = client.post(f"/service/zahlung/{payment.public_id}/", {"provider": way})
    assert answer.status_code == 400
    assert "Bitte wählen Sie, wie Sie bezahlen möchten." in answer.content.decode()


def test_a_closed_payment_cannot_be_started_again(client, service) -> None:
    payment = payment_of(service)
    Payment.objects.filter(pk=payment.pk).update(status=Payment.COMPLETED)
    answer = client.post(f"/service/zahlung/{payment.public_id}/", {"provider": "bank-transfer"})
    assert answer.status_code == 409
    assert "Diese Gebühr ist bezahlt" in answer.content.decode()


def test_webhooks_refuse_what_they_cannot_take(client, monkeypatch) -> None:
    assert client.get("/service/zahlung/webhook/testpay/").status_code == 405
    unknown = client.post("/service/zahlung/webhook/epaybl/", b"{}", "application/json")
    assert unknown.status_code == 404 and "epaybl" in unknown.json()["error"]
    bank = client.post("/service/zahlung/webhook/bank-transfer/", b"{}", "application/json")
    assert bank.status_code == 404 and "no webhook" in bank.json()["error"]
    monkeypatch.setenv("SMARTCITY_PAYMENT_WEBHOOK_MAX_BYTES", "1024")
    big = client.post("/service/zahlung/webhook/bank-transfer/", b"x" * 2000, "application/json")
    assert big.status_code == 413


def test_the_return_page_says_in_plain_words_where_the_payment_is(client, service) -> None:
    payment = payment_of(service)
    page = client.get(f"/service/zahlung/{payment.public_id}/zurueck/bank-transfer/")
    assert "Ihre Zahlung wird noch bearbeitet" in page.content.decode()
    assert client.get(f"/service/zahlung/{payment.public_id}/zurueck/nix/").status_code == 404


@pytest.mark.django_db(databases=["default", "audit"])  # opening a payment is audited
def test_the_back_office_lists_payments_with_their_history(client, service) -> None:
    payment = payment_of(service)
    admin = User.objects.create_superuser("admin", "a@example.org", "a-long-password")
    verified_login(client, admin)
    listing = client.get("/admin/administration/payment/")
    assert listing.status_code == 200 and payment.kassenzeichen in listing.content.decode()
    detail = client.get(f"/admin/administration/payment/{payment.pk}/change/")
    assert detail.status_code == 200 and "applying" in detail.content.decode()
    (read,) = AuditEvent.objects.all()
    assert (read.object_type, read.object_id) == ("administration.payment", payment.public_id)
    assert client.get("/admin/administration/bankcredit/").status_code == 200
    assert client.get("/admin/administration/feeschedule/").status_code == 200
