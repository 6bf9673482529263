"""Links sent by e-mail: a guest's link to resume their application, and a second
person's link to co-sign one. Both are signed (django.core.signing, with a salt each)
and expire after SMARTCITY_APPLY_GUEST_LINK_DAYS; a co-signing link also names a nonce
that only the last invitation's link has, so an earlier invitation is void."""

from __future__ import annotations

import hashlib

from django.core import signing

from smartcity.core import config

GUEST, COSIGN = "smartcity.applying.guest", "smartcity.applying.cosign"
SESSION_KEY = "applying.guest"  # the public ids a guest's session may open
SESSION_MOST = 20


class LinkRefused(ValueError):
    """The link was changed (``expired`` False) or is too old (``expired`` True)."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "tampered")
        self.expired = expired


def _max_age() -> int:
    return int(config.get("APPLY_GUEST_LINK_DAYS")) * 86400


def guest_token(public_id: str) -> str:
    return signing.TimestampSigner(salt=GUEST).sign(public_id)


def cosign_token(public_id: str, nonce: str) -> str:
    return signing.TimestampSigner(salt=COSIGN).sign(f"{public_id}.{nonce}")


def _unsign(token: str, salt: str) -> str:
    try:
        return signing.TimestampSigner(salt=salt).unsign(token[:300], max_age=_max_age())
    except signing.SignatureExpired:
        raise LinkRefused(expired=True) from None
    except signing.BadSignature:
        raise LinkRefused(expired=False) from None


def read_guest(token: str) -> str:
    """The public id a guest's link names."""
    return _unsign(token, GUEST)


def read_cosign(token: str) -> tuple[str, str]:
    """The public id and the nonce's hash a co-signing link names."""
    public_id, _sep, nonce = _unsign(token, COSIGN).partition(".")
    return public_id, hashlib.sha256(nonce.encode()).hexdigest()


def remember_guest(session: dict, public_id: str) -> None:  # type: ignore[type-arg]
    held = [p for p in session.get(SESSION_KEY, []) if p != public_id]
    session[SESSION_KEY] = [*held[-(SESSION_MOST - 1) :], public_id]
