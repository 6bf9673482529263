"""The OCPI 2.2.1 Locations receiver under the API: ``/api/ocpi/2.2.1/locations/
{country_code}/{party_id}/{location_id}[/{evse_uid}[/{connector_id}]]``, GET, PUT and
PATCH (a django-ninja router; the work is done by ocpi_push.py).

The CPO authenticates with a platform API token of scope ``mobility:ocpi`` bound to its
feed (``smartcity token create --scope mobility:ocpi --ocpi-feed KEY``), sent as OCPI
sends credentials: ``Authorization: Token <token>``, the token Base64-encoded (OCPI
2.2.1) or as it is; ``Bearer`` works as well. Every answer is the OCPI envelope (``data``,
``status_code``, ``status_message``, ``timestamp``): 1000 for success, 2001 for an
invalid or missing parameter or object, 2003 for an unknown Location (EVSE, Connector),
2000 for the rest, with HTTP 200/201 for success and 4xx for what the CPO got wrong (400
invalid, 401 no or an unknown token, 403 another party's Locations, 404 unknown, 413 a
body over SMARTCITY_MOBILITY_OCPI_MAX_BODY_BYTES, 415 not JSON)."""

from __future__ import annotations

import base64
import binascii
import contextlib
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import Router

from smartcity.core import config
from smartcity.core.errors import ApiError
from smartcity.core.tokens import TOKEN_PREFIX, Principal, authenticate, require_scope
from smartcity.mobility.charging import ocpi_push
from smartcity.mobility.charging.ocpi_models import OcpiError
from smartcity.mobility.charging.ocpi_push import GENERIC, Answer, Target

SCOPE = "mobility:ocpi"
router = Router(tags=["OCPI 2.2.1 Locations (receiver)"])


def _principal(request: HttpRequest) -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "token":
        secret = credentials.strip()
        if not secret.startswith(TOKEN_PREFIX):  # Base64, as OCPI 2.2.1 sends it
            with contextlib.suppress(binascii.Error, UnicodeDecodeError):
                secret = base64.b64decode(secret, validate=True).decode()
        header = f"Bearer {secret}"
    return require_scope(authenticate(header), SCOPE)


def _body(request: HttpRequest) -> Any:
    limit = config.get("MOBILITY_OCPI_MAX_BODY_BYTES")
    length = request.headers.get("Content-Length") or "0"
    if not length.isdigit():
        raise OcpiError(f"Content-Length {length!r} is not a number of bytes")
    if int(length) > limit:
        raise OcpiError(f"the request body exceeds {limit} bytes", GENERIC, 413)
    media = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise OcpiError(f"unsupported Content-Type {media!r}; send application/json", 2001, 415)
    body = request.body
    if len(body) > limit:
        raise OcpiError(f"the request body exceeds {limit} bytes", GENERIC, 413)
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise OcpiError(f"the request body is not valid JSON: {error}") from None


def _envelope(answer: Answer) -> HttpResponse:
    body: dict[str, Any] = {"status_code": answer.code}
    if answer.data is not None:
        body["data"] = answer.data
    if answer.message:
        body["status_message"] = answer.message
    body["timestamp"] = ocpi_push.ocpi_now()
    return HttpResponse(orjson.dumps(body), status=answer.http, content_type="application/json")


def _handle(request: HttpRequest, target: Target) -> HttpResponse:
    try:
        feed = ocpi_push.feed_of(_principal(request))
        ocpi_push.check_party(feed, target)
        if request.method == "GET":
            return _envelope(ocpi_push.get(feed, target))
        push = ocpi_push.put if request.method == "PUT" else ocpi_push.patch
        return _envelope(push(feed, target, _body(request)))
    except OcpiError as error:
        return _envelope(Answer(error.http, error.code, str(error)))
    except ApiError as error:  # no, an unknown or a revoked token; a token without the scope
        return _envelope(Answer(error.status, GENERIC, str(error)))


METHODS = ["GET", "PUT", "PATCH"]
DESCRIPTION = (
    "OCPI 2.2.1 Locations receiver interface: the CPO pushes (PUT, PATCH) and checks (GET) "
    "its Locations, with a token of scope mobility:ocpi bound to its feed, sent as "
    "'Authorization: Token <token>'. Answers in the OCPI envelope."
)


@router.api_operation(
    METHODS,
    "/locations/{country_code}/{party_id}/{location_id}",
    summary="An OCPI Location",
    description=DESCRIPTION,
)
def location(
    request: HttpRequest, country_code: str, party_id: str, location_id: str
) -> HttpResponse:
    return _handle(request, Target(country_code, party_id, location_id))


@router.api_operation(
    METHODS,
    "/locations/{country_code}/{party_id}/{location_id}/{evse_uid}",
    summary="An EVSE of an OCPI Location",
    description=DESCRIPTION,
)
def evse(
    request: HttpRequest, country_code: str, party_id: str, location_id: str, evse_uid: str
) -> HttpResponse:
    return _handle(request, Target(country_code, party_id, location_id, evse_uid))


@router.api_operation(
    METHODS,
    "/locations/{country_code}/{party_id}/{location_id}/{evse_uid}/{connector_id}",
    summary="A Connector of an EVSE of an OCPI Location",
    description=DESCRIPTION,
)
def connector(
    request: HttpRequest,
    country_code: str,
    party_id: str,
    location_id: str,
    evse_uid: str,
    connector_id: str,
) -> HttpResponse:
    return _handle(request, Target(country_code, party_id, location_id, evse_uid, connector_id))
