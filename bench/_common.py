"""What the benchmarks share: a throwaway store with a running `smartcity serve`, a few
SensorThings helpers, bounded client loops and the printing of figures.

Every benchmark prints its figure beside a baseline measured in the same run, so the
ratio means something on any machine. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
STA = "/sta/v1.1/"
CLIENT_THREADS = 8
START_TIMEOUT = 60.0  # seconds for `smartcity serve` to answer
COMMAND_TIMEOUT = 300.0  # seconds for migrate, token create


def parse_args(description: str, extra: Callable[[argparse.ArgumentParser], None] | None = None,
               argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite",
                        help="store behind the server (postgres: a temporary database on "
                             "127.0.0.1:5432, dropped afterwards)")
    parser.add_argument("--quick", action="store_true", help="shorter runs, smaller data")
    if extra:
        extra(parser)
    return parser.parse_args(argv)


@dataclass
class Server:
    """A running `smartcity serve` on a throwaway store."""

    store: str
    root: str  # http://127.0.0.1:PORT/sta/v1.1/
    token: str
    env: dict[str, str]
    data_dir: Path
    database_url: str  # "" for SQLite
    pid: int = 0  # the server process

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "smartcity.sqlite3"

    def client(self, *, auth: bool = True) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
        return httpx.Client(base_url=self.root, headers=headers, timeout=120.0,
                            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1))


def smartcity(env: dict[str, str], *args: str, timeout: float = COMMAND_TIMEOUT) -> str:
    """Run a `smartcity` command to completion and return its standard output."""
    done = subprocess.run([sys.executable, "-m", "smartcity.cli", *args], env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"smartcity {' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database with PostGIS, dropped on exit; yields its URL."""
    import psycopg

    name = f"smartcity_bench_{secrets.token_hex(4)}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}"
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        yield url
    finally:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def running_server(store: str, settings: dict[str, str] | None = None,
                   workers: int = 1) -> Iterator[Server]:
    """Throwaway store, migrate, token, `smartcity serve` on a free loopback port; on exit
    the server is stopped and the store removed, whatever happened."""
    data_dir = Path(tempfile.mkdtemp(prefix="smartcity_bench_"))
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(postgres_database()) if store == "postgres" else ""
            env = {**_server_env(data_dir, url), **(settings or {})}
            smartcity(env, "migrate", "--verbosity", "0")
            token = smartcity(env, "token", "create", "--name", "bench",
                              "--scope", "sta:write").strip().splitlines()[-1]
            port = free_port()
            root = f"http://127.0.0.1:{port}{STA}"
            log = data_dir / "serve.log"
            pid = stack.enter_context(_serve(env, port, root, log, workers))
            try:
                yield Server(store, root, token, env, data_dir, url, pid)
            except BaseException:
                print(f"--- end of the server log:\n{log.read_text()[-4000:]}", file=sys.stderr)
                raise
            finally:
                _report_logged_errors(log)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _report_logged_errors(log: Path) -> None:
    """Errors the server logged (500s) are findings too: show the first one."""
    lines = log.read_text(errors="replace").splitlines()
    errors = [i for i, line in enumerate(lines) if " ERROR " in line]
    if errors:
        first = "\n".join(lines[errors[0]:errors[0] + 60])
        print(f"  server log: {len(errors)} ERROR line(s); the first:\n{first}", file=sys.stderr)


def _server_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    env.update(SMARTCITY_DATA_DIR=str(data_dir), SMARTCITY_DEBUG="0",
               SMARTCITY_SECRET_KEY=secrets.token_urlsafe(50),
               SMARTCITY_ALLOWED_HOSTS="127.0.0.1", SMARTCITY_LOG_LEVEL="WARNING",
               DJANGO_SETTINGS_MODULE="smartcity.settings")
    if database_url:
        env["SMARTCITY_DATABASE_URL"] = database_url
    return env


@contextlib.contextmanager
def _serve(env: dict[str, str], port: int, root: str, log_path: Path,
           workers: int = 1) -> Iterator[int]:
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "smartcity.cli", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers)],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(process, root, log_path)
            yield process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def _wait_until_up(process: subprocess.Popen[bytes], root: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"smartcity serve exited:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(root, timeout=2.0).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"smartcity serve did not answer within {START_TIMEOUT:.0f} s:\n"
                       f"{log_path.read_text()[-3000:]}")


# --- SensorThings helpers -------------------------------------------------------------

def thing_payload(index: int, streams: int) -> dict[str, Any]:
    """A Thing with a Location and ``streams`` Datastreams, for one deep insert."""
    lon, lat = 7.8 + index * 0.001, 51.68 + index * 0.001  # Hamm
    return {
        "name": f"Bench station {index}", "description": "benchmark",
        "Locations": [{"name": f"Bench place {index}", "description": "benchmark",
                       "encodingType": "application/geo+json",
                       "location": {"type": "Point", "coordinates": [lon, lat]}}],
        "Datastreams": [{
            "name": f"Bench stream {index}.{n}", "description": "benchmark",
            "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/"
                               "OM_Measurement",
            "unitOfMeasurement": {"name": "degree Celsius", "symbol": "°C",
                                  "definition": "http://unitsofmeasure.org/ucum.html#para-30"},
            "Sensor": {"name": f"Bench sensor {index}.{n}", "description": "benchmark",
                       "encodingType": "application/pdf", "metadata": "https://example.org/s"},
            "ObservedProperty": {"name": "Air temperature", "description": "benchmark",
                                 "definition": "http://vocab.nerc.ac.uk/collection/P07/"
                                               "current/CFSN0023/"},
        } for n in range(streams)],
    }


