"""What the sensors domain grants a token beyond its scopes: the Datastreams of a
sta:observe token, checked when the token is made, stored beside it, and the one thing
such a token may write."""

from __future__ import annotations

import pytest

from smartcity.core import tokens
from smartcity.core.errors import Forbidden
from smartcity.core.models import ApiToken
from smartcity.sensors import grants
from tests.sensors.factories import make_thing_with_datastream

pytestmark = pytest.mark.django_db


def test_an_observe_token_lacks_sta_write_and_feeds_only_its_datastreams():
    first, second, other = (make_thing_with_datastream(f"T{i}")[1] for i in range(3))
    _, secret = tokens.create_token(
        "device", ["sta:observe"], datastreams=[second.pk, first.pk, second.pk]
    )
    token = ApiToken.objects.get(name="device")
    assert grants.datastreams_of(token) == sorted([first.pk, second.pk])
    principal = tokens.authenticate(f"Bearer {secret}")
    with pytest.raises(Forbidden):
        tokens.require_scope(principal, "sta:write")
    assert grants.may_observe(principal, first.pk) and grants.may_observe(principal, second.pk)
    assert not grants.may_observe(principal, other.pk)
    assert not grants.may_observe(None, first.pk)


def test_a_write_token_is_no_observe_token_even_with_a_grant_row():
    stream = make_thing_with_datastream()[1]
    token, secret = tokens.create_token("writer", ["sta:write"])
    grants.set_broker_account(token, "provisioned")
    assert grants.datastreams_of(token) == []
    assert not grants.may_observe(tokens.authenticate(f"Bearer {secret}"), stream.pk)


@pytest.mark.parametrize(
    ("scopes", "streams", "message"),
    [
        (["sta:observe"], [], "needs at least one Datastream"),
        (["sta:write"], ["stream"], "only to a token with scope sta:observe"),
        (["sta:observe"], ["missing"], "no Datastream with id"),
    ],
)
def test_grants_are_checked_before_anything_is_stored(scopes, streams, message):
    stream = make_thing_with_datastream()[1]
    ids = [stream.pk if s == "stream" else stream.pk + 1000 for s in streams]
    with pytest.raises(ValueError, match=message):
        tokens.create_token("device", scopes, datastreams=ids)
    assert not ApiToken.objects.filter(name="device").exists()
