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


def test_rotating_replaces_the_secret():
    token, old = tokens.create_token("device", ["sta:write"])
    new = tokens.rotate_token(token)
    assert new != old and new.startswith("sc_")
    assert tokens.authenticate(f"Bearer {new}").token_id == token.pk
    with pytest.raises(Unauthorized):
        tokens.authenticate(f"Bearer {old}")


def test_grants_no_domain_takes_are_refused():
    with pytest.raises(ValueError, match="no domain grants parking_spaces"):
        tokens.create_token("device", ["sta:write"], parking_spaces=[1])
    assert not ApiToken.objects.filter(name="device").exists()


def test_change_hooks_see_the_secret_once_and_the_revocation(
    monkeypatch, django_capture_on_commit_callbacks
):
    seen: list[tuple[str, int]] = []
    monkeypatch.setattr(tokens, "_created_hooks", [lambda t, s: seen.append((s, t.pk))])
    monkeypatch.setattr(tokens, "_revoked_hooks", [lambda t: seen.append(("revoked", t.pk))])
    with django_capture_on_commit_callbacks(execute=True):
        token, secret = tokens.create_token("a", ["sta:write"])
        fresh = tokens.rotate_token(token)
        tokens.revoke_token("a")
        assert seen == []  # not before the commit
    assert seen == [(secret, token.pk), (fresh, token.pk), ("revoked", token.pk)]


def test_a_scope_includes_what_its_domain_declares_and_nothing_else():
    from smartcity.core import contract

    assert contract.scope_grants(frozenset({"sta:admin"})) == {"sta:admin", "sta:write"}
    assert contract.scope_grants(frozenset({"sta:write"})) == {"sta:write"}
    assert contract.scope_grants(frozenset({"sta:observe"})) == {"sta:observe"}
    _, writer = tokens.create_token("writer", ["sta:write"])
    with pytest.raises(Forbidden, match="sta:admin"):
        tokens.require_scope(tokens.authenticate(f"Bearer {writer}"), "sta:admin")
