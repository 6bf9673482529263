"""Payment provider plug-ins: one small Protocol and a registry.

A provider is an object with the methods of :class:`Provider`; an app declares its
providers in its ``platform.py`` as ``Domain(payment_providers=("pkg.module:PROVIDER",))``
(the built-in ones, bank transfer and the test provider, are declared the same way by
the administration domain), and ``SMARTCITY_PAYMENT_PROVIDERS`` names the ones a city
offers, in the order the pay page lists them. docs/administration.md ("Paying") says what
each method must do, for an ePayBL adapter to follow.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol
from urllib.parse import urljoin

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from smartcity.core import config, contract
from smartcity.core.contract import Text


class ProviderError(Exception):
    """The provider refused or could not be reached; the message is for the log and
    the clerk, the citizen is told in plain words that paying did not work."""


class WebhookRefused(Exception):
    """A webhook that is not taken: wrong signature, too old, replayed, or malformed.
    Nothing was changed; ``status`` is the HTTP answer's."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Provider(Protocol):
    name: str  # the key in SMARTCITY_PAYMENT_PROVIDERS and in URLs, e.g. "bank-transfer"
    title: Text  # what the pay page offers, e.g. "Überweisung"
    description: Text  # one plain sentence under it

    def available(self) -> bool: ...  # configured (keys, addresses), so it may be offered

    def origins(self) -> list[str]: ...  # where start() may send the browser (CSP form-action)

    def start(self, payment: Any, return_url: str) -> str: ...  # the URL to redirect to

    def handle_return(self, request: HttpRequest, payment: Any) -> None: ...  # ask, update

    def handle_webhook(self, request: HttpRequest) -> HttpResponse: ...  # WebhookRefused

    def refund(self, payment: Any, *, actor: str) -> None: ...  # ProviderError


_registered: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add a provider (a third-party one is declared in Domain.payment_providers)."""
    _registered[provider.name] = provider


@cache
def _declared() -> None:
    for domain in contract.domains():
        for dotted in domain.payment_providers:
            register(contract.resolve(dotted))


def installed() -> dict[str, Provider]:
    _declared()
    return dict(_registered)


def enabled() -> list[Provider]:
    """The providers SMARTCITY_PAYMENT_PROVIDERS names that are installed and configured."""
    known = installed()
    names = [n.strip() for n in config.get("PAYMENT_PROVIDERS").split(",") if n.strip()]
    return [known[n] for n in names if n in known and known[n].available()]


def get(name: str) -> Provider:
    """An enabled provider by name; LookupError for any other."""
    for provider in enabled():
        if provider.name == name:
            return provider
    raise LookupError(name)


def webhook_url(return_url: str, name: str) -> str:
    """The address of ``name``'s webhook on the same host as ``return_url``."""
    return urljoin(return_url, reverse("payments:webhook", args=[name]))
