"""Staff logged in past both factors, for tests of staff pages (the back office asks for
the second factor, core.accounts.login): a real recovery-code device put into the
session, as ``django_otp.login`` does after a right code."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice


def verified_login(client: Client, user: Any) -> Client:
    """``client`` logged in as ``user`` with the second factor passed."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
