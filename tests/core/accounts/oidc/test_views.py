"""The OIDC pages' guards without a provider: off unless configured, CSRF on the logout,
linking only when logged in, the logout page's CSP letting its form lead to the broker."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db
BROKER = "https://login.example.de/realms/hamm"


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setenv("SMARTCITY_OIDC_ISSUER", BROKER)
    monkeypatch.setenv("SMARTCITY_OIDC_CLIENT_ID", "smartcity")


@pytest.mark.parametrize(
    "path", ["/konto/oidc/anmelden/", "/konto/oidc/rueckkehr/", "/konto/oidc/verknuepfen/"]
)
def test_the_pages_are_not_there_without_configuration(client, path):
    User.objects.create_user("someone", password="x" * 20)
    client.force_login(User.objects.get(username="someone"))
    assert client.get(path).status_code == 404


def test_the_oidc_logout_needs_the_csrf_token(configured):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/konto/oidc/abmelden/").status_code == 403


def test_linking_needs_a_login(client, configured):
    page = client.get("/konto/oidc/verknuepfen/")
    assert page.status_code == 302 and page["Location"].startswith("/konto/anmelden/")
    started = client.post("/konto/oidc/anmelden/")
    assert started.status_code == 302 and started["Location"] == "/konto/anmelden/"


def test_the_logout_page_lets_its_form_go_to_the_broker(client, configured):
    User.objects.create_user("someone", password="x" * 20)
    client.force_login(User.objects.get(username="someone"))
    policy = client.get("/konto/abmelden/")["Content-Security-Policy"]
    assert "form-action 'self' https://login.example.de" in policy
    # ... and no other page
    assert "login.example.de" not in client.get("/konto/anmelden/")["Content-Security-Policy"]


def test_a_password_session_logs_out_here_only(client, configured):
    User.objects.create_user("someone", password="x" * 20)
    client.force_login(User.objects.get(username="someone"))
    assert "_auth_user_id" in client.session
    done = client.post("/konto/abmelden/")
    assert done.status_code == 200 and "Sie sind abgemeldet" in done.content.decode()
    assert "_auth_user_id" not in client.session
