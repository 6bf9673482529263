"""The login through the identity broker end to end, over HTTP against the test provider
(a process of its own): the provider's login form and consent, claims mapped to the
account, logout at the provider, and every refusal a German page, never a 500."""

from __future__ import annotations

import logging
import socket
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.auth.models import User

from smartcity.core import roles
from smartcity.core.models import OidcIdentity
from tests.core.accounts.conftest import PASSWORD as PLATFORM_PASSWORD
from tests.core.accounts.oidc.conftest import (
    LOGGED_OUT,
    http_client,
    oidc_login,
    provider_login,
    submit,
)
from tests.oidc_provider.seed import SECRET
from tests.oidc_provider.server import free_port


def test_first_login_creates_a_citizen_with_the_mapped_claims(oidc):
    with http_client() as http:
        page = oidc_login(http, oidc, next_path="/service/")
        assert page.status_code == 200
        assert str(page.url) == oidc.base + "/service/"
        identity = OidcIdentity.objects.select_related("user").get()
        user = identity.user
        assert identity.issuer == oidc.issuer and identity.subject
        assert (user.email, user.first_name, user.last_name) == (
            "erika.mustermann@example.org",
            "Erika",
            "Mustermann",
        )
        assert roles.held(user) == {"citizen": frozenset({None})}
        assert not user.has_usable_password()
        # logged in: the header offers "Abmelden"
        assert "/konto/abmelden/" in http.get(oidc.base + "/").text


def test_a_second_login_is_the_same_account(oidc):
    for _ in range(2):
        with http_client() as http:
            assert oidc_login(http, oidc).status_code == 200
    assert User.objects.count() == 1 and OidcIdentity.objects.count() == 1


def test_an_unverified_address_is_not_taken(oidc):
    with http_client() as http:
        assert oidc_login(http, oidc, person="max").status_code == 200
    user = OidcIdentity.objects.get().user
    assert user.email == "" and user.first_name == "Max"


def test_the_public_client_logs_in_with_pkce_alone(oidc, monkeypatch):
    oidc.use_client(monkeypatch, "public")
    with http_client() as http:
        assert oidc_login(http, oidc).status_code == 200
    assert OidcIdentity.objects.count() == 1


def test_logout_ends_the_session_at_the_provider_too(oidc):
    with http_client() as http:
        oidc_login(http, oidc)
        form = http.get(oidc.base + "/konto/abmelden/")
        hops: list[str] = []
        http.event_hooks["request"] = [lambda request: hops.append(str(request.url))]
        done = submit(http, form, {})
        provider_hop = next(url for url in hops if url.startswith(oidc.issuer + "/logout/"))
        query = parse_qs(urlsplit(provider_hop).query)
        assert query["post_logout_redirect_uri"] == [oidc.base + LOGGED_OUT]
        assert query["id_token_hint"][0].count(".") == 2
        assert str(done.url).startswith(oidc.base + LOGGED_OUT)
        assert "Sie sind abgemeldet" in done.text
        assert "/konto/anmelden/" in http.get(oidc.base + "/").text  # logged out here
        # ... and at the provider: a new login asks for the password again
        again = http.get(oidc.base + "/konto/oidc/anmelden/")
        assert "/accounts/login/" in str(again.url)


def test_a_second_login_in_the_same_browser_skips_the_providers_password(oidc):
    with http_client() as http:
        oidc_login(http, oidc)
        http.cookies.delete("sessionid")
        page = http.get(oidc.base + "/konto/oidc/anmelden/")
        assert "/o/authorize/" in str(page.url)  # straight to the consent


def test_the_oidc_logout_url_takes_a_post_only(oidc):
    with http_client() as http:
        oidc_login(http, oidc)
        assert http.get(oidc.base + "/konto/oidc/abmelden/").status_code == 405


@pytest.mark.parametrize("client_id", ["tampered", "expired"])
def test_a_tampered_or_expired_id_token_is_refused(oidc, monkeypatch, client_id):
    oidc.use_client(monkeypatch, client_id)
    with http_client() as http:
        page = oidc_login(http, oidc)
        assert page.status_code == 400
        assert "konnten nicht bestätigt werden" in page.text
        assert "/konto/anmelden/" in http.get(oidc.base + "/").text  # not logged in
    assert not OidcIdentity.objects.exists() and not User.objects.exists()


def test_a_wrong_state_is_refused(oidc):
    with http_client() as http:
        page = http.get(oidc.base + "/konto/oidc/anmelden/")
        consent = submit(http, page, {"username": "erika", "password": "provider-passwort"})
        http.follow_redirects = False
        answer = submit(http, consent, {"allow": "Authorize"})
        callback = answer.headers["location"]
        assert callback.startswith(oidc.base + "/konto/oidc/rueckkehr/")
        code = parse_qs(urlsplit(callback).query)["code"][0]
        wrong = http.get(oidc.base + f"/konto/oidc/rueckkehr/?code={code}&state=forged")
        assert wrong.status_code == 400
        assert "gehört zu keiner Anmeldung" in wrong.text
        # the right state works once, not twice
        assert http.get(callback).status_code == 302
        assert http.get(callback).status_code == 400
    assert OidcIdentity.objects.count() == 1


