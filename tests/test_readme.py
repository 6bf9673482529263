"""The README's first steps work when pasted: its shell examples from the first write on
run against the platform as it is served, and the station they create is on the
dashboard with its value."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from smartcity.core.tokens import create_token
from smartcity.environment import dashboard, live
from tests.servers import asgi_server

README = Path(__file__).resolve().parents[1] / "README.md"
pytestmark = pytest.mark.django_db(transaction=True)


def _blocks_from_first_write() -> list[str]:
    text = README.read_text()
    blocks = re.findall(r"```\n(.*?)```", text, flags=re.S)
    start = next(i for i, block in enumerate(blocks) if "curl" in block and "POST" in block)
    return [re.sub(r"^ {3}", "", block, flags=re.M) for block in blocks[start:] if "curl" in block]


def test_the_readme_examples_make_a_station_that_the_dashboard_shows():
    _, secret = create_token("Mein Skript", ["sta:write"])
    script = "set -euo pipefail\n" + "\n".join(_blocks_from_first_write())
    try:
        with asgi_server() as url:
            done = subprocess.run(  # noqa: S603 - bash running the README's own examples
                ["/bin/bash", "-c", script.replace("http://127.0.0.1:8000", url)],
                env={"TOKEN": secret, "PATH": "/usr/bin:/bin"},
                capture_output=True,
                text=True,
                timeout=60,
            )
    finally:
        live.hub.close()
    assert done.returncode == 0, done.stderr
    [station] = [s for s in dashboard.stations() if s.name == "Wetterstation Rathaus"]
    assert station.kind == dashboard.AIR and station.lon is not None
    assert [stream.value for stream in station.streams] == [21.5]