def create_datastreams(server: Server, things: int, streams_per_thing: int) -> list[int]:
    """Create Things with Locations and Datastreams by deep insert; return the stream ids."""
    ids: list[int] = []
    with server.client() as client:
        for index in range(things):
            response = client.post("Things", json=thing_payload(index, streams_per_thing))
            response.raise_for_status()
            thing_id = response.json()["@iot.id"]
            listed = client.get(f"Things({thing_id})/Datastreams",
                                params={"$select": "id", "$top": "1000", "$orderby": "id"})
            listed.raise_for_status()
            ids.extend(item["@iot.id"] for item in listed.json()["value"])
    return ids


def count_observations(server: Server, stream_id: int | None = None) -> int:
    """The Observations of one Datastream, or of all with None: one request."""
    path = "Observations" if stream_id is None else f"Datastreams({stream_id})/Observations"
    with server.client() as client:
        response = client.get(path, params={"$count": "true", "$top": "0"})
        response.raise_for_status()
        return int(response.json()["@iot.count"])


# --- bounded client loops -------------------------------------------------------------

@dataclass
class Tally:
    """Latencies (seconds) of successful requests, plus errors, over a wall-clock span."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    first_error: str = ""

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        return percentile(self.latencies, fraction)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


Request = Callable[[httpx.Client, int, int], httpx.Response]  # (client, thread, n) -> response


def run_concurrently(make_client: Callable[[], httpx.Client], request: Request, *,
                     seconds: float, threads: int = CLIENT_THREADS,
                     max_per_thread: int = 1_000_000) -> Tally:
    """``threads`` clients, each with its own keep-alive connection, send requests until
    ``seconds`` have passed (or ``max_per_thread`` requests each)."""
    tally = Tally()
    lock = threading.Lock()
    start_gate = threading.Barrier(threads + 1)
    deadline: list[float] = [0.0]

    def worker(thread: int) -> None:
        latencies: list[float] = []
        errors, first_error = 0, ""
        with make_client() as client:
            start_gate.wait()
            for n in range(max_per_thread):
                if time.monotonic() >= deadline[0]:
                    break
                began = time.perf_counter()
                try:
                    response = request(client, thread, n)
                    ok = response.is_success
                    message = "" if ok else f"HTTP {response.status_code}: {response.text[:200]}"
                except httpx.HTTPError as error:
                    ok, message = False, repr(error)
                if ok:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1
                    first_error = first_error or message
        with lock:
            tally.latencies.extend(latencies)
            tally.errors += errors
            tally.first_error = tally.first_error or first_error

    workers = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(threads)]
    for w in workers:
        w.start()
    began = time.monotonic()
    deadline[0] = began + seconds
    start_gate.wait()
    for w in workers:
        w.join(timeout=seconds + 180)
    tally.seconds = time.monotonic() - began
    return tally


@dataclass
class PlainResponse:
    status_code: int
    content: bytes

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300


class PlainClient:
    """GETs over one keep-alive connection with the standard library's http.client, which
    requests and urllib3 (and so FROST's Python client) build on. Its cost per response
    byte is a fraction of httpx's, so a large answer measures the server, not the client."""

    def __init__(self, root: str) -> None:
        parts = urllib.parse.urlsplit(root)
        self.path = parts.path
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port,
                                                     timeout=120.0)

    def get(self, path: str, params: dict[str, str] | None = None) -> PlainResponse:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        self.connection.request("GET", self.path + path + query)
        response = self.connection.getresponse()
        return PlainResponse(response.status, response.read())

    def close(self) -> None:
        self.connection.close()


def run_sequentially(requests: dict[str, Callable[[int], Any]],
                     *, seconds: float, max_rounds: int) -> dict[str, Tally]:
    """Alternate the named requests one after another (so drift hits all alike) until
    ``seconds`` have passed or ``max_rounds`` rounds are done."""
    tallies = {name: Tally() for name in requests}
    began = time.monotonic()
    for n in range(max_rounds):
        if time.monotonic() - began >= seconds:
            break
        for name, send in requests.items():
            start = time.perf_counter()
            response = send(n)
            elapsed = time.perf_counter() - start
            tally = tallies[name]
            if response.is_success:
                tally.latencies.append(elapsed)
                tally.seconds += elapsed
            else:
                tally.errors += 1
                tally.first_error = tally.first_error or f"HTTP {response.status_code}"
    return tallies


# --- printing -------------------------------------------------------------------------

def heading(title: str, args: argparse.Namespace) -> None:
    print(f"== {title} (store: {args.store}{', quick' if args.quick else ''}; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs)", flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(ratio: float, target: float, aim: float | None = None) -> str:
    met = "met" if ratio >= target else "MISSED"
    goal = f"target >= {target:g}x" + (f", aim {aim:g}x" if aim else "")
    return f"{ratio:.2f}x ({goal}: {met})"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
