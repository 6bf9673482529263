"""Sources of importers: opened from a path, bytes, a stream or a real https server on
loopback; split into JSON records one at a time with their JSON Pointers; a broken or
oversized source is a SourceError, never a crash or an unbounded read."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smartcity.core.sources import (
    Chunks,
    Rejected,
    Source,
    SourceError,
    json_records,
    open_source,
)


def _records(data: bytes, **shape: Any) -> list[tuple[str, Any]]:
    shape.setdefault("top", list)
    shape.setdefault("shape", "expected an array")
    return [(r.where, r.value) for r in json_records(open_source(data), **shape)]


def test_the_items_of_an_array_one_by_one_with_their_pointers():
    assert _records(b'[1, {"a": [1, 2.5]}, "x", null]') == [
        ("/0", 1),
        ("/1", {"a": [1, 2.5]}),
        ("/2", "x"),
        ("/3", None),
    ]
    assert _records(b"[]") == []


def test_the_members_of_an_object_with_split_arrays():
    data = b'{"s": {"x": 1}, "m": [{"d": 1}, [2]], "a/b~": 3, "e": []}'
    assert _records(data, top=dict, split=("m", "e")) == [
        ("/s", {"x": 1}),
        ("/m/0", {"d": 1}),
        ("/m/1", [2]),
        ("/a~1b~0", 3),  # RFC 6901 escapes
        ("/e", []),  # an empty split member is seen
    ]


@pytest.mark.parametrize("data", [b'{"error": "rate limited"}', b"{}", b"17", b'"x"'])
def test_another_top_level_is_rejected_as_a_whole(data):
    with pytest.raises(Rejected) as caught:
        _records(data, shape="expected a JSON array of records")
    assert (caught.value.where, caught.value.reason) == ("/", "expected a JSON array of records")


@pytest.mark.parametrize("data", [b"", b"[1, 2", b"[NaN]", b'[{"a": 1}}', b"[1] [2]"])
def test_malformed_json_is_a_source_error(data):
    with pytest.raises(SourceError, match="not JSON"):
        _records(data)


def test_records_before_the_break_are_given_out():
    got = []
    with pytest.raises(SourceError):
        for record in json_records(open_source(b'[1, 2, {"a": '), top=list, shape=""):
            got.append(record.value)
    assert got == [1, 2]


def test_a_file_has_its_size_and_counts_what_was_read(tmp_path):
    path = tmp_path / "records.json"
    path.write_bytes(b"[" + b",".join(b"%d" % i for i in range(50_000)) + b"]")
    seen = []
    with open_source(str(path)) as source:
        source.on_read = lambda: seen.append(source.done)
        assert source.total == path.stat().st_size
        assert sum(1 for _ in json_records(source, top=list, shape="")) == 50_000
        assert source.done == source.total
    assert seen == sorted(seen) and len(seen) > 1  # more than one read: it streamed


def test_a_stream_without_a_size():
    source = open_source(Chunks([b"[1,", b"2]"]))
    assert source.total is None
    assert [r.value for r in json_records(source, top=list, shape="")] == [1, 2]


def test_a_record_over_the_limit_stops_before_it_is_held():
    huge = (b"x" * 1000 for _ in range(10_000))  # one string of 10 MB
    chunks = Chunks([b'[1, {"a": "', *huge, b'"}]'])
    source = Source(chunks, "test", record_limit=100_000)
    got = []
    with pytest.raises(SourceError, match="larger than 100000 bytes"):
        for record in json_records(source, top=list, shape=""):
            got.append(record.value)
    assert got == [1]
    assert source.done < 400_000  # stopped long before the end of the record


def test_many_records_under_the_limit_pass():
    chunks = Chunks([b"[", *(b'"%s",' % (b"y" * 50_000) for _ in range(100)), b'""]'])
    source = Source(chunks, "test", record_limit=60_000)
    assert sum(1 for _ in json_records(source, top=list, shape="")) == 101


def test_unknown_kinds_and_plain_http_are_refused():
    with pytest.raises(TypeError):
        open_source(17)
    with pytest.raises(ValueError, match="https only"):
        open_source("http://127.0.0.1:9/records.json")
    with pytest.raises(OSError):
        open_source("/nonexistent/records.json")


# A real https server on loopback, trusted through SSL_CERT_FILE for the test.


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
    command += ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603 - fixed
    return key, cert


BODY = b"[" + b",".join(b'{"n": %d}' % i for i in range(5000)) + b"]"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        cut = self.path == "/cut.json"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY[: len(BODY) // 2] if cut else BODY)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def https_url(certificate, monkeypatch) -> Iterator[str]:
    key, cert = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_https_source_streams_with_its_content_length(https_url):
    with open_source(https_url + "/records.json") as source:
        assert source.total == len(BODY)
        values = [r.value["n"] for r in json_records(source, top=list, shape="")]
    assert values == list(range(5000))


def test_an_https_source_cut_off_is_a_source_error(https_url):
    with open_source(https_url + "/cut.json") as source, pytest.raises(SourceError):
        for _ in json_records(source, top=list, shape=""):
            pass


def test_a_file_source_seeks_so_a_zip_archive_can_be_read(tmp_path):
    import zipfile

    path = tmp_path / "feed.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("stops.txt", "stop_id,stop_name\n1,Hamm Hbf\n")
    with open_source(str(path)) as source, zipfile.ZipFile(source) as archive:
        source.record_limit = 10  # a reader that does not split records is not limited
        assert archive.read("stops.txt").decode().splitlines()[1] == "1,Hamm Hbf"
    stream = open_source(Chunks([b"[]"]))
    assert not stream.seekable()
    with pytest.raises(OSError):
        stream.seek(0)


def test_the_first_record_is_limited_too():
    source = Source(Chunks([b'[{"a": "', b"x" * 500_000, b'"}]']), "test", record_limit=1000)
    with pytest.raises(SourceError, match="larger than 1000 bytes"):
        list(json_records(source, top=list, shape=""))
