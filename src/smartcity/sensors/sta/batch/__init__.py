"""Batch requests (OGC 18-088 clause 11, req/batch-request/batch-request), which adopts
OData 4.0 Protocol 11.7 with its multipart format: a ``POST $batch`` whose
``multipart/mixed`` body (RFC 2046) holds ``application/http`` parts, each one embedded
request, and change sets (a nested ``multipart/mixed``) that succeed or fail as a whole.

Every embedded request runs through the normal :func:`smartcity.sensors.sta.api.handle` with
the principal of the outer request, so authentication and every rule apply per request.
The whole body is parsed and checked first; a malformed batch is a 4xx and runs nothing.
"""

from __future__ import annotations

import uuid

from smartcity.core.errors import MethodNotAllowed, PayloadTooLarge
from smartcity.sensors.sta.batch.parse import ChangeSet, max_operations, parse_batch
from smartcity.sensors.sta.batch.run import (
    CRLF,
    Handler,
    render_multipart,
    render_response,
    run,
    run_change_set,
)
from smartcity.sensors.sta.exchange import StaRequest, StaResponse

__all__ = ["handle_batch", "max_operations"]


def handle_batch(request: StaRequest, handle: Handler) -> StaResponse:
    """req/batch-request/batch-request: answer a ``POST $batch`` with one response part
    per request part, in order, as a ``multipart/mixed`` document."""
    if request.method != "POST":
        raise MethodNotAllowed("$batch accepts POST only", where="method")
    if len(request.body) > request.max_body:
        raise PayloadTooLarge(f"the request body exceeds {request.max_body} bytes", where="body")
    items = parse_batch(request.body, request.content_type)
    parts: list[str] = []
    for item in items:
        if isinstance(item, ChangeSet):
            parts.append(run_change_set(item, request, handle))
        else:
            parts.append(render_response(run(item, request, handle), item.content_id))
    boundary = f"batchresponse_{uuid.uuid4()}"
    return StaResponse(
        200,
        body=render_multipart(boundary, parts) + CRLF,
        content_type=f"multipart/mixed; boundary={boundary}",
    )
