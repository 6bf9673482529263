"""The platform's own JSON APIs under /api/ (django-ninja, OpenAPI at /api/openapi.json).

Each domain contributes its routers (``Domain.api``); errors use the same JSON body as the
SensorThings API: ``{"code", "type": "error", "message", "where"}``. The interactive docs
page is off: it would load its scripts from another host.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from smartcity.core import contract
from smartcity.core.errors import ApiError

api = NinjaAPI(
    title="Smart City Hamm API",
    version="1",
    description="Own JSON APIs of the platform; sensor data: SensorThings API at /sta/v1.1/.",
    docs_url=None,
    urls_namespace="api",
)
for _domain in contract.domains():
    for _router in _domain.api:
        api.add_router(f"/{_router.prefix}", contract.resolve(_router.router))


@api.get("/", include_in_schema=False)
def index(request: HttpRequest) -> dict[str, Any]:
    """What is here: the OpenAPI document and each domain's API."""
    return {
        "title": api.title,
        "openapi": request.build_absolute_uri("/api/openapi.json"),
        "apis": [
            {"domain": domain.name, "url": request.build_absolute_uri(f"/api/{router.prefix}")}
            for domain in contract.domains()
            for router in domain.api
        ],
        "sensorthings": request.build_absolute_uri("/sta/v1.1/"),
    }


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return api.create_response(request, error.as_json(), status=error.status)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    first = error.errors[0] if error.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
    message = first.get("msg", "invalid request")
    body = ApiError(f"{where}: {message}" if where else message, where=where).as_json()
    return api.create_response(request, body, status=400)
