"""The mobility JSON API under ``/api/v1/mobility/`` (OpenAPI at /api/openapi.json)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Mobilität / mobility"])
