"""Importing a large source: `smartcity import sensor-community --file data.json` of a
generated file in the data API's format (records of 40 sensors in Hamm, each with PM10
and PM2.5, one record per sensor and minute), at two sizes, on a throwaway store.

Figures: records/s and observations/s of the whole import (read, map, write), and the
importer process's peak memory (maximum resident set size) at both sizes: a streaming
importer's stays flat while the file doubles. Baseline in the same run: `json.load` of
the same file in a fresh interpreter (what reading a source whole costs, before a single
record is mapped), its time and peak memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import heading, parse_args, postgres_database, smartcity

SENSORS = 40
START = datetime(2026, 11, 1, tzinfo=UTC)


def write_source(path: Path, records: int) -> None:
    """A data.json of ``records`` records, written as it is made."""
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for n in range(records):
            sensor = n % SENSORS
            stamp = (START + timedelta(minutes=n // SENSORS)).strftime("%Y-%m-%d %H:%M:%S")
            record = {
                "id": n,
                "sampling_rate": None,
                "timestamp": stamp,
                "location": {"id": 9000 + sensor, "latitude": f"{51.62 + sensor * 0.002:.4f}",
                             "longitude": f"{7.75 + sensor * 0.003:.4f}", "altitude": "62.5",
                             "country": "DE", "exact_location": 0, "indoor": 0},
                "sensor": {"id": 70000 + sensor, "pin": "1",
                           "sensor_type": {"id": 14, "name": "SDS011",
                                           "manufacturer": "Nova Fitness"}},
                "sensordatavalues": [
                    {"id": 2 * n, "value": f"{10 + n % 17}.25", "value_type": "P1"},
                    {"id": 2 * n + 1, "value": f"{4 + n % 11}.50", "value_type": "P2"},
                ],
            }
            out.write(("," if n else "") + json.dumps(record))
        out.write("]")


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``command`` to its end: (seconds, peak resident MB, standard output)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{out}{err}")
    return seconds, usage.ru_maxrss / 1024, out


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    sizes = (20_000, 40_000) if args.quick else (100_000, 200_000)
    heading("bench_import: sensor.community file import, streamed", args)
    folder = Path(tempfile.mkdtemp(prefix="smartcity_bench_import_"))
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(postgres_database()) if args.store == "postgres" else ""
            for size in sizes:
                source = folder / f"data-{size}.json"
                write_source(source, size)
                env = _env(folder / f"store-{size}", url)
                smartcity(env, "migrate", "--verbosity", "0")
                load = [sys.executable, "-c", f"import json; json.load(open({str(source)!r}))"]
                base_s, base_mb, _ = measured(load, env)
                command = [sys.executable, "-m", "smartcity.cli", "import", "sensor-community",
                           "--file", str(source), "--quiet"]
                ours_s, ours_mb, out = measured(command, env)
                megabytes = source.stat().st_size / 1e6
                print(f"  {size:,} records ({megabytes:.0f} MB, {2 * size:,} observations)")
                print(f"    import:    {ours_s:6.2f} s  {size / ours_s:9,.0f} records/s  "
                      f"{2 * size / ours_s:9,.0f} observations/s  peak {ours_mb:5.0f} MB")
                print(f"    json.load: {base_s:6.2f} s  {size / base_s:9,.0f} records/s  "
                      f"{'':>24}peak {base_mb:5.0f} MB   (baseline: the file read whole)")
                print(f"    {out.strip().splitlines()[0]}")
                if url:
                    _empty(url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    env.update(SMARTCITY_DATA_DIR=str(data_dir), SMARTCITY_DEBUG="0",
               SMARTCITY_SECRET_KEY="bench-" + "x" * 50, SMARTCITY_LOG_LEVEL="WARNING")
    if database_url:
        env["SMARTCITY_DATABASE_URL"] = database_url
    return env


def _empty(url: str) -> None:
    """The next size starts on an empty store, as on SQLite."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE sensors_observation, sensors_datastream, sensors_thing, "
                     "sensors_location, sensors_sensor, sensors_observedproperty, "
                     "sensors_featureofinterest, sensors_historicallocation CASCADE")


if __name__ == "__main__":
    main()
