"""Passkeys (WebAuthn, django-otp-webauthn) as the staff's second factor: whom a passkey is
made for (the relying party) and which page may use it (the origin), both from
SMARTCITY_PUBLIC_URL, the platform's address as its users reach it.

A passkey belongs to a domain name, never to an address like 127.0.0.1: browsers refuse
those. Where PUBLIC_URL names one, passkeys are made for ``localhost`` on the same port
(the same machine), so development works at ``http://localhost:8000``.

Import-light: settings.py reads :func:`passkey_origin`.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def passkey_host(public_url: str) -> str:
    """The relying party's id: PUBLIC_URL's host name, ``localhost`` for an address."""
    host = (urlsplit(public_url).hostname or "localhost").lower()
    return "localhost" if _is_address(host) else host


def passkey_origin(public_url: str) -> str:
    """The origin passkeys are used from: PUBLIC_URL's scheme, host (see passkey_host) and
    port."""
    parts = urlsplit(public_url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'http'}://{passkey_host(public_url)}{port}"


def relying_party_id(request: Any) -> str:
    from django.conf import settings

    return urlsplit(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]).hostname or "localhost"


def relying_party_name(request: Any) -> str:
    """What the browser shows when it asks for the passkey: the platform's name."""
    from smartcity.core.city import city

    return f"Smart City {city().name}"
