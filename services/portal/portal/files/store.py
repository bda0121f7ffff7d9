"""Where uploaded files live: one small interface, on the local disk or an S3-compatible store.

Every write streams: the body is read in chunks, counted against a size limit while it is read
(an oversized body is refused without ever being held whole) and hashed (SHA-256) on the way,
and it becomes visible under its key only once complete (a rename on disk, a completed
multipart upload on S3), so a reader never meets half a file and a refused body leaves nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

CHUNK = 64 * 1024
# S3 parts (5 MiB at least but the last): one part is the most an upload holds in memory, so
# the smallest part S3 allows keeps the process's memory flat (bench/files_bench.py).
PART = 5 * 1024 * 1024
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
MAX_KEY = 512


class TooLarge(Exception):
    """The body is longer than the limit (found while reading it)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"longer than {limit} bytes")
        self.limit = limit


class MissingFile(LookupError):
    """No file under this key."""


class Readable(Protocol):
    """A stream being read (a local file, an S3 response body); close it when done."""

    def read(self, size: int = ..., /) -> bytes:
        """Return up to ``size`` bytes (b"" at the end)."""

    def close(self) -> None:
        """Release the stream."""


@dataclass(frozen=True)
class Stored:
    """What a completed write stored: the key, its length and its SHA-256 (hex)."""

    key: str
    size: int
    sha256: str


class FileStore(Protocol):
    """The store every replica shares: put, open, delete, exists (keys from ``check_key``)."""

    def put(self, key: str, source: IO[bytes], *, max_bytes: int) -> Stored:
        """Store ``source`` under ``key`` (streamed, at most ``max_bytes``, else TooLarge)."""

    def open(self, key: str) -> Readable:
        """Return the file's stream (MissingFile when there is none)."""

    def delete(self, key: str) -> None:
        """Remove the file (nothing happens when there is none)."""

    def exists(self, key: str) -> bool:
        """Return whether a complete file is stored under ``key``."""


def check_key(key: str) -> str:
    """Return ``key`` if it is safe (segments of letters, digits, ``_.-``, no ``..``)."""
    segments = key.split("/")
    if (
        len(key) > MAX_KEY
        or not all(_SEGMENT.fullmatch(s) for s in segments)
        or any(".." in s for s in segments)
    ):
        raise ValueError(f"unsafe file key: {key!r}")
    return key


class _Metered:
    """Reads ``source`` counting and hashing; raises TooLarge as soon as the limit is passed."""

    def __init__(self, source: IO[bytes], max_bytes: int) -> None:
        self.source = source
        self.max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()

    def read(self, size: int = CHUNK) -> bytes:
        data = self.source.read(size)
        self.size += len(data)
        if self.size > self.max_bytes:
            raise TooLarge(self.max_bytes)
        self.digest.update(data)
        return data

    def read_full(self, size: int) -> bytearray:
        """Return the next ``size`` bytes (fewer only at the end), without a copy of them."""
        buffer = bytearray()
        while len(buffer) < size:
            data = self.read(min(CHUNK, size - len(buffer)))
            if not data:
                break
            buffer += data
        return buffer

    def stored(self, key: str) -> Stored:
        return Stored(key=key, size=self.size, sha256=self.digest.hexdigest())


class LocalStore:
    """Files under a folder of the local disk (the embedded default: one machine only)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key).split("/"))

    def put(self, key: str, source: IO[bytes], *, max_bytes: int) -> Stored:
        """Write to a temporary file beside the target, then rename it into place."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        metered = _Metered(source, max_bytes)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := metered.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return metered.stored(key)

    def open(self, key: str) -> Readable:
        """Return the file opened for reading."""
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise MissingFile(key) from None

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        """Return whether the file is there."""
        return self._path(key).is_file()


def _status(error: Exception) -> str:
    response: dict[str, Any] = getattr(error, "response", {}) or {}
    return str(response.get("Error", {}).get("Code", ""))


class S3Store:
    """Files in a bucket of an S3-compatible server (MinIO, Ceph, AWS): shared by replicas."""

    def __init__(self, client: Any, bucket: str, *, part_size: int = PART) -> None:
        self.client = client
        self.bucket = bucket
        self.part_size = part_size

    @classmethod
    def connect(cls, *, endpoint_url: str, bucket: str, region: str, **credentials: str) -> S3Store:
        """Return a store on ``bucket`` (credentials: boto3's usual AWS_* variables, or given)."""
        import boto3  # the local store must not need it
        from botocore.config import Config

        client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region,
            config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard"}),
            **credentials,
        )
        return cls(client, bucket)

    def ensure_bucket(self) -> None:
        """Create the bucket unless it exists (deployments usually create it beforehand)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception as error:
            if _status(error) not in ("404", "NoSuchBucket", "NotFound"):
                raise
            self.client.create_bucket(Bucket=self.bucket)

    def put(self, key: str, source: IO[bytes], *, max_bytes: int) -> Stored:
        """One PUT for a small body; a multipart upload (aborted on any failure) for a large one."""
        check_key(key)
        metered = _Metered(source, max_bytes)
        chunk = metered.read_full(self.part_size)
        if len(chunk) < self.part_size:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=chunk)
            return metered.stored(key)
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]
        try:
            parts: list[dict[str, Any]] = []
            while chunk:
                number = len(parts) + 1
                answer = self.client.upload_part(
                    Bucket=self.bucket, Key=key, UploadId=upload, PartNumber=number, Body=chunk
                )
                parts.append({"ETag": answer["ETag"], "PartNumber": number})
                chunk = metered.read_full(self.part_size)
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            with contextlib.suppress(Exception):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload)
            raise
        return metered.stored(key)

    def open(self, key: str) -> Readable:
        """Return the object's body as a stream."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except Exception as error:
            if _status(error) in ("NoSuchKey", "404"):
                raise MissingFile(key) from None
            raise
        body: Readable = answer["Body"]
        return body

    def delete(self, key: str) -> None:
        """Remove the object (S3 answers the same whether it was there or not)."""
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def exists(self, key: str) -> bool:
        """Return whether the object is there (HEAD)."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except Exception as error:
            if _status(error) in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def iter_chunks(stream: Readable, size: int = CHUNK) -> Any:
    """Yield ``stream`` in chunks, closing it at the end (or when the consumer stops)."""
    try:
        while chunk := stream.read(size):
            yield chunk
    finally:
        stream.close()
