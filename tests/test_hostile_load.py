"""No request takes the service down: the platform served as in production (`smartcity
serve`, a process of its own on the test database) meets eight hostile clients at once,
repeatedly: $expand nested 50 levels, a $batch of 1,000 expanding parts, expansions over
every Observation, a $filter of thousands of terms, $top far past the page size, bodies
sent a byte at a time and live streams never read. Its memory grows by less than 200 MB
over the whole attack, and the service root keeps answering meanwhile (the latency itself
is measured in bench/bench_hostile.py, not asserted here)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from bench._hostile import attacks
from django.db import connection

from smartcity.sensors.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)
MEGABYTE = 1024 * 1024


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    load_demo(days=3)
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings['NAME']}"
    else:
        url = (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(
        os.environ,
        SMARTCITY_DATABASE_URL=url,
        SMARTCITY_DATA_DIR=str(tmp_path),
        SMARTCITY_REQUEST_BODY_TIMEOUT="5",
        SMARTCITY_MQTT_URL="",
        SMARTCITY_DEMO_FEED="0",
    )
    process = subprocess.Popen(  # noqa: S603 - the test's own interpreter and arguments
        [sys.executable, "-m", "smartcity.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "")
        try:
            if httpx.get(base + "/sta/v1.1/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not come up")


def _memory(pid: int) -> tuple[int, int]:
    """(resident now, highest resident so far) of a process, in bytes."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) * 1024
    return found["VmRSS"], found["VmHWM"]


def test_eight_hostile_clients_neither_exhaust_memory_nor_stop_the_service(server):
    base, pid = server
    probe = httpx.Client(base_url=base, timeout=10)
    # Warm: every module imported, every worker thread's connection and page cache filled
    # (SQLite keeps up to 64 MiB of pages per connection), the allocator's pools made.
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda attack: attack(), attacks(base)))
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak counts from here
    resident_before, _ = _memory(pid)
    answers: list[object] = []
    root_answers: list[int] = []
    attacking = threading.Event()
    attacking.set()

    def keep_asking_the_root() -> None:
        while attacking.is_set():
            root_answers.append(probe.get("/sta/v1.1/").status_code)  # raises on a timeout
            time.sleep(0.2)

    watcher = threading.Thread(target=keep_asking_the_root)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda attack: attack(), attacks(base) * 3))
    finally:
        attacking.clear()
        watcher.join(timeout=30)
    _, peak = _memory(pid)
    statuses = [a for a in answers if isinstance(a, int)]
    # 503 (with Retry-After) is an honest answer to a client while every slot for a large
    # answer is taken; a 500 never is
    assert statuses and all(status < 500 or status == 503 for status in statuses), statuses
    assert any(status == 400 for status in statuses)  # the budgets refused
    assert root_answers and set(root_answers) == {200}
    assert peak - resident_before < 200 * MEGABYTE, (
        f"the server grew by {(peak - resident_before) / MEGABYTE:.0f} MB"
    )
