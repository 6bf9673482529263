"""The configured blob store, one per process and configuration (a cache: every worker
builds its own, and they all point at the same folder or bucket)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from smartcity.core import config
from smartcity.core.storage import BlobStore
from smartcity.core.storage.local import LocalBlobStore


def configured() -> BlobStore:
    if config.get("STORAGE_BACKEND") == "s3":
        return _s3(
            config.get("STORAGE_ENDPOINT"),
            config.get("STORAGE_REGION"),
            config.get("STORAGE_ACCESS_KEY"),
            config.get("STORAGE_SECRET_KEY"),
            config.get("STORAGE_TIMEOUT"),
            config.get("STORAGE_BUCKET"),
            config.get("STORAGE_PREFIX"),
            config.get("STORAGE_PART_BYTES"),
        )
    folder = config.get("STORAGE_LOCAL_DIR") or str(Path(settings.DATA_DIR) / "blobs")
    return _local(folder)


@cache
def _local(folder: str) -> LocalBlobStore:
    return LocalBlobStore(Path(folder))


@cache
def _s3(
    endpoint: str,
    region: str,
    access_key: str,
    secret_key: str,
    timeout: float,
    bucket: str,
    prefix: str,
    part_bytes: int,
) -> BlobStore:
    from smartcity.core.storage.s3 import S3BlobStore, client

    if not bucket:
        raise RuntimeError("SMARTCITY_STORAGE_BACKEND=s3 needs SMARTCITY_STORAGE_BUCKET.")
    made = client(endpoint, region, access_key, secret_key, timeout)
    return S3BlobStore(made, bucket, prefix, part_bytes)
