"""The city's identity broker as an authlib client (``authlib.integrations.django_client``):
the endpoints and keys from its discovery document, the Authorization Code flow with PKCE
(S256), ``state`` and ``nonce`` kept in the session, the ID token's signature checked
against the broker's keys (JWKS) and its ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``
checked. Every way this can fail ends in :class:`BrokerProblem` with a kind the views
answer in German; nothing here raises past them.

One client per configuration and server process, renewed after SMARTCITY_OIDC_METADATA_SECONDS
(a cache: a second process reads the same documents itself).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.django_client import OAuth
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext
from joserfc.errors import JoseError

from smartcity.core import config
from smartcity.core.security import origin

log = logging.getLogger("smartcity.logins")

NAME = "oidc"  # authlib's name of the client: the session keys are _state_oidc_<state>
ASYMMETRIC = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class BrokerProblem(Exception):
    """A login or logout the broker did not complete. ``kind``: ``state`` (the answer
    belongs to no login this browser started), ``denied`` (the person or the broker said
    no), ``token`` (the ID token or the code was refused), ``unavailable`` (the broker did
    not answer in time or answered nonsense)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class Login:
    """What a completed login brings: the checked claims and the raw ID token (kept in
    the session as the logout's ``id_token_hint``)."""

    issuer: str
    claims: dict[str, Any]
    id_token: str


def issuer() -> str:
    return str(config.get("OIDC_ISSUER")).strip().rstrip("/")


def configured() -> bool:
    return bool(issuer() and config.get("OIDC_CLIENT_ID").strip())


Answer = TypeVar("Answer", bound=HttpResponseBase)


def forms_may_go_to_broker(response: Answer) -> Answer:
    """Let the page's forms lead to the broker: its logout and linking buttons POST here,
    and the answer redirects there, which the CSP's form-action 'self' would stop."""
    found = origin(issuer()) if configured() else None
    if found:
        response._csp_update = {"form-action": [found]}  # type: ignore[attr-defined]
    return response


def button_label() -> str:
    return config.get("OIDC_BUTTON_LABEL").strip() or gettext("Mit BundID / Servicekonto anmelden")


def _scopes() -> str:
    scopes = config.get("OIDC_SCOPES").split()
    return " ".join(["openid", *[s for s in scopes if s != "openid"]])


def _algorithms() -> list[str]:
    found = [a.strip() for a in config.get("OIDC_SIGNING_ALGORITHMS").split(",") if a.strip()]
    return [a for a in found if a in ASYMMETRIC] or ["RS256"]


_clients: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def _key() -> str:
    secret = config.get("OIDC_CLIENT_SECRET")
    parts = (issuer(), config.get("OIDC_CLIENT_ID"), _scopes(), str(config.get("OIDC_TIMEOUT")))
    return hashlib.sha256("\n".join((*parts, secret)).encode()).hexdigest()


def broker() -> Any:
    """The authlib client of the configured broker (made anew when the configuration
    changed or the metadata is older than SMARTCITY_OIDC_METADATA_SECONDS)."""
    key, now = _key(), time.monotonic()
    with _lock:
        made = _clients.get(key)
        if made is not None and now - made[0] < config.get("OIDC_METADATA_SECONDS"):
            return made[1]
        secret = config.get("OIDC_CLIENT_SECRET") or None
        client_kwargs: dict[str, Any] = {
            "scope": _scopes(),
            "code_challenge_method": "S256",
            "default_timeout": config.get("OIDC_TIMEOUT"),
        }
        if secret is None:
            client_kwargs["token_endpoint_auth_method"] = "none"  # noqa: S105 - a public client
        registry = OAuth()
        client = registry.register(
            NAME,
            client_id=config.get("OIDC_CLIENT_ID").strip(),
            client_secret=secret,
            server_metadata_url=issuer() + "/.well-known/openid-configuration",
            client_kwargs=client_kwargs,
        )
        _clients.clear()  # one configuration at a time
        _clients[key] = (now, client)
        return client


def _metadata(client: Any) -> dict[str, Any]:
    """The discovery document, checked: it must name the configured issuer (OpenID
    Connect Discovery 1.0, 4.3), and only the allowed asymmetric algorithms are taken."""
    try:
        metadata: dict[str, Any] = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise BrokerProblem("unavailable", f"discovery: {type(error).__name__}") from None
    if str(metadata.get("issuer", "")).rstrip("/") != issuer():
        client.server_metadata.clear()
        raise BrokerProblem("unavailable", f"discovery names issuer {metadata.get('issuer')!r}")
    offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    metadata["id_token_signing_alg_values_supported"] = [
        a for a in _algorithms() if a in offered
    ] or ["RS256"]
    return metadata


def start(request: HttpRequest, redirect_uri: str, again: bool = False) -> HttpResponseRedirect:
    """The redirect to the broker's authorization endpoint (state, nonce and the PKCE
    verifier go into the session); ``again``: the broker is asked to have the person log
    in anew even within its own session (``prompt=login``), before an account is deleted."""
    client = broker()
    _metadata(client)
    extra = {"prompt": "login"} if again else {}
    try:
        response: HttpResponseRedirect = client.authorize_redirect(request, redirect_uri, **extra)
    except (AuthlibBaseError, RuntimeError) as error:
        raise BrokerProblem("unavailable", str(error)) from None
    return response


def finish(request: HttpRequest) -> Login:
    """The login the broker sent back to the callback, with its ID token checked."""
    if request.GET.get("error"):
        raise BrokerProblem("denied", request.GET["error"][:100])
    client = broker()
    claims_options = {
        "iss": {"essential": True, "value": issuer()},
        "aud": {"essential": True, "value": client.client_id},
        "sub": {"essential": True},
    }
    try:
        _metadata(client)
        token = client.authorize_access_token(
            request, claims_options=claims_options, leeway=config.get("OIDC_CLOCK_SKEW_SECONDS")
        )
    except MismatchingStateError:
        raise BrokerProblem("state", "no login of this session has that state") from None
    except requests.RequestException as error:
        raise BrokerProblem("unavailable", type(error).__name__) from None
    except (AuthlibBaseError, JoseError, ValueError, KeyError, TypeError) as error:
        raise BrokerProblem("token", f"{type(error).__name__}: {error}"[:300]) from None
    claims = token.get("userinfo")
    if not claims or not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise BrokerProblem("token", "no ID token with a subject")
    return Login(issuer=issuer(), claims=dict(claims), id_token=str(token["id_token"]))


def logout_url(id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The broker's end_session_endpoint for an RP-initiated logout, or None when the
    broker has none."""
    client = broker()
    metadata = _metadata(client)
    if not metadata.get("end_session_endpoint"):
        return None
    found = client.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        client_id=client.client_id,
    )
    return str(found["url"])
