"""The official GBFS test fixtures (/work/shared/specs/gbfs/testFixtures, copied into
tests/fixtures/gbfs) served as a live system on the loopback https site of the mobility
tests: every file at ``/<version>/<name>.json``, and a gbfs.json whose URLs point there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.https import Answer, Site

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gbfs"
VERSIONS = ("v2.3", "v3.0", "v3.1-RC3")
NOT_LISTED = {"gbfs", "manifest"}  # gbfs.json must not list manifest.json (spec)


def load(version: str, name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / version / f"{name}.json").read_text(encoding="utf-8"))


def names(version: str) -> list[str]:
    return sorted(p.stem for p in (FIXTURES / version).glob("*.json"))


def discovery(site: Site, version: str) -> dict[str, Any]:
    """The fixture's gbfs.json with every URL on ``site``; the fixture's other files that
    it does not list (v3.1-RC3 lists three) are added, so that every file is read."""
    document = load(version, "gbfs")
    data = document["data"]
    feeds = data[next(iter(data))]["feeds"] if version == "v2.3" else data["feeds"]
    listed = {feed["name"] for feed in feeds}
    feeds += [{"name": n, "url": ""} for n in names(version) if n not in listed | NOT_LISTED]
    for feed in feeds:
        feed["url"] = site.url(f"/{version}/{feed['name']}.json")
    return document


def serve(site: Site, version: str, gbfs: dict[str, Any] | None = None) -> str:
    """Serve the fixture system of ``version``; the URL of its gbfs.json."""
    for name in names(version):
        site.routes[f"/{version}/{name}.json"] = (FIXTURES / version / f"{name}.json").read_bytes()
    document = gbfs if gbfs is not None else discovery(site, version)
    site.routes[f"/{version}/gbfs.json"] = json.dumps(document).encode()
    return site.url(f"/{version}/gbfs.json")


def put(site: Site, version: str, name: str, document: Any, status: int = 200) -> None:
    """Answer file ``name`` with ``document`` (JSON) from now on."""
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    site.routes[f"/{version}/{name}.json"] = Answer(body, status)
