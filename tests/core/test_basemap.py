"""The platform's own base map: the PMTiles archive served in byte ranges (206, 416 with a
message, the whole file without a Range), the style that points MapLibre to it, and which
base map a page is given (the archive wins over the URL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from smartcity.core import basemap, city, ranges
from tests import basemap_archive

TILES, STYLE = "/karte/grundkarte.pmtiles", "/karte/grundkarte.json"


@pytest.fixture
def archive(tmp_path: Path, monkeypatch) -> Path:
    path = basemap_archive.write(tmp_path / "hamm.pmtiles")
    monkeypatch.setenv("SMARTCITY_BASEMAP_PMTILES", str(path))
    monkeypatch.delenv("SMARTCITY_BASEMAP_STYLE_FILE", raising=False)
    return path


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_a_byte_range_is_answered_206_with_its_bytes(archive: Path) -> None:
    data = archive.read_bytes()
    response = Client().get(TILES, HTTP_RANGE="bytes=0-126")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-126/{len(data)}"
    assert response["Content-Length"] == "127"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "application/vnd.pmtiles"
    body = _body(response)
    assert body == data[:127] and body[:7] == b"PMTiles"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header, start, end",
    [
        ("bytes=100-", 100, None),
        ("bytes=-50", -50, None),
        ("bytes=10-99999999", 10, None),
        ("bytes=5-5", 5, 6),
    ],
)
def test_open_suffix_and_overlong_ranges(
    archive: Path, header: str, start: int, end: int | None
) -> None:
    data = archive.read_bytes()
    response = Client().get(TILES, HTTP_RANGE=header)
    assert response.status_code == 206
    assert _body(response) == data[start:end]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "bytes=99999999-",
        "bytes=20-10",
        "bytes=0-1,5-9",
        "items=0-10",
        "bytes=-0",
        "bytes=-",
        "bytes=a-b",
    ],
)
def test_a_range_that_cannot_be_served_is_416_with_a_message(archive: Path, header: str) -> None:
    response = Client().get(TILES, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{archive.stat().st_size}"
    assert "Range" in response.content.decode()


@pytest.mark.django_db
def test_without_a_range_the_whole_file_comes_and_head_has_no_body(archive: Path) -> None:
    response = Client().get(TILES)
    assert response.status_code == 200 and not response.streaming  # small: read at once
    assert _body(response) == archive.read_bytes()
    head = Client().head(TILES, HTTP_RANGE="bytes=0-9")
    assert head.status_code == 206 and head["Content-Length"] == "10"
    assert _body(head) == b""
    assert Client().post(TILES).status_code == 405


@pytest.mark.django_db
def test_an_if_range_that_no_longer_matches_gets_the_whole_file(archive: Path) -> None:
    etag = Client().head(TILES)["ETag"]
    same = Client().get(TILES, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert same.status_code == 206
    other = Client().get(TILES, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert other.status_code == 200 and len(_body(other)) == archive.stat().st_size


@pytest.mark.django_db
def test_a_large_range_streams_in_chunks(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "big.pmtiles"
    path.write_bytes(bytes(range(256)) * 8 * 1024)  # 2 MiB
    monkeypatch.setenv("SMARTCITY_BASEMAP_PMTILES", str(path))
    response = Client().get(TILES, HTTP_RANGE="bytes=1-1500000")
    assert response.status_code == 206 and response.streaming
    assert response["Content-Length"] == "1500000"
    parts = list(response.streaming_content)
    assert max(len(p) for p in parts) == ranges.CHUNK
    assert b"".join(parts) == path.read_bytes()[1:1_500_001]


@pytest.mark.django_db
def test_under_asgi_a_large_range_streams_from_an_async_iterator(tmp_path, monkeypatch) -> None:
    """Django collects a synchronous iterator whole under ASGI: a GET of a large archive
    would be held in memory at once."""
    import asyncio
    import threading

    from django.test import AsyncClient

    path = tmp_path / "big.pmtiles"
    path.write_bytes(bytes(range(256)) * 8 * 1024)  # 2 MiB
    monkeypatch.setenv("SMARTCITY_BASEMAP_PMTILES", str(path))

    async def fetch():
        response = await AsyncClient().get(TILES)
        assert response.streaming and response.is_async
        return [part async for part in response.streaming_content]

    found: list[list[bytes]] = []  # asyncio.run in a thread: the browser tests keep a loop
    runner = threading.Thread(target=lambda: found.append(asyncio.run(fetch())))
    runner.start()
    runner.join(timeout=30)
    [parts] = found
    assert max(len(p) for p in parts) == ranges.CHUNK
    assert b"".join(parts) == path.read_bytes()


@pytest.mark.django_db
def test_no_archive_configured_is_404(monkeypatch) -> None:
    monkeypatch.delenv("SMARTCITY_BASEMAP_PMTILES", raising=False)
    monkeypatch.delenv("SMARTCITY_BASEMAP_STYLE_FILE", raising=False)
    for url in (TILES, STYLE):
        response = Client().get(url)
        assert response.status_code == 404 and "Hintergrundkarte" in response.json()["message"]


@pytest.mark.django_db
def test_the_built_in_style_reads_the_archive(archive: Path) -> None:
    style = Client().get(STYLE).json()
    assert style["version"] == 8
    assert style["sources"]["basemap"]["url"] == "pmtiles://http://testserver" + TILES
    layers = {layer["id"]: layer for layer in style["layers"]}
    assert layers["water"]["source-layer"] == "water"
    assert "glyphs" not in style and "sprite" not in style  # nothing from another host


@pytest.mark.django_db
def test_the_operators_style_file_is_pointed_to_the_archive(
    archive: Path, tmp_path: Path, monkeypatch
) -> None:
    own = tmp_path / "style.json"
    own.write_text(
        json.dumps(
            {
                "version": 8,
                "sources": {
                    "omt": {
                        "type": "vector",
                        "tiles": ["https://elsewhere.example/{z}/{x}/{y}.pbf"],
                    },
                    "hills": {"type": "raster", "tiles": ["/hills/{z}/{x}/{y}.png"]},
                },
                "layers": [],
            }
        )
    )
    monkeypatch.setenv("SMARTCITY_BASEMAP_STYLE_FILE", str(own))
    style = Client().get(STYLE).json()
    assert style["sources"]["omt"] == {
        "type": "vector",
        "url": "pmtiles://http://testserver" + TILES,
    }
    assert style["sources"]["hills"]["tiles"] == ["/hills/{z}/{x}/{y}.png"]
    own.write_text("{not json")
    broken = Client().get(STYLE)
    assert broken.status_code == 503 and "Stil" in broken.json()["message"]
    own.write_text("[]")
    assert Client().get(STYLE).status_code == 503


def test_the_archive_wins_over_the_url(archive: Path, monkeypatch) -> None:
    monkeypatch.setenv("SMARTCITY_BASEMAP_URL", "https://karten.example.org/style.json")
    assert basemap.page_config()["style"] == STYLE
    assert basemap.page_config()["pmtiles"] is True
    monkeypatch.delenv("SMARTCITY_BASEMAP_PMTILES")
    assert basemap.page_config()["style"] == "https://karten.example.org/style.json"
    assert basemap.page_config()["pmtiles"] is False
    monkeypatch.setenv("SMARTCITY_BASEMAP_URL", "")
    assert basemap.page_config()["style"] is None


def test_the_page_gets_district_outlines_and_labels(tmp_path: Path, monkeypatch) -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[7.7, 51.6], [7.8, 51.6], [7.8, 51.7], [7.7, 51.7], [7.7, 51.6]]],
    }
    path = tmp_path / "city.json"
    path.write_text(
        json.dumps(
            {
                "name": "Hamm",
                "extent": [7.65, 51.58, 8.05, 51.78],
                "districts": [
                    {"name": "Westen", "outline": square},
                    {"name": "Osten", "label": [7.9, 51.65]},
                    {"name": "Irgendwo"},
                ],
            }
        )
    )
    monkeypatch.setenv("SMARTCITY_CITY_FILE", str(path))
    city.city.cache_clear()
    try:
        features = basemap.districts_geojson()["features"]
    finally:
        city.city.cache_clear()
    found = [
        (f["properties"]["name"], f["properties"]["role"], f["geometry"]["type"]) for f in features
    ]
    assert found == [
        ("Westen", "outline", "Polygon"),
        ("Westen", "label", "Point"),
        ("Osten", "label", "Point"),
    ]
    west = features[1]["geometry"]["coordinates"]
    assert 7.7 < west[0] < 7.8 and 51.6 < west[1] < 51.7
    assert features[2]["geometry"]["coordinates"] == [7.9, 51.65]


@pytest.mark.parametrize("label", [[7.9], "here", [200, 51], [7.9, "x"]])
def test_a_bad_district_label_is_refused_with_its_place(tmp_path: Path, label) -> None:
    path = tmp_path / "city.json"
    path.write_text(
        json.dumps(
            {
                "name": "X",
                "extent": [7.6, 51.5, 7.7, 51.6],
                "districts": [{"name": "A", "label": label}],
            }
        )
    )
    with pytest.raises(city.CityFileError, match=r"districts\[0\]\.label"):
        city.load(path)
