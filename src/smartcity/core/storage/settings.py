"""The settings of the blob store (declared by core/platform.py); import-light, as the
command line reads them before Django is set up."""

from __future__ import annotations

from smartcity.core.config import Setting

SETTINGS = (
    Setting(
        "STORAGE_BACKEND",
        "local",
        "Where the bytes of case files are kept: local (a folder under the data directory, "
        "STORAGE_LOCAL_DIR) or s3 (an S3-compatible object store: STORAGE_BUCKET, ...).",
        choices=("local", "s3"),
    ),
    Setting(
        "STORAGE_LOCAL_DIR",
        "",
        "Folder of the local blob store; empty: DATA_DIR/blobs.",
    ),
    Setting(
        "STORAGE_ENDPOINT",
        "",
        "Address of the S3-compatible store, e.g. https://s3.example.org; empty: AWS.",
    ),
    Setting("STORAGE_BUCKET", "", "Bucket the S3 blob store writes to (it must exist)."),
    Setting("STORAGE_REGION", "eu-central-1", "Region of that bucket."),
    Setting("STORAGE_ACCESS_KEY", "", "Access key of the S3 blob store's account."),
    Setting("STORAGE_SECRET_KEY", "", "Secret key of that account."),
    Setting(
        "STORAGE_PREFIX",
        "",
        "Prefix of every key the platform writes to the bucket (e.g. smartcity/), so that "
        "a bucket can be shared.",
    ),
    Setting(
        "STORAGE_PART_BYTES",
        "8388608",
        "Size of one part of a multipart upload, in bytes (at least 5 MiB, S3's minimum): "
        "the most a single upload holds in memory; a smaller file goes in one request.",
        kind=int,
        minimum=5242880,
    ),
    Setting(
        "STORAGE_TIMEOUT",
        "30",
        "Seconds the S3 store may take to connect or to answer one request.",
        kind=float,
        minimum=0.1,
    ),
)
