"""Running the requests of a batch through the normal handler and writing the
multipart response (OData 4.0 Protocol 11.7.3 to 11.7.5)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.db import transaction

from smartcity.core.errors import ApiError, BadRequest
from smartcity.sensors.sta import rows
from smartcity.sensors.sta.batch.parse import ChangeSet, Operation
from smartcity.sensors.sta.exchange import StaRequest, StaResponse

CRLF = "\r\n"

Handler = Callable[[StaRequest], StaResponse]


@dataclass
class _Created:
    """What a ``$<Content-ID>`` reference stands for: the entity's path and id."""

    path: str  # below the version, e.g. "Things(5)"
    id: Any


class _RollBack(Exception):
    """Raised inside a change set's transaction to undo it after a request failed."""


def run(
    operation: Operation,
    outer: StaRequest,
    handle: Handler,
    created: dict[str, _Created] | None = None,
) -> StaResponse:
    """Execute one request, in a savepoint so a failure leaves nothing half-written."""
    try:
        path, params = _locate(operation, outer.root_url, created)
        body = operation.body
        if created is not None and b'"$' in body:
            body = _substitute_ids(body, created, operation.where)
        inner = StaRequest(
            method=operation.method,
            version=outer.version,
            path=path,
            params=params,
            root_url=outer.root_url,
            body=body,
            content_type=operation.headers.get("content-type", ""),
            principal=outer.principal,
            max_body=outer.max_body,
            prefer=operation.headers.get("prefer", ""),
        )
        if operation.method in ("GET", "HEAD"):  # a read writes nothing: no transaction,
            response = handle(inner)  # which on SQLite would take the one writer's lock
        else:
            with transaction.atomic():
                response = handle(inner)
    except ApiError as error:
        return StaResponse(error.status, error.as_json())
    return replace(response, body=None) if operation.method == "HEAD" else response


def run_change_set(change_set: ChangeSet, outer: StaRequest, handle: Handler) -> str:
    """All or nothing: on the first failure everything is rolled back and the change set
    is answered by the failed request's response alone (OData 4.0 Protocol 11.7.4)."""
    created: dict[str, _Created] = {}
    done: list[tuple[Operation, StaResponse]] = []
    try:
        with transaction.atomic():
            for operation in change_set.operations:
                response = run(operation, outer, handle, created)
                if response.status >= 400:
                    done = [(operation, response)]
                    raise _RollBack
                done.append((operation, response))
                if operation.content_id is not None:
                    _remember(created, operation.content_id, response, outer.root_url)
    except _RollBack:
        failed, response = done[0]
        return render_response(response, failed.content_id)
    boundary = f"changesetresponse_{uuid.uuid4()}"
    parts = [render_response(response, op.content_id) for op, response in done]
    return f"Content-Type: multipart/mixed; boundary={boundary}{CRLF}{CRLF}" + render_multipart(
        boundary, parts
    )


def _locate(
    operation: Operation, root_url: str, created: dict[str, _Created] | None
) -> tuple[str, list[tuple[str, str]]]:
    """Path below the version and query of the request URL, which may be relative to the
    service root, an absolute path or an absolute URL, or start with ``$<Content-ID>``."""
    try:
        url = urlsplit(operation.url)
    except ValueError as error:  # e.g. an unclosed IPv6 host "http://[::1"
        raise BadRequest(
            f"malformed URL {operation.url!r}: {error}", where=f"{operation.where}, request line"
        ) from None
    root_path = urlsplit(root_url).path
    path = unquote(url.path)
    if url.scheme or url.netloc or path.startswith("/"):
        if not (path + "/").startswith(root_path):
            raise BadRequest(
                f"the URL {operation.url!r} is outside this service root {root_url}",
                where=f"{operation.where}, request line",
            )
        path = path[len(root_path) :]
    elif path.startswith("$") and created is not None:
        name, slash, rest = path[1:].partition("/")
        if name not in created:
            raise BadRequest(
                f"no earlier request in this change set has Content-ID {name!r}",
                where=f"{operation.where}, request line",
            )
        path = created[name].path + slash + rest
    if path.strip("/") == "$batch":
        raise BadRequest("a batch cannot contain another $batch request", where=operation.where)
    return "/" + path.lstrip("/"), parse_qsl(url.query, keep_blank_values=True)


def _substitute_ids(body: bytes, created: dict[str, _Created], where: str) -> bytes:
    """Replace ``{"@iot.id": "$<Content-ID>"}`` by the id of the entity created earlier in
    the change set. A body that is not JSON is passed on for the handler to reject."""
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return body

    def walk(value: Any, pointer: str) -> Any:
        if isinstance(value, dict):
            return {
                key: _reference(item, f"{pointer}/{key}")
                if key == "@iot.id"
                else walk(item, f"{pointer}/{key}")
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [walk(item, f"{pointer}/{i}") for i, item in enumerate(value)]
        return value

    def _reference(value: Any, pointer: str) -> Any:
        if not (isinstance(value, str) and value.startswith("$")):
            return value
        if value[1:] not in created:
            raise BadRequest(
                f"no earlier request in this change set has Content-ID {value[1:]!r}",
                where=f"{where}, body {pointer}",
            )
        return created[value[1:]].id

    return json.dumps(walk(document, ""), ensure_ascii=False).encode("utf-8")


def _remember(
    created: dict[str, _Created], content_id: str, response: StaResponse, root_url: str
) -> None:
    body = response.body if isinstance(response.body, dict) else {}
    link = response.headers.get("Location") or body.get("@iot.selfLink")
    if isinstance(link, str) and link.startswith(root_url) and "@iot.id" in body:
        created[content_id] = _Created(link[len(root_url) :], body["@iot.id"])


# --- rendering ----------------------------------------------------------------------------


def render_multipart(boundary: str, parts: list[str]) -> str:
    return "".join(f"--{boundary}{CRLF}{part}{CRLF}" for part in parts) + f"--{boundary}--"


def render_response(response: StaResponse, content_id: str | None) -> str:
    """One ``application/http`` part: MIME headers, then the embedded HTTP response."""
    mime = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if content_id is not None:
        mime.append(f"Content-ID: {content_id}")
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    http = [f"HTTP/1.1 {response.status} {reason}".rstrip()]
    text = _body_text(response)
    if text is not None:
        media = response.content_type if isinstance(response.body, str) else "application/json"
        http.append(f"Content-Type: {media}")
    http.extend(f"{name}: {value}" for name, value in response.headers.items())
    if text is not None:
        http.append(f"Content-Length: {len(text.encode('utf-8'))}")
    return CRLF.join(mime) + CRLF * 2 + CRLF.join(http) + CRLF * 2 + (text or "")


def _body_text(response: StaResponse) -> str | None:
    if response.body is None:
        return None
    if isinstance(response.body, str) and not response.content_type.startswith("application/json"):
        return response.body
    # the API's own encoder: bodies embed stored JSON verbatim (orjson.Fragment)
    return rows.dumps(response.body).decode("utf-8")