def test_a_refusal_at_the_provider_is_a_clear_page(oidc):
    with http_client() as http:
        page = provider_login(http, http.get(oidc.base + "/konto/oidc/anmelden/"), allow=False)
        assert page.status_code == 403
        assert "abgebrochen oder abgelehnt" in page.text


def test_the_provider_down_is_a_clear_page(oidc, monkeypatch):
    monkeypatch.setenv("SMARTCITY_OIDC_ISSUER", f"http://127.0.0.1:{free_port()}/o")
    monkeypatch.setenv("SMARTCITY_OIDC_TIMEOUT", "2")
    with http_client() as http:
        page = http.get(oidc.base + "/konto/oidc/anmelden/")
        assert page.status_code == 503 and page.headers["retry-after"]
        assert "gerade nicht erreichbar" in page.text


def test_an_existing_address_is_not_taken_over_but_linked_when_logged_in(oidc):
    owner = User.objects.create_user(
        "erika.mustermann@example.org", "erika.mustermann@example.org", PLATFORM_PASSWORD
    )
    roles.grant(owner, "citizen")
    with http_client() as http:
        refused = oidc_login(http, oidc)
        assert refused.status_code == 409 and "schon ein Konto" in refused.text
        assert not OidcIdentity.objects.exists()
        # the owner logs in with the password and links the identity
        login = http.get(refused.url.join("/konto/anmelden/?next=/konto/oidc/verknuepfen/"))
        data = {"username": owner.username, "password": PLATFORM_PASSWORD}
        link_page = submit(http, login, data)
        assert str(link_page.url) == oidc.base + "/konto/oidc/verknuepfen/"
        linked = provider_login(http, submit(http, link_page, {}))
        assert str(linked.url) == oidc.base + "/konto/oidc/verknuepfen/"
        assert "ist mit einem Servicekonto verknüpft" in linked.text
    assert OidcIdentity.objects.get().user == owner
    with http_client() as http:  # from now on the broker's login is that account
        oidc_login(http, oidc)
    assert User.objects.count() == 1


def test_failed_callbacks_are_counted_and_locked_out(oidc, settings, caplog):
    settings.AXES_FAILURE_LIMIT = 2
    with http_client() as http:
        http.get(oidc.base + "/konto/oidc/anmelden/")  # a login started, its state unknown
        answers = [
            http.get(oidc.base + "/konto/oidc/rueckkehr/?code=x&state=forged").status_code
            for _ in range(3)
        ]
    assert answers[0] == 400 and answers[-1] == 429
    assert any("login failed: username='oidc:" in r.getMessage() for r in caplog.records)


def test_without_configuration_there_is_no_button_and_no_oidc(
    live_server, settings, transactional_db
):
    with httpx.Client() as http:
        login = http.get(live_server.url + "/konto/anmelden/")
        assert "Servicekonto" not in login.text
        assert http.get(live_server.url + "/konto/oidc/anmelden/").status_code == 404


def test_the_login_page_shows_the_configured_button(oidc, monkeypatch):
    with httpx.Client() as http:
        page = http.get(oidc.base + "/konto/anmelden/?next=/service/").text
        assert "Mit BundID / Servicekonto anmelden" in page
        assert 'href="/konto/oidc/anmelden/?next=/service/"' in page
        monkeypatch.setenv("SMARTCITY_OIDC_BUTTON_LABEL", "Mit dem Hamm-Konto anmelden")
        assert "Mit dem Hamm-Konto anmelden" in http.get(oidc.base + "/konto/anmelden/").text


def test_staff_linked_to_the_broker_still_pass_the_second_factor(oidc):
    from smartcity.core.models import Team

    Team.objects.create(key="standesamt", name="Standesamt")
    clerk = User.objects.create_user("clerk@hamm.example", "clerk@hamm.example", PLATFORM_PASSWORD)
    roles.grant(clerk, "clerk", "standesamt")
    # erika's subject at the provider (its first user) linked to the clerk's account
    OidcIdentity.objects.create(user=clerk, issuer=oidc.issuer, subject="1")
    with http_client() as http:
        page = oidc_login(http, oidc, next_path="/service/")
        # no device yet: on to enrolling one, the service page only after that
        assert str(page.url).startswith(oidc.base + "/konto/zwei-faktoren/")
        assert http.get(oidc.base + "/service/").url.path != "/service/"


def test_a_provider_that_never_answers_is_given_up_after_the_timeout(oidc, monkeypatch):
    with socket.socket() as silent:  # takes the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        monkeypatch.setenv("SMARTCITY_OIDC_ISSUER", f"http://127.0.0.1:{silent.getsockname()[1]}/o")
        monkeypatch.setenv("SMARTCITY_OIDC_TIMEOUT", "0.5")
        began = time.monotonic()
        with http_client() as http:
            page = http.get(oidc.base + "/konto/oidc/anmelden/")
        assert page.status_code == 503 and time.monotonic() - began < 5


def test_the_client_secret_is_never_logged(oidc, caplog):
    caplog.set_level(logging.DEBUG)
    with http_client() as http:
        oidc_login(http, oidc)
        submit(http, http.get(oidc.base + "/konto/abmelden/"), {})
    assert caplog.records  # the login was logged, at DEBUG even the libraries'
    assert not [r for r in caplog.records if SECRET in r.getMessage()]
