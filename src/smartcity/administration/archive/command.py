"""`smartcity archive`: ``export --reference REF --out FILE`` writes an application's file
as xdomea 3.1.0 zip (the operator's shell: no role is checked, the read is audited);
``receipt FILE`` reads the archive's answer (0507 or 0506) and marks the transfer."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def cmd_export(args: argparse.Namespace) -> int:
    from smartcity.administration.applying.limits import Refused
    from smartcity.administration.archive import export

    out = Path(args.out)
    partial = out.with_name(out.name + ".part")
    try:
        application = export.by_reference(args.reference)
        with partial.open("wb") as target:
            transfer = export.export(application, target)
        os.replace(partial, out)
    except (Refused, OSError) as error:
        partial.unlink(missing_ok=True)
        print(f"error: {getattr(error, 'message', error)}", file=sys.stderr)
        return 1
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    print(f"{out}: {transfer.documents} documents, {transfer.size} bytes, sha256 {transfer.sha256}")
    print(f"ProzessID {transfer.process_id}, Akte {transfer.file_id}")
    return 0


def cmd_receipt(args: argparse.Namespace) -> int:
    from smartcity.administration.applying.limits import Refused
    from smartcity.administration.archive import receipt
    from smartcity.core import config

    try:
        path = Path(args.file)
        if path.stat().st_size > config.get("ARCHIVE_RECEIPT_MAX_BYTES"):
            raise Refused("the file is larger than SMARTCITY_ARCHIVE_RECEIPT_MAX_BYTES", 413)
        transfer = receipt.read(path.read_bytes())
    except (Refused, OSError) as error:
        print(f"error: {getattr(error, 'message', error)}", file=sys.stderr)
        return 1
    print(f"{transfer.application}: {transfer.status} {transfer.archive_id}".rstrip())
    return 0


def configure(archive: argparse.ArgumentParser) -> None:
    actions = archive.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write a submitted application's file as xdomea zip")
    export.add_argument("--reference", required=True, help="the application's reference")
    export.add_argument("--out", required=True, help="the zip file to write")
    export.set_defaults(func=cmd_export)
    receipt = actions.add_parser("receipt", help="read the archive's answer (xdomea 0506/0507)")
    receipt.add_argument("file", help="the XML file the archive sent")
    receipt.set_defaults(func=cmd_receipt)
