"""Staff's second factor (django-otp): who needs one, an authenticator app's code (TOTP)
or a one-time recovery code, their enrolment, and wrong codes slowed down.

Passkeys (django-otp-webauthn) are a device of the same kind; their ceremony is the
library's (its views under /konto/passkey/, see passkeys.py). A person has passed the
second factor when ``django_otp.login`` has put the device into their session; the
middleware and the back office ask ``request.user.is_verified()``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import segno
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcity.core import roles

RECOVERY_CODES = 10  # one-time codes made at enrolment, each for one login without the app
TOTP_NAME = "Authenticator-App"
RECOVERY_NAME = "Wiederherstellungscodes"


def needs_two_factors(user: Any) -> bool:
    """Whether ``user`` must pass a second factor: every staff role (core.roles), and
    whoever may enter the back office (Django's staff flag)."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or roles.is_staff(user))


def has_device(user: Any) -> bool:
    return bool(user_has_device(user, confirmed=True))


@dataclass(frozen=True)
class Verdict:
    """The outcome of a code: the device that took it, or why not (``wait_until``: wrong
    codes came too fast, django-otp's throttle)."""

    device: Any = None
    wait_until: datetime | None = None


def normalise(code: str) -> str:
    """A code as typed: spaces and hyphens (the groups it is shown in) dropped."""
    return "".join(code.split()).replace("-", "").lower()


def verify(user: Any, code: str) -> Verdict:
    """Check ``code`` against the user's TOTP devices (six digits) or recovery codes.
    Every wrong code makes the next try wait longer (1, 2, 4, ... seconds) per device,
    kept in the database, so it holds across sessions and server processes."""
    typed = normalise(code)
    kind = TOTPDevice if typed.isdigit() else StaticDevice
    wait_until = None
    with transaction.atomic():
        found = kind.objects.devices_for_user(user, confirmed=True).select_for_update()
        for device in found:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                wait_until = max(wait_until or details["locked_until"], details["locked_until"])
                continue
            if device.verify_token(typed):
                return Verdict(device=device)
            allowed, details = device.verify_is_allowed()
            if not allowed:  # this wrong code started a wait
                wait_until = max(wait_until or details["locked_until"], details["locked_until"])
    return Verdict(wait_until=wait_until)


# -- enrolment ----------------------------------------------------------------------------


def pending_totp(user: Any) -> TOTPDevice:
    """The user's authenticator app being set up: an unconfirmed device, made once and
    kept until a code from the app confirms it (so reloading the page keeps the QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The TOTP secret as an app asks for it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, title: str) -> str:
    """The device's ``otpauth://`` address as a QR code: an inline SVG (segno), no image
    request and no script; ``title`` is its accessible name."""
    code = segno.make(device.config_url, error="m")
    svg: str = code.svg_inline(
        scale=5, border=2, title=title, svgclass="qr-code", lineclass=None, omitsize=True
    )
    svg = svg.replace("<svg ", '<svg role="img" ', 1)  # named by its <title>
    return svg


def confirm_totp(device: TOTPDevice, code: str) -> bool:
    """Confirm the app being set up with a code it shows now (throttled like a login)."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not locked.verify_token(normalise(code)):
            return False
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
    device.refresh_from_db()
    return True


def new_recovery_codes(user: Any) -> list[str]:
    """A new set of one-time recovery codes: the old ones stop working. Shown once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def describe_devices(user: Any) -> list[str]:
    """One short text per confirmed device, for listings (``smartcity account list``)."""
    found = []
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, StaticDevice):
            found.append(f"recovery codes ({device.token_set.count()} left)")
        elif isinstance(device, TOTPDevice):
            found.append("totp")
        else:
            found.append("passkey")
    return found
