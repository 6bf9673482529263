"""Errors that reach a client as a 4xx with a JSON body saying what is wrong and where."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A client error. ``where`` names the part of the request at fault (a query option,
    a JSON pointer into the body, a path segment), so the message can say where."""

    status = 400
    headers: dict[str, str] = {}

    def __init__(self, message: str, *, where: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        if status is not None:
            self.status = status

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.status, "type": "error", "message": self.message}
        if self.where:
            body["where"] = self.where
        return body


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class MethodNotAllowed(ApiError):
    status = 405


class Conflict(ApiError):
    status = 409


class PayloadTooLarge(ApiError):
    status = 413


class UnsupportedMediaType(ApiError):
    status = 415
