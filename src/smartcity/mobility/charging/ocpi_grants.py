"""What the mobility domain grants an API token beyond its scopes (``Domain.token_grants``):
the OCPI feed a ``mobility:ocpi`` token pushes to. The binding is kept on the feed
(``options["receiver_tokens"]``, the ids of its tokens), so the team sees it there and a
token writes only its own CPO's Locations."""

from __future__ import annotations

import argparse
from typing import Any

from smartcity.core.models import ApiToken

SCOPE = "mobility:ocpi"


def _feed(key: str) -> Any:
    from smartcity.mobility.models import Feed

    return Feed.objects.filter(key=key, kind=Feed.OCPI).first()


def feeds_of(token: ApiToken) -> list[str]:
    from smartcity.mobility.models import Feed

    found = Feed.objects.filter(kind=Feed.OCPI)
    return [feed.key for feed in found if token.pk in (feed.options.get("receiver_tokens") or [])]


class MobilityGrants:
    """The contract's TokenGrants of the mobility domain."""

    keys = ("ocpi_feed",)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--ocpi-feed",
            metavar="KEY",
            help="the OCPI feed (kind ocpi) whose CPO pushes Locations with a mobility:ocpi token",
        )

    def from_arguments(self, args: argparse.Namespace) -> dict[str, Any]:
        key = getattr(args, "ocpi_feed", None)
        return {"ocpi_feed": key} if key else {}

    def check(self, scopes: frozenset[str], grants: dict[str, Any]) -> None:
        key = grants.get("ocpi_feed")
        if SCOPE in scopes and not key:
            raise ValueError("a token with scope mobility:ocpi needs its feed (--ocpi-feed KEY)")
        if key and SCOPE not in scopes:
            raise ValueError("an OCPI feed is given only to a token with scope mobility:ocpi")
        if key:
            feed = _feed(key)
            if feed is None:
                raise ValueError(f"there is no feed {key!r} of kind ocpi")
            if not (feed.options.get("country_code") and feed.options.get("party_id")):
                raise ValueError(f"the feed {key!r} needs options country_code and party_id")

    def store(self, token: ApiToken, grants: dict[str, Any]) -> None:
        key = grants.get("ocpi_feed")
        if not key:
            return
        feed = _feed(key)
        bound = set(feed.options.get("receiver_tokens") or [])
        feed.options["receiver_tokens"] = sorted(bound | {token.pk})
        feed.save(update_fields=["options"])

    def describe(self, token: ApiToken) -> str:
        keys = feeds_of(token)
        return f"ocpi feed {', '.join(keys)}" if keys else ""

    def notes(self, token: ApiToken) -> list[str]:
        if not feeds_of(token):
            return []
        return [
            "The CPO sends it as 'Authorization: Token <the token, Base64-encoded>' to "
            "/api/ocpi/2.2.1/locations/{country_code}/{party_id}/{location_id}."
        ]


GRANTS = MobilityGrants()
