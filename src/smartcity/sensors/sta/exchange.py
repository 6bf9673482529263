"""What goes into and comes out of the SensorThings handler (``api.handle``), free of any
framework: the Django view, the $batch runner and the tests build a :class:`StaRequest`
and read a :class:`StaResponse`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smartcity.core.tokens import Principal


@dataclass
class StaRequest:
    method: str
    version: str  # "v1.1" or "v1.0"
    path: str  # below the version, e.g. "/Things(1)/Datastreams"
    params: list[tuple[str, str]]
    root_url: str  # absolute, ends with "/", e.g. "http://host/sta/v1.1/"
    body: bytes = b""
    content_type: str = ""
    principal: Principal | None = None
    max_body: int = 32 * 1024 * 1024


@dataclass
class StaResponse:
    status: int
    body: Any = None  # JSON-able, or str for text/plain
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
