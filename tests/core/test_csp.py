"""The CSP header built once (core.csp) is the header django-csp builds each time, and an
answer that asks for its own policy still gets it."""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from smartcity.core.csp import PlatformCSPMiddleware

HEADER = "Content-Security-Policy"


def _header(middleware_class, response: HttpResponse) -> str:
    request = RequestFactory().get("/umwelt/")
    middleware = middleware_class(lambda r: response)
    middleware.process_request(request)
    return middleware.process_response(request, response)[HEADER]


def test_the_fast_header_is_django_csps():
    fast = _header(PlatformCSPMiddleware, HttpResponse())
    assert fast == _header(CSPMiddleware, HttpResponse())
    assert "script-src 'self'" in fast and "unsafe-inline" not in fast


def test_an_answer_with_its_own_policy_gets_it():
    own = HttpResponse()
    own._csp_update = {"img-src": ["https://kacheln.example"]}
    assert "https://kacheln.example" in _header(PlatformCSPMiddleware, own)
