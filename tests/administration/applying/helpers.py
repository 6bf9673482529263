"""Filling in the test service's application through the test client."""

from __future__ import annotations

import io
import re

from tests.administration.applying.factories import PDF, STEP_VALUES


def start(client, service_key: str = "kita-platz", **post: str) -> str:
    """Starts an application; its public id."""
    answer = client.post(f"/service/antrag/{service_key}/", post)
    assert answer.status_code == 302, answer.content[:500]
    found = re.match(r"/service/antrag/([\w-]+)/schritt/", answer["Location"])
    assert found, answer["Location"]
    return found.group(1)


def upload(content: bytes = PDF, name: str = "bescheinigung.pdf") -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def fill(client, public_id: str, file: io.BytesIO | None = None) -> None:
    """All three steps, complete, with an upload on the second."""
    for key, values in STEP_VALUES.items():
        post = {**values, "_action": "weiter"}
        if key == "betreuung":
            post["nachweis"] = file or upload()
        answer = client.post(f"/service/antrag/{public_id}/schritt/{key}/", post)
        assert answer.status_code == 302, answer.content.decode()[-3000:]


def submit(client, public_id: str):
    return client.post(f"/service/antrag/{public_id}/absenden/")
