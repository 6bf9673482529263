"""/konto/oidc/: the login through the city's identity broker (start, the broker's return,
logout) and linking an account that exists already. Every refusal is a German page with
a 4xx (503 while the broker does not answer), never a 500."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smartcity.core import logins
from smartcity.core.accounts.login.views import after_password, next_of
from smartcity.core.accounts.oidc import accounts, client
from smartcity.core.accounts.oidc.backend import PATH as BACKEND
from smartcity.core.accounts.oidc.logout import SESSION_KEY, logout_response, public

NEXT_KEY = "smartcity_oidc_next"  # where to go after the login
LINK_KEY = "smartcity_oidc_link"  # the account the person asked to link (its pk)
STATUS = {
    "state": 400,
    "token": 400,
    "denied": 403,
    "inactive": 403,
    "exists": 409,
    "taken": 409,
    "unavailable": 503,
}
COUNTED = frozenset({"state", "token"})  # refusals that count as failed logins


def _configured() -> None:
    if not client.configured():
        raise Http404("OIDC is not configured")


def axes_name(request: HttpRequest) -> str:
    """What axes counts a login through the broker as: before the broker's answer is
    checked nobody is known, so the address stands for the name."""
    return f"oidc:{logins.client_ip(request) or '-'}"


def _failed(request: HttpRequest, problem: str) -> HttpResponse:
    status = STATUS.get(problem, 400)
    context = {"problem": problem, "label": client.button_label()}
    response = render(request, "accounts/oidc_failed.html", context, status=status)
    if status == 503:
        response["Retry-After"] = "60"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """GET: log in through the broker. POST (CSRF, logged in): link this account."""
    _configured()
    target = next_of(request)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("login:login"))
        request.session[LINK_KEY] = request.user.pk
        target = next_of(request, reverse("oidc:link"))
    elif request.user.is_authenticated:
        return HttpResponseRedirect(target)
    else:
        request.session.pop(LINK_KEY, None)
    request.session[NEXT_KEY] = target
    try:
        again = request.GET.get("erneut") == "1"
        return client.start(request, public(reverse("oidc:callback")), again=again)
    except client.BrokerProblem as problem:
        client.log.warning("oidc login not started: %s", problem.detail)
        return _failed(request, problem.kind)


def _linking(request: HttpRequest) -> Any:
    wanted = request.session.pop(LINK_KEY, None)
    if wanted is not None and request.user.is_authenticated and request.user.pk == wanted:
        return request.user
    return None


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The broker's return (the redirect URI): the code exchanged, the ID token checked,
    the account found or made, logged in."""
    _configured()
    from axes.handlers.proxy import AxesProxyHandler

    if not AxesProxyHandler.is_allowed(request, {"username": axes_name(request)}):
        return logins.locked_out(request)
    try:
        done = client.finish(request)
    except client.BrokerProblem as problem:
        return _refused(request, problem)
    outcome = accounts.account_for(done.issuer, done.claims, linking=_linking(request))
    if outcome.problem:
        client.log.warning(
            "oidc login refused: problem=%s ip=%s", outcome.problem, logins.client_ip(request)
        )
        return _failed(request, outcome.problem)
    user = authenticate(request, username=axes_name(request), oidc_user=outcome.user)
    if user is None:  # locked meanwhile (axes' middleware answers), or deactivated
        return _failed(request, "inactive")
    target = request.session.pop(NEXT_KEY, None) or "/"
    login(request, user, backend=BACKEND)
    request.session[SESSION_KEY] = {"id_token": done.id_token, "issuer": done.issuer}
    client.log.info(
        "oidc login: user=%s created=%s linked=%s ip=%s",
        user.pk,
        outcome.created,
        outcome.linked,
        logins.client_ip(request),
    )
    return after_password(request, user, target)


def _refused(request: HttpRequest, problem: client.BrokerProblem) -> HttpResponse:
    client.log.warning(
        "oidc login refused: problem=%s ip=%s detail=%s",
        problem.kind,
        logins.client_ip(request),
        problem.detail,
    )
    if problem.kind in COUNTED:  # axes counts it (and locks); the log writes it
        credentials = {"username": axes_name(request)}
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return _failed(request, problem.kind)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """POST (CSRF): log out here and, for a session from the broker, there."""
    return logout_response(request)


@never_cache
def logged_out(request: HttpRequest) -> HttpResponse:
    """Where the broker sends the browser back after logging out."""
    context = {
        "logged_in": request.user.is_authenticated,
        "done": not request.user.is_authenticated,
    }
    return render(request, "accounts/logout.html", context)


@never_cache
@login_required
def link(request: HttpRequest) -> HttpResponse:
    """/konto/oidc/verknuepfen/: the account's identities, and a button to link one."""
    _configured()
    identities = request.user.oidc_identities.filter(issuer=client.issuer())  # type: ignore[union-attr]
    context = {"identities": list(identities), "label": client.button_label()}
    return client.forms_may_go_to_broker(render(request, "accounts/oidc_link.html", context))
