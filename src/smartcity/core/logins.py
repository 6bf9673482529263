"""Logins: failed ones are counted and, past SMARTCITY_LOGIN_FAILURE_LIMIT, locked out for
SMARTCITY_LOGIN_LOCKOUT_MINUTES (django-axes, configured in settings.py), logged on
``smartcity.logins``, and answered with a page that says when to try again.

Every password login goes through ``django.contrib.auth.authenticate(request, ...)``; axes'
backend comes first there and refuses a locked one, so each login the platform gains (the
back office, citizens' and clerks' logins) is covered without its own code, as long as
it passes the request. Logins through the city's identity broker (core.accounts.oidc) go
through ``authenticate`` too, as ``oidc:<address>`` (nobody is known before the broker's
answer is checked): a refused answer (wrong state, a tampered or expired ID token) is a
failure counted and logged here, and a locked address gets the same 429 page. The
password itself is the broker's to throttle.

Axes' failure records are its ``AccessAttempt`` rows in the database, so every server
process sees the same counts. The client's address is ``REMOTE_ADDR``, which the ASGI server
sets from X-Forwarded-For only for a proxy it trusts (``smartcity serve --proxy-headers``),
so a client cannot dodge the count by sending that header itself.

This module is import-light (settings.py names its functions by dotted path); the signal
receivers are connected by :func:`connect`, from the kernel's AppConfig.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse

log = logging.getLogger("smartcity.logins")

# SMARTCITY_LOGIN_LOCKOUT_BY -> axes' AXES_LOCKOUT_PARAMETERS (a list of what is counted
# together; a nested list counts the combination)
LOCKOUT_PARAMETERS: dict[str, list[Any]] = {
    "username+ip": [["username", "ip_address"]],
    "username": ["username"],
    "ip": ["ip_address"],
}


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from: REMOTE_ADDR, never a header the client sets (the
    ASGI server puts a trusted proxy's X-Forwarded-For there, see the module's docstring)."""
    return request.META.get("REMOTE_ADDR") or None


def _printable(text: object) -> str:
    """A user name as typed, safe for one log line: quoted, control characters escaped."""
    return repr(str(text)[:150])


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Django's user_login_failed: one line with the user name tried and the address; the
    password is never read (Django has masked it in ``credentials`` anyway)."""
    from django.contrib.auth import get_user_model

    field = get_user_model().USERNAME_FIELD  # what a login passes besides "username"
    username = credentials.get("username") or credentials.get(field)
    log.warning(
        "login failed: username=%s ip=%s path=%s",
        _printable(username or ""),
        client_ip(request) if request is not None else "-",
        request.path if request is not None else "-",
    )


def on_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """axes' user_locked_out: the lock and until when it holds."""
    log.warning(
        "login locked out: username=%s ip=%s until=%s",
        _printable(username or ""),
        ip_address or "-",
        locked_until(request).isoformat(timespec="seconds"),
    )


def connect() -> None:
    """Connect the receivers (from CoreConfig.ready, once the apps are loaded)."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(on_login_failed, dispatch_uid="smartcity.logins.failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="smartcity.logins.locked")


def cool_off() -> timedelta:
    from django.conf import settings

    found = settings.AXES_COOLOFF_TIME
    assert isinstance(found, timedelta)
    return found


def locked_until(request: HttpRequest) -> datetime:
    """When a login locked by this request opens again: the lock runs from the last failed
    attempt, and this request's attempt was one (axes' reset of the cool-off)."""
    from django.utils import timezone

    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    return attempted + cool_off()


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The answer to a login refused because it is locked (axes' AXES_LOCKOUT_CALLABLE):
    429 with Retry-After, a page in the site's layout saying when to try again, or the
    platform's JSON error body on a JSON path."""
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils import timezone
    from django.utils.translation import gettext

    from smartcity.core import contract
    from smartcity.core.errors import ApiError

    until = locked_until(request)
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
    if request.path.startswith(contract.json_prefixes()):
        message = gettext("Zu viele fehlgeschlagene Anmeldeversuche; gesperrt bis %(time)s.")
        body = ApiError(message % {"time": until.isoformat(timespec="seconds")}, status=429)
        response: HttpResponse = JsonResponse(body.as_json(), status=429)
    else:
        context = {"until": timezone.localtime(until)}
        response = render(request, "logins/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
