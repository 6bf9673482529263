"""API tokens: creation, revocation and the check a request goes through.

Other parts of the platform learn of a created or revoked token through :func:`on_change`
(the MQTT broker accounts of sensors.mqtt.accounts); the secret is handed to them once,
at creation, and never stored.

Clients send ``Authorization: Bearer TOKEN``; because FROST's clients and QGIS only speak
HTTP Basic, the token is also accepted as the Basic password (any user name).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

import orjson
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from smartcity.core import contract, storefaults
from smartcity.core.errors import Forbidden, Unauthorized
from smartcity.core.models import ApiToken
from smartcity.core.storefaults import StoreUnavailable

log = logging.getLogger("smartcity.tokens")

TOKEN_PREFIX = "sc_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for
_LAST_USED_GRANULARITY = timedelta(minutes=5)


@dataclass(frozen=True)
class Principal:
    token_id: int
    name: str
    scopes: frozenset[str]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


CreatedHook = Callable[[ApiToken, str], None]
RevokedHook = Callable[[ApiToken], None]
_created_hooks: list[CreatedHook] = []
_revoked_hooks: list[RevokedHook] = []


def on_change(created: CreatedHook, revoked: RevokedHook) -> None:
    """Register what runs after a token is created (with its secret) or revoked."""
    if created not in _created_hooks:
        _created_hooks.append(created)
        _revoked_hooks.append(revoked)


def create_token(name: str, scopes: list[str], **grants: Any) -> tuple[ApiToken, str]:
    """A new token with these scopes; ``grants`` are what domains grant beyond them (e.g.
    ``datastreams=[...]`` of sensors), each checked and stored by its domain in the same
    transaction. Returns the token and its secret, shown this once."""
    known = contract.scopes()
    unknown = sorted(set(scopes) - known.keys())
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(known)}")
    if not name.strip():
        raise ValueError("a token needs a name")
    domains = contract.token_grants()
    taken = {key for domain in domains for key in domain.keys}
    if set(grants) - taken:
        raise ValueError(f"no domain grants {', '.join(sorted(set(grants) - taken))}")
    held = frozenset(scopes)
    own = [(domain, {k: v for k, v in grants.items() if k in domain.keys}) for domain in domains]
    for domain, given in own:
        domain.check(held, given)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name.strip(),
            prefix=secret[:10],
            secret_hash=_hash(secret),
            scopes=sorted(held),
        )
        for domain, given in own:
            domain.store(token, given)
        _after_commit_created(token, secret)
    return token, secret


def rotate_token(token: ApiToken) -> str:
    """A new secret for an active token (the old one stops working); returns it once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token.prefix, token.secret_hash = secret[:10], _hash(secret)
    token.save(update_fields=["prefix", "secret_hash"])
    _after_commit_created(token, secret)
    return secret


def _after_commit_created(token: ApiToken, secret: str) -> None:
    """The hooks run once the token is stored for good (at once outside a transaction)."""
    for hook in _created_hooks:
        transaction.on_commit(partial(hook, token, secret), robust=True)


def find_active(identifier: str) -> list[ApiToken]:
    """The active tokens with this id or name."""
    query = Q(name=identifier)
    if identifier.isdigit():
        query |= Q(pk=int(identifier))
    return list(ApiToken.objects.filter(query, revoked_at__isnull=True).order_by("pk"))


def revoke_token(identifier: str) -> int:
    """Revoke by id or name; returns how many tokens were revoked."""
    found = find_active(identifier)
    now = timezone.now()
    for token in found:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        notify_revoked(token)
    return len(found)


def notify_revoked(token: ApiToken) -> None:
    """Tell the registered hooks that ``token`` is revoked (also when revoked elsewhere,
    e.g. in the back office), once the revocation is committed."""
    for hook in _revoked_hooks:
        transaction.on_commit(partial(hook, token), robust=True)


def _secret_from_header(header: str) -> str | None:
    if not header:
        return None
    scheme, _, credentials = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        return credentials.strip() or None
    if scheme == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthorized("malformed HTTP Basic credentials", where="Authorization") from None
        return decoded.partition(":")[2] or None
    raise Unauthorized(
        f"unsupported authorization scheme {scheme!r}; use Bearer or Basic", where="Authorization"
    )


def authenticate(header: str) -> Principal | None:
    """The principal behind an Authorization header, None when there is none; a header
    with an unknown or revoked token is an error, never silently anonymous."""
    secret = _secret_from_header(header)
    if secret is None:
        return None
    now = timezone.now()
    # Plain SQL: every write request runs this, and the ORM's query building costs
    # several times the indexed lookup itself.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, name, scopes, last_used_at IS NULL OR last_used_at < %s "
            f"FROM {ApiToken._meta.db_table} WHERE secret_hash = %s AND revoked_at IS NULL",
            [connection.ops.adapt_datetimefield_value(now - _LAST_USED_GRANULARITY), _hash(secret)],
        )
        found = cursor.fetchone()
    if found is None:
        raise Unauthorized("unknown or revoked API token", where="Authorization")
    pk, name, scopes, stale = found
    if stale:
        _note_use(pk, now)
    return Principal(pk, name, frozenset(_json_list(scopes)))


def _note_use(pk: int, now: Any) -> None:
    """Bookkeeping only: a store that cannot write now (core.storefaults) fails the
    requests that write, not a read because its token's last use could not be noted."""
    try:
        with transaction.atomic():
            ApiToken.objects.filter(pk=pk).update(last_used_at=now)
    except (StoreUnavailable, DatabaseError) as error:
        if isinstance(error, DatabaseError) and not storefaults.unavailable(error):
            raise
        log.warning("the last use of API token %s could not be noted: the store is read-only", pk)


def _json_list(value: str | list[Any]) -> list[Any]:
    """A JSON column as the driver gives it (text on SQLite, decoded on PostgreSQL)."""
    return orjson.loads(value) if isinstance(value, str) else value


def require_scope(principal: Principal | None, scope: str) -> Principal:
    if principal is None:
        raise Unauthorized(
            f"this request changes data and needs a token with scope {scope!r}; "
            "send it as 'Authorization: Bearer TOKEN'",
            where="Authorization",
        )
    if scope not in principal.scopes and scope not in contract.scope_grants(principal.scopes):
        raise Forbidden(
            f"the token {principal.name!r} lacks the scope {scope!r}", where="Authorization"
        )
    return principal
