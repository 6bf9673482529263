from __future__ import annotations

import base64

import pytest

from smartcity.core import tokens
from smartcity.core.errors import Forbidden, Unauthorized
from smartcity.core.models import ApiToken

pytestmark = pytest.mark.django_db


def test_secret_is_shown_once_and_only_its_hash_is_kept():
    token, secret = tokens.create_token("Messstation 1", ["sta:write"])
    assert secret.startswith("sc_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.secret_hash, stored.prefix)
    assert stored.prefix == secret[:10]


def test_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="unknown scope"):
        tokens.create_token("x", ["sta:everything"])


def test_bearer_and_basic_resolve_to_the_same_principal():
    _, secret = tokens.create_token("qgis", ["sta:write"])
    bearer = tokens.authenticate(f"Bearer {secret}")
    basic = tokens.authenticate("Basic " + base64.b64encode(f"any:{secret}".encode()).decode())
    assert bearer == basic
    assert bearer is not None and bearer.scopes == frozenset({"sta:write"})


def test_no_header_is_anonymous_and_wrong_token_is_an_error():
    assert tokens.authenticate("") is None
    with pytest.raises(Unauthorized):
        tokens.authenticate("Bearer sc_nope")
    with pytest.raises(Unauthorized, match="scheme"):
        tokens.authenticate("Digest abc")


def test_scope_checks():
    _, secret = tokens.create_token("reader", [])
    principal = tokens.authenticate(f"Bearer {secret}")
    with pytest.raises(Forbidden):
        tokens.require_scope(principal, "sta:write")
    with pytest.raises(Unauthorized):
        tokens.require_scope(None, "sta:write")
    _, admin = tokens.create_token("admin", ["sta:admin"])
    assert tokens.require_scope(tokens.authenticate(f"Bearer {admin}"), "sta:write")


def test_revoke_by_name_and_id():
    token, _ = tokens.create_token("a", ["sta:write"])
    tokens.create_token("b", ["sta:write"])
    assert tokens.revoke_token(str(token.pk)) == 1
    assert tokens.revoke_token("b") == 1
    assert tokens.revoke_token("b") == 0
