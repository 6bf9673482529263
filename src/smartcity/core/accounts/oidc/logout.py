"""Logging out a session that came from the identity broker: here, then at the broker
(RP-initiated logout with ``id_token_hint`` and ``post_logout_redirect_uri``). The site's
own logout (core.accounts.login.views.LogoutView) ends every session through this."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from smartcity.core import config
from smartcity.core.accounts.oidc import client

SESSION_KEY = "smartcity_oidc"  # {"id_token": ..., "issuer": ...} of a session from the broker


def public(path: str) -> str:
    """An absolute address on SMARTCITY_PUBLIC_URL (what the broker has registered)."""
    return config.get("PUBLIC_URL").rstrip("/") + path


def logout_response(request: HttpRequest) -> HttpResponse:
    """Log out; a session from the broker goes on to the broker's end_session_endpoint."""
    came = request.session.get(SESSION_KEY)
    logout(request)
    if not came or not client.configured() or came.get("issuer") != client.issuer():
        return render(request, "accounts/logout.html", {"logged_in": False, "done": True})
    try:
        target = client.logout_url(came["id_token"], public(reverse("oidc:logged-out")))
    except client.BrokerProblem as problem:
        client.log.warning("oidc logout at the broker failed: %s", problem.detail)
        target = None
    if target is None:
        context = {"logged_in": False, "done": True, "broker_failed": True}
        return render(request, "accounts/logout.html", context)
    return HttpResponseRedirect(target)
