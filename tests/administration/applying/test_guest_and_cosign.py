"""A guest applies with an e-mail address and resumes from the signed link (tampered or
expired: refused); a second person co-signs with their own account, never the applicant."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.test import Client

from smartcity.administration.applying import links
from smartcity.administration.models import Application
from smartcity.core.audit import AuditEvent
from tests.administration.applying import helpers
from tests.administration.applying.factories import make_service, make_user

pytestmark = pytest.mark.django_db(databases=["default", "audit"])  # co-signers are audited


def _link(message) -> str:
    return re.search(r"http://testserver(/service/antrag/\S+/)", message.body).group(1)


def test_a_guest_applies_and_resumes_from_the_link(client):
    make_service(guest=True)
    public_id = helpers.start(client, email="Gast@Example.org")
    application = Application.objects.get(public_id=public_id)
    assert application.applicant is None and application.guest_email == "gast@example.org"
    (message,) = mail.outbox
    assert message.to == ["gast@example.org"]
    elsewhere = Client()  # another browser: nothing without the link
    assert elsewhere.get(f"/service/antrag/{public_id}/schritt/kind/").status_code == 404
    answer = elsewhere.get(_link(message))
    assert answer.status_code == 302 and answer["Location"].endswith("/schritt/kind/")
    helpers.fill(elsewhere, public_id)
    assert helpers.submit(elsewhere, public_id).status_code == 302
    assert Application.objects.get(public_id=public_id).reference.startswith("KITA-")


def test_a_guest_needs_a_valid_address(client):
    make_service(guest=True)
    for email in ("", "keine-adresse", "a@b", "x" * 300 + "@example.org"):
        answer = client.post("/service/antrag/kita-platz/", {"email": email})
        assert answer.status_code == 400 and "name@beispiel.de" in answer.content.decode()
    assert Application.objects.count() == 0


def test_a_tampered_or_expired_link_is_refused(client, monkeypatch):
    make_service(guest=True)
    public_id = helpers.start(client, email="gast@example.org")
    token = links.guest_token(public_id)
    other = Client()
    for bad in (
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        links.guest_token("someone-elses-id")[:-2] + token[-2:],
        "x" * 5000,
    ):
        answer = other.get(f"/service/antrag/weiter/{bad}/")
        assert answer.status_code == 400 and "ungültig" in answer.content.decode()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 31 * 86400)
    old = links.guest_token(public_id)
    monkeypatch.setattr(time, "time", real_time)
    answer = other.get(f"/service/antrag/weiter/{old}/")
    assert answer.status_code == 400 and "abgelaufen" in answer.content.decode()
    assert other.get(f"/service/antrag/{public_id}/schritt/kind/").status_code == 404


@pytest.fixture
def cosigned(client):
    make_service(cosign=True)
    client.force_login(make_user())
    public_id = helpers.start(client)
    helpers.fill(client, public_id)
    return public_id


def test_a_second_person_co_signs_before_it_can_be_submitted(client, cosigned):
    assert helpers.submit(client, cosigned).status_code == 409
    own = client.post(f"/service/antrag/{cosigned}/pruefen/", {"cosigner": "mutter@example.org"})
    assert own.status_code == 400
    answer = client.post(f"/service/antrag/{cosigned}/pruefen/", {"cosigner": "vater@example.org"})
    assert answer.status_code == 200 and "Einladung ist verschickt" in answer.content.decode()
    (message,) = mail.outbox
    assert message.to == ["vater@example.org"]
    link = re.search(r"http://testserver(/service/antrag/mitzeichnen/\S+/)", message.body).group(1)
    assert client.post(link).status_code == 403  # the applicant cannot co-sign themselves
    stranger = Client()
    stranger.force_login(make_user("fremd", "fremd@example.org"))
    assert stranger.post(link).status_code == 403
    assert stranger.get(link).status_code == 403  # nor read by someone not invited
    assert Client().get(link).status_code == 302  # to the login
    father = Client()
    father.force_login(make_user("vater", "vater@example.org"))
    page = father.get(link)
    assert page.status_code == 200 and "Mia" in page.content.decode()
    assert father.post(link).status_code == 200
    application = Application.objects.get(public_id=cosigned)
    assert application.cosigner.username == "vater" and application.cosigned
    reads = AuditEvent.objects.filter(object_id=cosigned, purpose="cosign")
    assert reads.count() == 2 and {e.actor_id for e in reads} == {application.cosigner_id}
    assert father.get(f"/service/antrag/{cosigned}/pruefen/").status_code == 404
    assert helpers.submit(client, cosigned).status_code == 302


def test_a_change_after_co_signing_needs_a_new_signature(client, cosigned):
    client.post(f"/service/antrag/{cosigned}/pruefen/", {"cosigner": "vater@example.org"})
    link = re.search(r"(/service/antrag/mitzeichnen/\S+/)", mail.outbox[0].body).group(1)
    father = Client()
    father.force_login(make_user("vater", "vater@example.org"))
    father.post(link)
    client.post(
        f"/service/antrag/{cosigned}/schritt/betreuung/",
        {"betreuung": "45", "beginn": "2026-08-01", "_action": "weiter"},
    )
    assert Application.objects.get(public_id=cosigned).cosigned is None
    assert helpers.submit(client, cosigned).status_code == 409


def test_an_earlier_invitation_is_void(client, cosigned):
    for email in ("vater@example.org", "oma@example.org"):
        client.post(f"/service/antrag/{cosigned}/pruefen/", {"cosigner": email})
    first = re.search(r"(/service/antrag/mitzeichnen/\S+/)", mail.outbox[0].body).group(1)
    father = Client()
    father.force_login(make_user("vater", "vater@example.org"))
    assert father.get(first).status_code == 404
