"""Turns every error on a JSON path into a JSON body: 4xx for client errors, and for a bug a
bare 500 that says nothing about the code (the trace goes to the log, never to the user)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import BadRequest as DjangoBadRequest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from smartcity.core import contract
from smartcity.core.errors import ApiError

log = logging.getLogger("smartcity.errors")


class JsonErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.json_prefixes = contract.json_prefixes()  # /api/ and the mounts declared json

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path.startswith(self.json_prefixes)
            and not response.get("Content-Type", "").startswith("application/json")
        ):  # no URL matched: Django's HTML page, where a JSON client expects JSON
            error = ApiError(f"nothing at {request.path}", where="path", status=404)
            return JsonResponse(error.as_json(), status=404)
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not request.path.startswith(self.json_prefixes):
            return None
        if isinstance(exc, ApiError):
            return JsonResponse(exc.as_json(), status=exc.status, headers=exc.headers)
        known = _client_error(exc, request.path)
        if known is not None:
            return JsonResponse(known.as_json(), status=known.status)
        log.exception("unhandled error on %s %s", request.method, request.path)
        response = JsonResponse(
            {"code": 500, "type": "error", "message": "Internal error; it has been logged."},
            status=500,
        )
        response._has_been_logged = True  # type: ignore[attr-defined] # once, with its trace
        return response


def _client_error(exc: Exception, path: str) -> ApiError | None:
    """Django's own client errors (no such URL, refused, malformed) as what they are."""
    if isinstance(exc, Http404):
        return ApiError(f"nothing at {path}", where="path", status=404)
    if isinstance(exc, PermissionDenied):
        return ApiError("not permitted", status=403)
    if isinstance(exc, SuspiciousOperation | DjangoBadRequest):
        return ApiError("malformed request", status=400)
    return None
