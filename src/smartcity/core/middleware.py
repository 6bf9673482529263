"""Turns every error on a JSON path into a JSON body: 4xx for client errors, and for a bug a
bare 500 that says nothing about the code (the trace goes to the log, never to the user)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from smartcity.core import contract
from smartcity.core.errors import ApiError

log = logging.getLogger("smartcity.errors")


class JsonErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.json_prefixes = contract.json_prefixes()  # /api/ and the mounts declared json

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not request.path.startswith(self.json_prefixes):
            return None
        if isinstance(exc, ApiError):
            return JsonResponse(exc.as_json(), status=exc.status)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return JsonResponse(
            {"code": 500, "type": "error", "message": "Internal error; it has been logged."},
            status=500,
        )
