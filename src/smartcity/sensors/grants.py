"""What the sensors domain grants an API token beyond its scopes (``Domain.token_grants``):
the Datastreams a ``sta:observe`` token may feed, and the state of the token's account at
the MQTT broker. Both are kept in ``TokenGrant``, beside the kernel's token."""

from __future__ import annotations

import argparse
from typing import Any

from smartcity.core.models import ApiToken
from smartcity.core.tokens import Principal

OBSERVE = "sta:observe"


def _grant(token_id: int, field: str) -> Any:
    """One field of a token's grant; None when the token has none."""
    from smartcity.sensors.models import TokenGrant

    return TokenGrant.objects.filter(token_id=token_id).values_list(field, flat=True).first()


def datastreams_of(token: ApiToken) -> list[int]:
    return list(_grant(token.pk, "datastreams") or [])


def broker_account(token: ApiToken) -> str:
    return _grant(token.pk, "broker_account") or ""


def set_broker_account(token: ApiToken, state: str) -> None:
    from smartcity.sensors.models import TokenGrant

    TokenGrant.objects.update_or_create(token_id=token.pk, defaults={"broker_account": state})


def may_observe(principal: Principal | None, datastream_pk: int) -> bool:
    """Whether a sta:observe token may create Observations in this Datastream (one indexed
    read, only for such tokens)."""
    if principal is None or OBSERVE not in principal.scopes:
        return False
    return datastream_pk in (_grant(principal.token_id, "datastreams") or [])


class SensorGrants:
    """The contract's TokenGrants of the sensors domain."""

    keys = ("datastreams",)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--datastream",
            action="append",
            type=int,
            metavar="ID",
            help="a Datastream a sta:observe token may feed; repeat for several",
        )

    def from_arguments(self, args: argparse.Namespace) -> dict[str, Any]:
        return {"datastreams": args.datastream or []}

    def check(self, scopes: frozenset[str], grants: dict[str, Any]) -> None:
        from smartcity.sensors.models import Datastream

        streams = set(grants.get("datastreams") or ())
        if OBSERVE in scopes and not streams:
            raise ValueError("a token with scope sta:observe needs at least one Datastream")
        if streams and OBSERVE not in scopes:
            raise ValueError("Datastreams are given only to a token with scope sta:observe")
        known = set(Datastream.objects.filter(pk__in=streams).values_list("pk", flat=True))
        missing = sorted(streams - known)
        if missing:
            raise ValueError(f"no Datastream with id {', '.join(map(str, missing))}")

    def store(self, token: ApiToken, grants: dict[str, Any]) -> None:
        from smartcity.sensors.models import TokenGrant

        streams = sorted(set(grants.get("datastreams") or ()))
        if streams:
            TokenGrant.objects.create(token=token, datastreams=streams)

    def describe(self, token: ApiToken) -> str:
        streams = ",".join(map(str, datastreams_of(token)))
        return f"{streams}\t{broker_account(token)}"

    def notes(self, token: ApiToken) -> list[str]:
        from smartcity.sensors.mqtt import accounts

        state = broker_account(token)
        if state == accounts.PROVISIONED:
            return [f"MQTT user name: {accounts.username(token)} (password: the token)"]
        if state == accounts.UNPROVISIONED:
            return [
                "warning: the MQTT broker did not take the account (see the log); when it is "
                f"reachable again: smartcity token rotate {token.pk}"
            ]
        return []


GRANTS = SensorGrants()
