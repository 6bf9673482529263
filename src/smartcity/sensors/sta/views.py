"""Django adapter for the SensorThings API: turns the HttpRequest into a StaRequest,
calls :func:`smartcity.sensors.sta.api.handle` and writes the StaResponse back."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from smartcity.core.errors import ApiError, PayloadTooLarge
from smartcity.core.tokens import authenticate
from smartcity.sensors.sta import budget, rows
from smartcity.sensors.sta.api import handle
from smartcity.sensors.sta.exchange import StaRequest, StaResponse

_ALLOWED = "GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS"


@csrf_exempt  # token-authenticated API: no cookies are used for writes
def sta_endpoint(request: HttpRequest, version: str, path: str | None) -> HttpResponse:
    if request.method == "OPTIONS":
        return HttpResponse(status=204, headers={"Allow": _ALLOWED})
    try:
        # The budget (and a large answer's slot) also covers writing the answer out.
        with budget.scope():
            return _to_http(handle(_to_sta_request(request, version, path or "/")))
    except ApiError as error:
        return JsonResponse(
            error.as_json(),
            status=error.status,
            headers=error.headers,
            json_dumps_params={"ensure_ascii": False},
        )


def _to_sta_request(request: HttpRequest, version: str, path: str) -> StaRequest:
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
    declared = int(request.headers.get("Content-Length") or 0)
    if limit and declared > limit:
        raise PayloadTooLarge(f"the request body exceeds {limit} bytes", where="body")
    body = request.body if request.method in ("POST", "PATCH", "PUT") else b""
    principal = authenticate(request.headers.get("Authorization", ""))
    return StaRequest(
        method=request.method or "GET",
        version=version,
        path=path,
        params=parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True),
        root_url=request.build_absolute_uri(f"/sta/{version}/"),
        body=body,
        content_type=request.META.get("CONTENT_TYPE", ""),  # with parameters (boundary)
        principal=principal,
        max_body=limit or 32 * 1024 * 1024,
        prefer=request.headers.get("Prefer", ""),
    )


def _to_http(response: StaResponse) -> HttpResponse:
    if response.body is None:
        http = HttpResponse(status=response.status)
    elif isinstance(response.body, str) and not response.content_type.startswith(
        "application/json"
    ):
        http = HttpResponse(
            response.body, status=response.status, content_type=response.content_type
        )
    else:
        http = HttpResponse(
            rows.dumps(response.body),
            status=response.status,
            content_type="application/json",
        )
    for name, value in response.headers.items():
        http[name] = value
    return http
