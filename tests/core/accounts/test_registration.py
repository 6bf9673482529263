"""Citizens register: the confirmation mail reaches a real SMTP server through the real
task consumer, its link confirms the account (role citizen) and then the login works;
expired, tampered and used links are refused; a known address is answered exactly like
an unknown one (its owner is told); a new password by mail."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.test import Client

from smartcity.core import roles
from smartcity.core.accounts.login import registration
from smartcity.core.accounts.login.models import Registration
from tests.core.accounts.conftest import PASSWORD, link_path

pytestmark = pytest.mark.django_db
ADDRESS = "Mia.Muster@example.org"


def _register(client: Client, email: str = ADDRESS, password: str = PASSWORD):
    data = {"email": email, "password1": password, "password2": password}
    return client.post("/konto/registrieren/", data)


def _login(client: Client, email: str = ADDRESS, password: str = PASSWORD):
    return client.post("/konto/anmelden/", {"username": email, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _shown(answer) -> str:
    """The page without the address typed and the CSRF token (new in every answer)."""
    text = answer.content.decode()
    for typed in (ADDRESS, "mia.muster@example.org", "neu@example.org", "nie@example.org"):
        text = text.replace(typed, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_register_confirm_by_the_mailed_link_then_log_in(client, inbox):
    answer = _register(client)
    assert answer.status_code == 200
    assert "Bitte sehen Sie in Ihr Postfach" in answer.content.decode()
    user = User.objects.get()
    assert user.username == user.email == "mia.muster@example.org" and not user.is_active
    assert _login(client).status_code == 200 and not _logged_in(client)  # not before

    (mail,) = inbox.wait(1)
    assert mail["To"] == "mia.muster@example.org"
    assert mail["Subject"] == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert "24 Stunden" in mail.get_body(("plain",)).get_content()
    confirmed = client.get(link_path(mail))
    assert confirmed.status_code == 200 and "E-Mail-Adresse bestätigt" in confirmed.content.decode()
    user.refresh_from_db()
    assert user.is_active and roles.held(user) == {"citizen": frozenset({None})}

    answer = _login(client, "MIA.muster@example.org")  # the address in any case
    assert answer.status_code == 302 and answer["Location"] == "/" and _logged_in(client)
    assert client.get(link_path(mail)).status_code == 400  # a link is good once


def test_a_weak_password_or_two_different_ones_are_refused(client):
    answer = _register(client, password="123456789012")
    assert answer.status_code == 400 and not User.objects.exists()
    page = answer.content.decode()
    assert 'aria-invalid="true"' in page and "id_password1_error" in page
    data = {"email": ADDRESS, "password1": PASSWORD, "password2": PASSWORD + "x"}
    answer = client.post("/konto/registrieren/", data)
    assert answer.status_code == 400 and "nicht gleich" in answer.content.decode()
    assert client.post("/konto/registrieren/", {"email": "kein-at"}).status_code == 400


def test_a_tampered_link_is_refused(client, inbox):
    _register(client)
    path = link_path(inbox.wait(1)[0])
    token = path.split("/")[3]
    claims = signing.loads(token, salt=registration.CONFIRM_SALT)
    other = User.objects.create_user("other@example.org", is_active=False)
    forged = signing.dumps({"u": other.pk, "f": claims["f"]}, salt="not-ours")
    for bad in (token[:-2] + "xx", forged, "x" * 500):
        answer = client.get(f"/konto/bestaetigen/{bad}/")
        assert answer.status_code == 400
        assert "Dieser Link gilt nicht" in answer.content.decode()
    assert not User.objects.filter(is_active=True).exists()


def test_an_expired_link_is_refused(client, settings, monkeypatch):
    _register(client)
    user = User.objects.get()
    hours = 24
    past = int(time.time()) - hours * 3600 - 5
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(past))
        token = registration.confirmation_token(user)
    answer = client.get(f"/konto/bestaetigen/{token}/")
    assert answer.status_code == 400 and "abgelaufen" in answer.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_a_known_address_is_answered_like_an_unknown_one(client, inbox):
    User.objects.create_user("mia.muster@example.org", "mia.muster@example.org", PASSWORD)
    known = _register(client, ADDRESS, PASSWORD + "-neu")
    unknown = _register(Client(), "neu@example.org", PASSWORD)
    assert known.status_code == unknown.status_code == 200
    assert _shown(known) == _shown(unknown)
    assert User.objects.count() == 2  # no second account
    mails = {m["To"]: m for m in inbox.wait(2)}
    assert mails["mia.muster@example.org"]["Subject"] == "Ihr Konto besteht schon"
    assert "/konto/anmelden/" in mails["mia.muster@example.org"].get_body(("plain",)).get_content()
    assert _login(Client(), ADDRESS, PASSWORD).status_code == 302  # the password stays


def test_a_pending_registration_again_gets_a_new_link_and_voids_the_old(client, inbox, settings):
    _register(client)
    first = link_path(inbox.wait(1)[0])
    Registration.objects.update(mailed_at=None)  # past the mail interval
    _register(client, password=PASSWORD + "-zwei")
    second = link_path(inbox.wait(2)[1])
    assert client.get(first).status_code == 400  # the old password's link
    assert client.get(second).status_code == 200
    assert _login(client, ADDRESS, PASSWORD + "-zwei").status_code == 302


def test_resending_within_the_interval_sends_nothing_more(client, inbox):
    _register(client)
    inbox.wait(1)
    answer = client.post("/konto/bestaetigen-erneut/", {"email": ADDRESS})
    assert answer.status_code == 200
    unknown = client.post("/konto/bestaetigen-erneut/", {"email": "nie@example.org"})
    assert _shown(unknown) == _shown(answer)
    Registration.objects.update(mailed_at=None)
    client.post("/konto/bestaetigen-erneut/", {"email": ADDRESS})
    assert len(inbox.wait(2)) == 2
    time.sleep(0.5)
    assert len(inbox.envelopes) == 2


def test_a_new_password_by_mail(client, inbox):
    User.objects.create_user("mia.muster@example.org", "mia.muster@example.org", "alt-" + PASSWORD)
    answer = client.post("/konto/passwort-vergessen/", {"email": ADDRESS})
    unknown = client.post("/konto/passwort-vergessen/", {"email": "nie@example.org"})
    assert answer.status_code == unknown.status_code == 200
    (mail,) = inbox.wait(1)
    assert mail["Subject"] == "Neues Passwort für Ihr Konto"
    form = client.get(link_path(mail), follow=True)  # the token moves to the session
    assert form.status_code == 200 and "Neues Passwort festlegen" in form.content.decode()
    new = {"new_password1": PASSWORD, "new_password2": PASSWORD}
    done = client.post(form.redirect_chain[-1][0], new, follow=True)
    assert "Passwort gespeichert" in done.content.decode()
    assert _login(Client(), ADDRESS, PASSWORD).status_code == 302
    again = Client().get(link_path(mail), follow=True)
    assert "Dieser Link gilt nicht" in again.content.decode()  # used once
