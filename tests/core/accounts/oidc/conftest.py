"""Fixtures of the OIDC login tests: the test provider (tests/oidc_provider, a process of
its own) registered for the live server's callback, the platform configured for it, and
a real HTTP client that walks the provider's login form and consent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from tests.oidc_provider.seed import PASSWORD, SECRET
from tests.oidc_provider.server import running_provider

CALLBACK = "/konto/oidc/rueckkehr/"
LOGGED_OUT = "/konto/oidc/abgemeldet/"


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The provider's issuer URL; its clients know the live server's callback."""
    folder = tmp_path_factory.mktemp("oidc-provider")
    base = live_server.url
    with running_provider(folder, base + CALLBACK, base + LOGGED_OUT) as issuer:
        yield issuer


@dataclass
class Broker:
    issuer: str
    base: str  # the platform (the live server)

    def use_client(self, monkeypatch: pytest.MonkeyPatch, client_id: str) -> None:
        monkeypatch.setenv("SMARTCITY_OIDC_CLIENT_ID", client_id)
        if client_id == "public":
            monkeypatch.setenv("SMARTCITY_OIDC_CLIENT_SECRET", "")


@pytest.fixture
def oidc(
    oidc_provider: str,
    live_server: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    transactional_db: None,
) -> Broker:
    """The platform configured for the test provider (client ``smartcity``)."""
    monkeypatch.setenv("SMARTCITY_OIDC_ISSUER", oidc_provider)
    monkeypatch.setenv("SMARTCITY_OIDC_CLIENT_ID", "smartcity")
    monkeypatch.setenv("SMARTCITY_OIDC_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("SMARTCITY_PUBLIC_URL", live_server.url)
    # the HTTP client speaks plain http to the live server: cookies without Secure
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return Broker(oidc_provider, live_server.url)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.forms.append({"action": found.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and found.get("name") and _kept(found.get("type")):
            self.forms[-1]["fields"][found["name"]] = found.get("value") or ""


def _kept(kind: str | None) -> bool:
    return kind in ("hidden", None, "text")  # not the submit buttons


def submit(
    http: httpx.Client, page: httpx.Response, data: dict[str, str], index: int = 0
) -> httpx.Response:
    """Post a form of ``page`` (not the language switch) with its hidden fields and ``data``."""
    parser = _Forms()
    parser.feed(page.text)
    forms = [f for f in parser.forms if f["action"] != "/i18n/setlang/"]
    assert forms, f"no form at {page.url}: {page.text[:500]}"
    form = forms[index]
    target = urljoin(str(page.url), form["action"]) if form["action"] else str(page.url)
    return http.post(target, data={**form["fields"], **data})


def http_client() -> httpx.Client:
    return httpx.Client(follow_redirects=True, timeout=30)


def provider_login(
    http: httpx.Client, page: httpx.Response, person: str = "erika", allow: bool = True
) -> httpx.Response:
    """From the provider's login form (unless logged in there already) through its
    consent back to the platform."""
    consent = page
    if "/accounts/login/" in str(page.url):
        consent = submit(http, page, {"username": person, "password": PASSWORD})
    assert 'id="authorizationForm"' in consent.text, consent.text[:500]
    return submit(http, consent, {"allow": "Authorize"} if allow else {})


def oidc_login(
    http: httpx.Client, broker: Broker, person: str = "erika", next_path: str = ""
) -> httpx.Response:
    start = broker.base + "/konto/oidc/anmelden/" + (f"?next={next_path}" if next_path else "")
    return provider_login(http, http.get(start), person)
