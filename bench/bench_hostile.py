"""The service root's latency while eight hostile clients attack (issue 10).

Eight client threads loop over the hostile requests of `_hostile.py` ($expand 50 deep,
expansions over every Observation, a $batch of 1,000 expanding parts, huge $top, long
$filter, a body sent a byte a second, a live stream never read) against `smartcity serve`
on a throwaway store with three days of demo data. Meanwhile one more client asks for the
service root every 100 ms. Baseline, in the same run: the same service-root loop with no
attack. Also printed: the server's resident memory before and at its peak during the
attack, and the answers the attackers got. Target: the service root answers within 1 s
throughout, and the server grows by less than 200 MB.
"""

from __future__ import annotations

import collections
import threading
import time
from pathlib import Path

import httpx
from _common import heading, ms, parse_args, percentile, running_server, smartcity
from _hostile import attacks, memory

ATTACKERS = 8
TARGET_SECONDS = 1.0
TARGET_GROWTH = 200 * 1024 * 1024


def root_latencies(base: str, seconds: float, stop: threading.Event | None = None) -> list[float]:
    latencies: list[float] = []
    with httpx.Client(base_url=base, timeout=30) as client:
        end = time.monotonic() + seconds
        while time.monotonic() < end and not (stop and stop.is_set()):
            started = time.perf_counter()
            client.get("/sta/v1.1/").raise_for_status()
            latencies.append(time.perf_counter() - started)
            time.sleep(0.1)
    return latencies


def attack(base: str, seconds: float, answers: collections.Counter[object]) -> None:
    end = time.monotonic() + seconds
    lock = threading.Lock()

    def loop(offset: int) -> None:
        mine = attacks(base)
        n = offset
        while time.monotonic() < end:
            answer = mine[n % len(mine)]()
            with lock:
                answers[answer if answer is not None else "slow/unread"] += 1
            n += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(ATTACKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def report(name: str, latencies: list[float]) -> None:
    print(
        f"  {name:<28} n={len(latencies):>4}  median {ms(percentile(latencies, 0.5))}  "
        f"p95 {ms(percentile(latencies, 0.95))}  max {ms(max(latencies))}"
    )


def main() -> int:
    args = parse_args(__doc__.splitlines()[0])
    seconds = 8.0 if args.quick else 30.0
    heading(f"bench_hostile: {ATTACKERS} attackers, {seconds:g} s", args)
    with running_server(args.store) as server:
        smartcity(server.env, "demo", "--days", "3", "--quiet")
        base = server.root.removesuffix("/sta/v1.1/")
        idle = root_latencies(base, seconds / 2)
        with httpx.Client(base_url=base, timeout=120) as warm:  # caches and pools filled
            for path in ("/sta/v1.1/Things?$expand=Datastreams/Observations",) * 8:
                warm.get(path)
        Path(f"/proc/{server.pid}/clear_refs").write_text("5")
        before, _ = memory(server.pid)
        answers: collections.Counter[object] = collections.Counter()
        attacker = threading.Thread(target=attack, args=(base, seconds, answers))
        attacker.start()
        during = root_latencies(base, seconds)
        attacker.join()
        _, peak = memory(server.pid)
    print("GET service root:")
    report("idle (baseline):", idle)
    report(f"under {ATTACKERS} attackers:", during)
    worst = max(during)
    print(
        f"  verdict: max {ms(worst)} against the target of {ms(TARGET_SECONDS)}: "
        f"{'met' if worst <= TARGET_SECONDS else 'MISSED'}"
    )
    growth = peak - before
    print(
        f"server memory: {before / 2**20:.0f} MB before, peak {peak / 2**20:.0f} MB "
        f"(+{growth / 2**20:.0f} MB; target +200 MB: "
        f"{'met' if growth < TARGET_GROWTH else 'MISSED'})"
    )
    print(
        "attackers' answers: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(answers.items(), key=lambda item: str(item[0])))
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
