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
    prefer: str = ""  # the Prefer header (RFC 7240), as sent

    def preference(self, name: str) -> str | None:
        """The value of the preference ``name`` in the Prefer header (RFC 7240: a comma
        separated list of ``token[=value]`` with optional ``;`` parameters, names
        case-insensitive), lower case; "" for a preference without a value, None when
        it is not asked for."""
        for item in self.prefer.split(","):
            token, _, value = item.split(";")[0].partition("=")
            if token.strip().lower() == name:
                return value.strip().strip('"').lower()
        return None


@dataclass
class StaResponse:
    status: int
    body: Any = None  # JSON-able, or str for text/plain
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
