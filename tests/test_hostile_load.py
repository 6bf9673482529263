"""No request takes the service down: the platform served as in production (`smartcity
serve`, a process of its own on the test database) meets eight hostile clients at once,
repeatedly: $expand nested 50 levels, a $batch of 1,000 expanding parts, expansions over
every Observation, a $filter of thousands of terms, $top far past the page size, bodies
sent a byte at a time and live streams never read. Its memory grows by less than 200 MB
over the whole attack, and the service root keeps answering meanwhile (the latency itself
is measured in bench/bench_hostile.py, not asserted here)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from bench._common import _serve as serve
from bench._common import free_port
from bench._hostile import attacks, memory
from django.db import connection

from smartcity.sensors.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)
MEGABYTE = 1024 * 1024


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """`smartcity serve` in a process of its own on the test database (bench's launcher)."""
    load_demo(days=3)
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings['NAME']}"
    else:
        url = (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    env = dict(
        os.environ,
        SMARTCITY_DATABASE_URL=url,
        SMARTCITY_DATA_DIR=str(tmp_path),
        SMARTCITY_REQUEST_BODY_TIMEOUT="5",
        SMARTCITY_MQTT_URL="",
        SMARTCITY_DEMO_FEED="0",
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serve(env, port, base + "/sta/v1.1/", tmp_path / "serve.log") as pid:
        yield base, pid


def test_eight_hostile_clients_neither_exhaust_memory_nor_stop_the_service(server):
    base, pid = server
    probe = httpx.Client(base_url=base, timeout=10)
    # Warm: every module imported, every worker thread's connection and page cache filled
    # (SQLite keeps up to 64 MiB of pages per connection), the allocator's pools made.
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda attack: attack(), attacks(base)))
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak counts from here
    resident_before, _ = memory(pid)
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
    _, peak = memory(pid)
    statuses = [a for a in answers if isinstance(a, int)]
    # 503 (with Retry-After) is an honest answer to a client while every slot for a large
    # answer is taken; a 500 never is
    assert statuses and all(status < 500 or status == 503 for status in statuses), statuses
    assert any(status == 400 for status in statuses)  # the budgets refused
    assert root_answers and set(root_answers) == {200}
    assert peak - resident_before < 200 * MEGABYTE, (
        f"the server grew by {(peak - resident_before) / MEGABYTE:.0f} MB"
    )
