"""django-csp's middleware with the platform's Content-Security-Policy header built once
(the policy itself: core.security)."""

from __future__ import annotations

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class PlatformCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the header built once: the platform's policy is the
    same for every answer, and building it anew (a dataclass copied, every directive
    joined) cost about a service-root answer's own time. An answer that asks for its own
    policy (django-csp's decorators) or a nonce still gets it built as before."""

    _built: dict[str, str] = {}  # the settings' policy, as its repr -> its header

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        own = any(getattr(response, name, None) is not None for name in _PER_ANSWER)
        if own or getattr(request, "_csp_nonce", None) is not None or _report_only():
            return super().process_response(request, response)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            key = repr(settings.CONTENT_SECURITY_POLICY)
            header = self._built.get(key)
            if header is None:
                header = self._built[key] = build_policy()
            response[HEADER] = header
        return response


_PER_ANSWER = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


def _report_only() -> bool:
    return bool(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None))
