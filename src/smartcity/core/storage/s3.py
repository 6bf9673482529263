"""Blobs in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...) through boto3,
the reference client that every such store is tested against. A file is streamed in
parts of ``part_bytes`` (a multipart upload; a file smaller than one part goes in one
request), hashed on the way, so that memory holds at most one part; an upload that fails
midway is aborted, leaving no parts behind."""

from __future__ import annotations

import hashlib
from typing import IO, Any, cast

from smartcity.core.storage import Blob, BlobMissing, checked_key, new_key


class S3BlobStore:
    def __init__(self, client: Any, bucket: str, prefix: str = "", part_bytes: int = 8 << 20):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.part_bytes = part_bytes

    def _name(self, key: str) -> str:
        return self.prefix + checked_key(key)

    def put(self, stream: IO[bytes]) -> Blob:
        key = new_key()
        digest, size = hashlib.sha256(), 0
        first = _read_part(stream, self.part_bytes)
        digest.update(first)
        size += len(first)
        if len(first) < self.part_bytes:
            self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=first)
            return Blob(key, size, digest.hexdigest())
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=self._name(key))
        try:
            parts: list[dict[str, Any]] = []
            part = first
            while part:
                number = len(parts) + 1
                sent = self.client.upload_part(
                    Bucket=self.bucket,
                    Key=self._name(key),
                    UploadId=upload["UploadId"],
                    PartNumber=number,
                    Body=part,
                )
                parts.append({"ETag": sent["ETag"], "PartNumber": number})
                part = _read_part(stream, self.part_bytes)
                digest.update(part)
                size += len(part)
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=self._name(key),
                UploadId=upload["UploadId"],
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self._name(key), UploadId=upload["UploadId"]
            )
            raise
        return Blob(key, size, digest.hexdigest())

    def open(self, key: str) -> IO[bytes]:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.NoSuchKey as error:
            raise BlobMissing(key) from error
        return cast(IO[bytes], answer["Body"])  # botocore's StreamingBody: read(), close()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def _read_part(stream: IO[bytes], size: int) -> bytes:
    """Up to ``size`` bytes (fewer only at the end: a socket may give less per read)."""
    chunks, missing = [], size
    while missing > 0:
        chunk = stream.read(min(missing, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def client(endpoint: str, region: str, access_key: str, secret_key: str, timeout: float) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint or None,
        region_name=region,
        aws_access_key_id=access_key or None,
        aws_secret_access_key=secret_key or None,
        config=Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"max_attempts": 3},
            s3={"addressing_style": "path"},
        ),
    )
