"""``smartcity uploads check FILE...``: the same check every upload gets (type by content,
size, structure, clamd when SMARTCITY_CLAMAV_URL is set), on files an operator has, e.g.
to see why a citizen's file was refused or whether clamd answers."""

from __future__ import annotations

import argparse
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="check files as uploads are checked")
    check.add_argument("files", nargs="+", metavar="FILE", type=Path)
    check.add_argument(
        "--accept",
        help="comma-separated media types to accept (default: every type the check knows)",
    )
    check.add_argument(
        "--max-bytes",
        type=int,
        help="largest file accepted (default: SMARTCITY_MAX_REQUEST_BYTES, the largest "
        "request the server takes)",
    )
    check.add_argument("--no-scan", action="store_true", help="skip clamd even when it is set")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import os

    from smartcity.core import config
    from smartcity.core.uploads import DOCUMENTS, UploadRefused, check

    if args.no_scan:
        os.environ["SMARTCITY_CLAMAV_URL"] = ""
    accept = [t.strip() for t in args.accept.split(",")] if args.accept else list(DOCUMENTS)
    max_bytes = args.max_bytes or config.get("MAX_REQUEST_BYTES")
    _print_scanner()
    refused = missing = 0
    for path in args.files:
        try:
            with path.open("rb") as file:
                checked = check(file, accept=accept, max_bytes=max_bytes, name=path.name)
        except OSError as error:
            print(f"{path}\tunreadable\t{error.strerror or error}")
            missing += 1
        except UploadRefused as error:
            print(f"{path}\trefused ({error.reason})\t{error}")
            refused += 1
        else:
            scanned = "scanned by clamd" if checked.scanned else "not scanned"
            print(f"{path}\taccepted\t{checked.media_type}, {checked.size} bytes, {scanned}")
    return 2 if missing else 1 if refused else 0


def _print_scanner() -> None:
    from smartcity.core import config
    from smartcity.core.uploads import clamav

    url = config.get("CLAMAV_URL")
    if not url:
        print("# no malware scan (SMARTCITY_CLAMAV_URL is empty)")
        return
    try:
        print(f"# clamd at {url}: {clamav.version(url, config.get('CLAMAV_TIMEOUT'))}")
    except clamav.ScannerUnavailable as error:
        print(f"# clamd at {url} does not answer: {error}")
