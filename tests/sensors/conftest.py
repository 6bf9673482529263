from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client

from smartcity.core.tokens import create_token

STA = "/sta/v1.1/"


class StaClient:
    """A Django test client speaking JSON to the SensorThings API, with a write token."""

    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(STA + path, params or None, headers=self.headers)

    def post(
        self,
        path: str,
        body: Any,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> Any:
        data = body if isinstance(body, str | bytes) else _dump(body)
        return self.client.post(
            STA + path, data, content_type=content_type, headers={**self.headers, **(headers or {})}
        )

    def patch(self, path: str, body: Any, content_type: str = "application/json") -> Any:
        data = body if isinstance(body, str | bytes) else _dump(body)
        return self.client.patch(STA + path, data, content_type=content_type, headers=self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(
            STA + path, _dump(body), content_type="application/json", headers=self.headers
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(STA + path, headers=self.headers)


def _dump(body: Any) -> str:
    import json

    return json.dumps(body)


@pytest.fixture
def write_token(db: Any) -> str:
    return create_token("test device", ["sta:write"])[1]


@pytest.fixture
def sta(client: Client, write_token: str) -> StaClient:
    return StaClient(client, write_token)


@pytest.fixture
def anonymous(client: Client, db: Any) -> StaClient:
    return StaClient(client, None)


def basic(token: str) -> str:
    return "Basic " + base64.b64encode(f"qgis:{token}".encode()).decode()
