"""Hostile requests against a running server, shared by tests/test_hostile_load.py (memory
and a service that keeps answering) and bench_hostile.py (the service root's latency
meanwhile): $expand nested 50 levels, expansions over every Observation, $top far past
the page size, a $filter of hundreds and of thousands of terms, a $batch of 1,000
expanding parts, a body sent a byte a second, a live stream opened and never read."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

import httpx


def nested(levels: int) -> str:
    names = ["Datastreams", "Thing"] * levels
    text = names[levels - 1]
    for name in reversed(names[: levels - 1]):
        text = f"{name}($expand={text})"
    return text


def batch(parts: int) -> tuple[bytes, str]:
    part = (
        "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
        "GET Things?$expand=Datastreams/Observations HTTP/1.1\r\nHost: x\r\n\r\n\r\n"
    )
    return (part * parts + "--b--\r\n").encode(), "multipart/mixed; boundary=b"


HOSTILE_GETS = (
    "/sta/v1.1/Things?$expand=" + nested(50),
    "/sta/v1.1/Things?$expand=Datastreams/Observations",
    "/sta/v1.1/Observations?$top=1000000&$expand=Datastream/Thing/Locations",
    "/sta/v1.1/Observations?$filter=" + " or ".join(f"result eq {n}" for n in range(300)),
    "/sta/v1.1/Observations?$filter=" + " or ".join(f"result eq {n}" for n in range(2000)),
    "/sta/v1.1/Observations?$filter=substringof('x',tolower(concat(concat(concat("
    "'a','b'),'c'),'d')))&$orderby=length(concat('a','b')) desc",
    "/sta/v1.1/Datastreams?$expand=Observations($top=100000),Thing($expand=Datastreams("
    "$expand=Observations($top=100000)))",
    # the mobility API: every answer bounded by its own setting
    "/api/v1/mobility/nearby?lat=51.68&lon=7.81&radius=100000000&limit=100000000",
    "/api/v1/mobility/nearby?lat=51.68&lon=7.81&radius=2000&limit=200",
    "/api/v1/mobility/layers/transit?bbox=-180,-90,180,90",
    "/api/v1/mobility/gbfs/city/vehicle_status.json",
    "/api/v1/mobility/hubs/mobilstation-hauptbahnhof",
    "/api/v1/mobility/stops/1/departures?limit=100000000&date=9999-12-31&time=23:59",
)


def slow_body(base: str) -> None:
    """A POST that sends its body a byte a second and stops halfway."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=15) as conn:
        conn.sendall(
            b"POST /sta/v1.1/Things HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
            b"Content-Type: application/json\r\n\r\n"
        )
        for _ in range(3):
            conn.sendall(b"{")
            time.sleep(1)


def unread_stream(base: str) -> None:
    """A live stream opened and never read."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=15) as conn:
        conn.sendall(b"GET /umwelt/live HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(3)


def attacks(base: str) -> list[Callable[[], object]]:
    body, batch_type = batch(1000)
    client = httpx.Client(base_url=base, timeout=120)
    attacks: list[Callable[[], object]] = [
        (lambda path=path: client.get(path).status_code) for path in HOSTILE_GETS
    ]
    attacks.append(
        lambda: (
            client.post(
                "/sta/v1.1/$batch", content=body, headers={"Content-Type": batch_type}
            ).status_code
        )
    )
    attacks.append(lambda: slow_body(base))
    attacks.append(lambda: unread_stream(base))
    return attacks


def memory(pid: int) -> tuple[int, int]:
    """(resident now, highest resident since start or the last reset) of a process, bytes;
    ``echo 5 > /proc/PID/clear_refs`` resets the highest."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) * 1024
    return found["VmRSS"], found["VmHWM"]
