"""The second factor's pages: passing it after the password (a code, or a passkey), and
setting one up (an authenticator app with its QR code, a passkey, recovery codes)."""

from __future__ import annotations

from typing import Any

import django_otp
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django_otp_webauthn.models import WebAuthnCredential

from smartcity.core.accounts.login import factors
from smartcity.core.accounts.login.forms import CodeForm, TotpConfirmForm
from smartcity.core.accounts.login.views import next_of


def _with_next(name: str, target: str) -> str:
    return reverse(name) + "?" + urlencode({"next": target})


def _has_passkey(user: Any) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


@never_cache
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """/konto/anmelden/bestaetigen/: the code of the app or a recovery code, or a passkey
    (its button runs django-otp-webauthn's script). Without a device: to enrolment."""
    user, target = request.user, next_of(request)
    if user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(target)
    if not factors.has_device(user):
        return HttpResponseRedirect(_with_next("login:enrol", target))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            verdict = factors.verify(user, form.cleaned_data["code"])
            if verdict.device is not None:
                django_otp.login(request, verdict.device)
                return HttpResponseRedirect(target)
            form.add_error("code", _wrong_code_message(verdict.wait_until))
            status = 429 if verdict.wait_until else 400
    context = {"form": form, "next": target, "passkey": _has_passkey(user)}
    return render(request, "accounts/second_factor.html", context, status=status)


def _wrong_code_message(wait_until: Any) -> str:
    if wait_until is None:
        return gettext("Dieser Code stimmt nicht. Bitte geben Sie den aktuellen Code ein.")
    seconds = max(1, int((wait_until - timezone.now()).total_seconds()) + 1)
    return gettext(
        "Zu viele falsche Codes nacheinander. Bitte warten Sie %(seconds)d Sekunden und "
        "versuchen Sie es dann noch einmal."
    ) % {"seconds": seconds}


def _may_enrol(user: Any) -> bool:
    """Setting up a factor needs the one already there: someone who has one must have
    passed it in this session (else a stolen password would add the thief's)."""
    return bool(user.is_verified() or not factors.has_device(user))


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """/konto/zwei-faktoren/: set up an authenticator app or a passkey."""
    user, target = request.user, next_of(request)
    if not _may_enrol(user):
        return HttpResponseRedirect(_with_next("login:second-factor", target))
    return _enrol_page(request, TotpConfirmForm(), target)


def _enrol_page(request: HttpRequest, form: TotpConfirmForm, target: str, status: int = 200
                ) -> HttpResponse:  # fmt: skip
    device = factors.pending_totp(request.user)
    context = {
        "form": form,
        "next": target,
        "qr_svg": factors.qr_svg(device, gettext("QR-Code für Ihre Authenticator-App")),
        "secret": factors.secret_text(device),
        "verified": request.user.is_verified(),  # type: ignore[union-attr]
        "recovery_url": _with_next("login:recovery-codes", target),
    }
    return render(request, "accounts/enrol.html", context, status=status)


@never_cache
@login_required
def enrol_totp(request: HttpRequest) -> HttpResponse:
    """POST the app's first code: the app is confirmed, the person has passed the second
    factor, and gets their recovery codes, shown once on this page."""
    user, target = request.user, next_of(request)
    if not _may_enrol(user):
        return HttpResponseRedirect(_with_next("login:second-factor", target))
    if request.method != "POST":
        return HttpResponseRedirect(_with_next("login:enrol", target))
    form = TotpConfirmForm(request.POST)
    device = factors.pending_totp(user)
    if not form.is_valid() or not factors.confirm_totp(device, form.cleaned_data["code"]):
        if form.is_valid():
            form.add_error("code", gettext("Dieser Code stimmt nicht. Bitte den aktuellen."))
        return _enrol_page(request, form, target, status=400)
    django_otp.login(request, device)
    return _show_codes(request, factors.new_recovery_codes(user), target)


def _show_codes(request: HttpRequest, codes: list[str], target: str) -> HttpResponse:
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": target})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """/konto/zwei-faktoren/wiederherstellung/: a new set of recovery codes (POST), for
    someone who has passed the second factor (after a passkey was set up, too)."""
    target = next_of(request)
    if not request.user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(_with_next("login:second-factor", target))
    if request.method == "POST":
        return _show_codes(request, factors.new_recovery_codes(request.user), target)
    return render(request, "accounts/recovery_codes.html", {"codes": None, "next": target})
