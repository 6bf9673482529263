"""Staff log in with two factors: someone who must (factors.needs_two_factors) and has
given only the password reaches nothing but the pages of the second factor, logging out
and the static files; every other request is sent to the second factor (a JSON path gets
a 403 that says so), and from there to enrolment when they have no device yet."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext

from smartcity.core import contract
from smartcity.core.accounts.login import factors

OPEN_PREFIXES = ("/static/", "/i18n/", "/konto/passkey/")  # the passkey ceremony's API


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.json_prefixes = contract.json_prefixes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(OPEN_PREFIXES + _open_pages())
            and factors.needs_two_factors(user)
        ):
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.json_prefixes):
            message = gettext("Bitte melden Sie sich zuerst mit dem zweiten Faktor an.")
            return JsonResponse({"code": 403, "type": "error", "message": message}, status=403)
        target = reverse("login:second-factor")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


def _open_pages() -> tuple[str, ...]:
    """The paths someone between the two factors may reach (reverse() is cached)."""
    return tuple(
        reverse(f"login:{name}")
        for name in ("login", "logout", "second-factor", "enrol", "enrol-totp")
    )
