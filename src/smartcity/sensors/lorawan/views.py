"""HTTP endpoints for LoRaWAN network servers (``/ingest/lorawan/tts`` and
``/ingest/lorawan/chirpstack``): the Django adapter around :mod:`smartcity.sensors.lorawan.uplinks`.

The request carries a platform API token with the scope ``sta:write``, sent by the network
server as the custom header ``Authorization: Bearer TOKEN``. Answers: 200 with what was
written (``created``, ``duplicates``, ``ignored`` payload members); 202 when the message
was accepted but not stored (an unknown or inactive device, a simulated uplink), so one
unmapped device does not make the network server mark the whole integration as failing;
204 for message types that carry no measurements (join, ack, ...); 400/401/403/405/413/415
with a JSON error body saying what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from smartcity.core.errors import (
    ApiError,
    BadRequest,
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from smartcity.core.tokens import authenticate, require_scope
from smartcity.sensors.lorawan import uplinks

WRITE_SCOPE = "sta:write"


def _handle(request: HttpRequest, parse: Callable[[object], uplinks.Uplink | None]) -> HttpResponse:
    try:
        if request.method != "POST":
            raise MethodNotAllowed("network servers deliver uplinks by POST", where="method")
        require_scope(authenticate(request.headers.get("Authorization", "")), WRITE_SCOPE)
        uplink = parse(_json_body(request))
        if uplink is None:
            return HttpResponse(status=204)
        outcome = uplinks.store(uplink)
    except ApiError as error:
        return JsonResponse(
            error.as_json(), status=error.status, json_dumps_params={"ensure_ascii": False}
        )
    return JsonResponse(
        outcome.as_json(),
        status=200 if outcome.stored else 202,
        json_dumps_params={"ensure_ascii": False},
    )


def _json_body(request: HttpRequest) -> object:
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
    length = request.headers.get("Content-Length") or "0"
    if not length.isdigit():
        raise BadRequest(f"Content-Length {length!r} is not a number of bytes", where="body")
    if limit and int(length) > limit:
        raise PayloadTooLarge(f"the request body exceeds {limit} bytes", where="body")
    media = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if media not in ("application/json", ""):
        raise UnsupportedMediaType(
            f"unsupported Content-Type {media!r}; send application/json", where="Content-Type"
        )
    try:
        return orjson.loads(request.body)
    except orjson.JSONDecodeError as error:
        raise BadRequest(f"the request body is not valid JSON: {error}", where="body") from None


@csrf_exempt  # token-authenticated machine endpoint: no cookies
def tts_uplink(request: HttpRequest) -> HttpResponse:
    """A The Things Stack webhook (uplink message; other message types are answered 204)."""
    return _handle(request, uplinks.parse_tts)


@csrf_exempt  # token-authenticated machine endpoint: no cookies
def chirpstack_event(request: HttpRequest) -> HttpResponse:
    """A ChirpStack HTTP integration event; the type is the ``event`` query parameter."""
    event = request.GET.get("event", "")
    if not event and request.method == "POST":
        error = BadRequest("the event query parameter is missing, e.g. ?event=up", where="event")
        return JsonResponse(error.as_json(), status=400)
    return _handle(request, lambda body: uplinks.parse_chirpstack(event, body))
