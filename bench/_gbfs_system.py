"""A generated GBFS 2.3 system around Hamm for bench_gbfs.py, and an https server on
loopback that serves it (a throwaway self-signed certificate, trusted through
``SSL_CERT_FILE``, as the tests do)."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import random
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

VERSION = "2.3"
TYPES = [  # id, form factor, propulsion, share of the vehicles
    ("bike", "bicycle", "human", 0.4),
    ("escooter", "scooter_standing", "electric", 0.4),
    ("moped", "moped", "electric", 0.1),
    ("car", "car", "electric", 0.1),
]
NAMES = (
    "system_information",
    "vehicle_types",
    "system_pricing_plans",
    "geofencing_zones",
    "station_information",
    "station_status",
    "free_bike_status",
)


def _file(data: dict[str, Any], now: int, ttl: int = 60) -> bytes:
    return json.dumps({"last_updated": now, "ttl": ttl, "version": VERSION, "data": data}).encode()


def _stations(count: int, rng: random.Random, now: int) -> tuple[list[dict], list[dict]]:
    information, status = [], []
    for i in range(count):
        capacity = rng.randint(6, 30)
        bikes = rng.randint(0, capacity)
        information.append(
            {
                "station_id": f"st{i}",
                "name": f"Station {i}",
                "lat": rng.uniform(51.58, 51.78),
                "lon": rng.uniform(7.65, 8.05),
                "capacity": capacity,
                "address": f"Weg {i}",
                "vehicle_type_capacity": {"bike": capacity},
                "rental_uris": {"web": f"https://example.org/station/{i}"},
            }
        )
        status.append(
            {
                "station_id": f"st{i}",
                "num_bikes_available": bikes,
                "num_docks_available": capacity - bikes,
                "is_installed": True,
                "is_renting": True,
                "is_returning": True,
                "last_reported": now - rng.randint(0, 600),
                "vehicle_types_available": [{"vehicle_type_id": "bike", "count": bikes}],
            }
        )
    return information, status


def _vehicles(count: int, rng: random.Random, now: int) -> list[dict]:
    kinds = rng.choices(TYPES, weights=[t[3] for t in TYPES], k=count)
    vehicles = []
    for i, (type_id, _form, propulsion, _share) in enumerate(kinds):
        vehicle = {
            "bike_id": f"v{i}-{rng.getrandbits(32):x}",
            "lat": rng.uniform(51.58, 51.78),
            "lon": rng.uniform(7.65, 8.05),
            "is_reserved": rng.random() < 0.02,
            "is_disabled": rng.random() < 0.02,
            "vehicle_type_id": type_id,
            "pricing_plan_id": "minute" if type_id != "car" else "hour",
            "last_reported": now - rng.randint(0, 300),
            "rental_uris": {"web": f"https://example.org/vehicle/{i}"},
        }
        if propulsion != "human":
            vehicle["current_range_meters"] = round(rng.uniform(1000, 60000), 1)
        vehicles.append(vehicle)
    return vehicles


def generate(stations: int, vehicles: int, seed: int = 7) -> dict[str, bytes]:
    """The files of the system by name (gbfs.json's URLs filled in by :func:`serving`)."""
    rng, now = random.Random(seed), int(time.time())
    information, status = _stations(stations, rng, now)
    types = [
        {
            "vehicle_type_id": t,
            "form_factor": f,
            "propulsion_type": p,
            "name": t.title(),
            **({"max_range_meters": 60000} if p != "human" else {}),
        }
        for t, f, p, _ in TYPES
    ]
    plans = [
        {
            "plan_id": "minute",
            "name": "Minute",
            "currency": "EUR",
            "price": 1.0,
            "is_taxable": True,
            "description": "1 EUR, then 0.2 EUR a minute",
            "per_min_pricing": [{"start": 0, "rate": 0.2, "interval": 1}],
        },
        {
            "plan_id": "hour",
            "name": "Stunde",
            "currency": "EUR",
            "price": 0.0,
            "is_taxable": True,
            "description": "9 EUR an hour",
            "per_min_pricing": [{"start": 0, "rate": 9.0, "interval": 60}],
        },
    ]
    ring = [[7.7, 51.6], [8.0, 51.6], [8.0, 51.75], [7.7, 51.75], [7.7, 51.6]]
    zones = {
        "geofencing_zones": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]},
                    "properties": {
                        "name": "Hamm",
                        "rules": [{"ride_allowed": True, "ride_through_allowed": True}],
                    },
                }
            ],
        }
    }
    return {
        "system_information": _file(
            {"system_id": "bench", "language": "de", "name": "Bench", "timezone": "Europe/Berlin"},
            now,
            3600,
        ),
        "vehicle_types": _file({"vehicle_types": types}, now, 3600),
        "system_pricing_plans": _file({"plans": plans}, now, 3600),
        "geofencing_zones": _file(zones, now, 3600),
        "station_information": _file({"stations": information}, now, 3600),
        "station_status": _file({"stations": status}, now),
        "free_bike_status": _file({"bikes": _vehicles(vehicles, rng, now)}, now),
    }


def _certificate(folder: Path) -> tuple[Path, Path]:
    key, cert = folder / "key.pem", folder / "cert.pem"
    command = [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        str(key),
        "-out",
        str(cert),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    return key, cert


@contextlib.contextmanager
def serving(files: dict[str, bytes], folder: str) -> Iterator[str]:
    """Serve ``files`` (and a gbfs.json listing them) over https; yields the base URL."""
    key, cert = _certificate(Path(folder))
    os.environ["SSL_CERT_FILE"] = str(cert)
    routes: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    base = f"https://127.0.0.1:{server.server_address[1]}"
    feeds = [{"name": name, "url": f"{base}/{name}.json"} for name in files]
    routes.update({f"/{name}.json": body for name, body in files.items()})
    routes["/gbfs.json"] = _file({"de": {"feeds": feeds}}, int(time.time()), 300)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
