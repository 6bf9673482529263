"""Importing the Ladesäulenregister: `smartcity import bnetza --file` of a generated
register of 100,000 rows (`--quick`: 20,000) all over Germany, a few hundred of them in
Hamm, in the register's current layout (a preamble, `;`, decimal commas, UTF-8 with BOM),
on a throwaway store.

Figures: the whole import's time (start of the command, reading, cropping to the city,
mapping, writing the sites in Hamm) and the importer process's peak memory (maximum
resident set size). Baseline in the same run: reading the same file with Python's csv
module in a fresh interpreter (`csv.reader` over the opened file, every row, nothing
else), its time and peak memory.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import heading, parse_args, postgres_database, smartcity

GENERAL = [
    "Ladeeinrichtungs-ID",
    "Betreiber",
    "Anzeigename (Karte)",
    "Status",
    "Art der Ladeeinrichtung",
    "Anzahl Ladepunkte",
    "Nennleistung Ladeeinrichtung [kW]",
    "Inbetriebnahmedatum",
    "Straße",
    "Hausnummer",
    "Adresszusatz",
    "Postleitzahl",
    "Ort",
    "Kreis/kreisfreie Stadt",
    "Bundesland",
    "Breitengrad",
    "Längengrad",
    "Standortbezeichnung",
    "Informationen zum Parkraum",
    "Bezahlsysteme",
    "Öffnungszeiten",
    "Öffnungszeiten: Wochentage",
    "Öffnungszeiten: Tageszeiten",
]
POINTS = [
    f"{name}{n}"
    for n in range(1, 7)
    for name in ("Steckertypen", "Nennleistung Stecker", "EVSE-ID", "Public Key")
]
HAMM_EVERY = 333  # one row in so many lies in Hamm: 300 of 100,000


def write_register(path: Path, rows: int) -> int:
    """The register with ``rows`` rows, written as it is made; returns the rows in Hamm."""
    rng = random.Random(11)
    header = GENERAL + POINTS
    pad = ";" * (len(header) - 1)
    in_hamm = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(f"Ladesäulenregister Bundesnetzagentur{pad}\r\n{pad}\r\n")
        out.write(f"Letzte Aktualisierung vom: 01.11.2026{pad}\r\n{pad}\r\n")
        out.write(";".join(header) + "\r\n")
        for n in range(rows):
            if n % HAMM_EVERY == 0:
                lat, lon, town = rng.uniform(51.62, 51.74), rng.uniform(7.70, 7.98), "Hamm"
                in_hamm += 1
            else:
                lat, lon, town = rng.uniform(47.3, 55.0), rng.uniform(5.9, 15.0), "Irgendwo"
                if 7.6 < lon < 8.1 and 51.55 < lat < 51.8:
                    lon += 1.0  # keep the rest out of the city
            fast = n % 5 == 0
            plug = "DC Fahrzeugkupplung Typ Combo (CCS)" if fast else "AC Steckdose Typ 2"
            kw = "150" if fast else "22"
            general = [
                str(100000 + n),
                f"Betreiber {n % 700} GmbH",
                "",
                "In Betrieb",
                "Schnellladeeinrichtung" if fast else "Normalladeeinrichtung",
                "2",
                "300" if fast else "44",
                "01.03.2022",
                f"Straße {n % 90}",
                str(n % 120),
                "",
                f"{10000 + n % 89999}",
                town,
                "",
                "Nordrhein-Westfalen",
                f"{lat:.6f}".replace(".", ","),
                f"{lon:.6f}".replace(".", ","),
                "",
                "",
                '"RFID-Karte;Onlinezahlungsverfahren"',
                "247",
                "",
                "",
            ]
            points = [plug, kw, f"DE*ABC*E{n}*1", "", plug, kw, f"DE*ABC*E{n}*2", ""]
            points += [""] * (len(POINTS) - len(points))
            out.write(";".join(general + points) + "\r\n")
    return in_hamm


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


CSV_ONLY = (
    "import csv, sys\n"
    "with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n"
    "    n = sum(1 for _ in csv.reader(f, delimiter=';'))\n"
    "print(n)\n"
)


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    sizes = (20_000, 40_000) if args.quick else (100_000, 200_000)
    heading("bench_bnetza: Ladesäulenregister import, streamed and cropped", args)
    folder = Path(tempfile.mkdtemp(prefix="smartcity_bench_bnetza_"))
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(postgres_database()) if args.store == "postgres" else ""
            env = _env(folder / "store", url)
            smartcity(env, "migrate", "--verbosity", "0")
            empty = folder / "empty.csv"
            write_register(empty, 0)
            fixed_s, fixed_mb, _ = measured(_import(empty), env)
            print(
                f"  the command on a register without rows: {fixed_s:.2f} s, "
                f"peak {fixed_mb:.0f} MB (start, Django, the store)"
            )
            for rows in sizes:
                _measure(folder / f"register-{rows}.csv", rows, env, fixed_s)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _import(source: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "smartcity.cli",
        "import",
        "bnetza",
        "--file",
        str(source),
        "--quiet",
    ]


def _measure(source: Path, rows: int, env: dict[str, str], fixed_s: float) -> None:
    in_hamm = write_register(source, rows)
    base_s, base_mb, _ = measured([sys.executable, "-c", CSV_ONLY, str(source)], env)
    ours_s, ours_mb, out = measured(_import(source), env)
    megabytes = source.stat().st_size / 1e6
    print(f"  {rows:,} rows ({megabytes:.0f} MB), {in_hamm} in Hamm")
    print(f"    import:     {ours_s:6.2f} s  {rows / ours_s:9,.0f} rows/s  peak {ours_mb:5.0f} MB")
    print(
        f"    csv module: {base_s:6.2f} s  {rows / base_s:9,.0f} rows/s  "
        f"peak {base_mb:5.0f} MB   (baseline: csv.reader over the file, nothing else)"
    )
    print(
        f"    import / csv module: {ours_s / base_s:.1f}x the time; beyond the command's "
        f"start: {(ours_s - fixed_s) / base_s:.1f}x"
    )
    print(f"    {out.strip().splitlines()[0]}")


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    env.update(
        SMARTCITY_DATA_DIR=str(data_dir),
        SMARTCITY_DEBUG="0",
        SMARTCITY_SECRET_KEY="bench-" + "x" * 50,
        SMARTCITY_LOG_LEVEL="WARNING",
    )
    if database_url:
        env["SMARTCITY_DATABASE_URL"] = database_url
    return env


if __name__ == "__main__":
    main()
