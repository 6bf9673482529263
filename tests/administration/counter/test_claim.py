"""The rule for Meine Anträge: an application a clerk entered shows in a citizen's account
only once they claim it, signed in with the confirmed address the clerk took and the code
of its printed acknowledgement; never for another person."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from smartcity.administration.counter.services import claim_code
from smartcity.administration.models import Application
from smartcity.core.models import Registration
from tests.administration.applying.factories import make_user
from tests.administration.counter.test_views import paper

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


@pytest.fixture
def entered(client, clerk) -> Application:
    assert paper(client).status_code == 302
    return Application.objects.get()


def citizen(email: str = "aylin.demir@example.org", confirmed: bool = True) -> Client:
    user = make_user(email, email)
    Registration.objects.create(user=user, confirmed_at=timezone.now() if confirmed else None)
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_citizen_claims_it_with_the_code_and_sees_it(entered) -> None:
    browser = citizen()
    mine = browser.get("/service/meine-antraege/").content.decode()
    assert "/service/meine-antraege/hinzufuegen/" in mine
    assert browser.get("/service/meine-antraege/hinzufuegen/").status_code == 200
    code = claim_code(entered).lower().replace("-", " ")  # as typed from the paper
    answer = browser.post("/service/meine-antraege/hinzufuegen/", {"code": code})
    assert answer.status_code == 302 and entered.public_id in answer["Location"]
    entered.refresh_from_db()
    assert entered.applicant is not None and entered.applicant.email == "aylin.demir@example.org"
    assert entered.reference in browser.get("/service/meine-antraege/").content.decode()


def test_a_wrong_code_is_a_400_and_shows_nothing(entered) -> None:
    browser = citizen()
    answer = browser.post("/service/meine-antraege/hinzufuegen/", {"code": "ABCD-EFGH-IJKL"})
    assert answer.status_code == 400 and "keinen Antrag" in answer.content.decode()
    assert Application.objects.get().applicant is None
    assert browser.get(f"/service/meine-antraege/{entered.public_id}/").status_code == 404


def test_the_right_code_from_another_account_is_refused(entered) -> None:
    other = citizen("jemand@example.org")
    answer = other.post("/service/meine-antraege/hinzufuegen/", {"code": claim_code(entered)})
    assert answer.status_code == 400 and Application.objects.get().applicant is None


def test_an_unconfirmed_address_cannot_claim(entered) -> None:
    browser = citizen(confirmed=False)
    answer = browser.post("/service/meine-antraege/hinzufuegen/", {"code": claim_code(entered)})
    assert answer.status_code == 403 and Application.objects.get().applicant is None


def test_claiming_needs_an_account(entered) -> None:
    answer = Client().post("/service/meine-antraege/hinzufuegen/", {"code": claim_code(entered)})
    assert answer.status_code == 302 and "/konto/anmelden/" in answer["Location"]
