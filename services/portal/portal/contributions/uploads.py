"""Receiving a member's file: the multipart body read within the size limit, the file part
spooled to disk by werkzeug (never held in memory), its type found from its content, then
streamed into the file store with its SHA-256."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import IO, Any

from flask import Request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from portal.files import names
from portal.files.sniff import Detected, UnsupportedType, detect
from portal.files.store import FileStore, Stored, TooLarge
from shared.errors import ApiError

# Room for the form's other fields and the multipart framing, beside the file itself.
FORM_OVERHEAD = 256 * 1024


def too_large(limit: int) -> ApiError:
    """Return the 413 problem of a file over ``limit`` bytes."""
    mib, kib = 1024 * 1024, 1024
    if limit % mib == 0:
        detail = f"the file is larger than {limit // mib} MiB"
    elif limit % kib == 0:
        detail = f"the file is larger than {limit // kib} KiB"
    else:
        detail = f"the file is larger than {limit} bytes"
    return ApiError(413, "file_too_large", detail)


def allow_upload(request: Request, limit: int) -> None:
    """Let ``request``'s body be as large as a file of ``limit`` bytes and its form."""
    request.max_content_length = limit + FORM_OVERHEAD
    request.max_form_memory_size = FORM_OVERHEAD


@dataclass(frozen=True)
class Received:
    """A request's form fields and its file part (None when there was none)."""

    form: MultiDict[str, str]
    stream: IO[bytes] | None
    filename: str


def receive(request: Request, limit: int) -> Received:
    """Return the multipart body's fields and file (413 too large, 415 not multipart)."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "send the file as multipart/form-data")
    allow_upload(request, limit)
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        raise too_large(limit) from None
    part = files.get("file")
    if part is None or not part.filename:
        raise ApiError(
            422, "validation_failed", errors={"file": ["Missing data for required field."]}
        )
    return Received(form=form, stream=part.stream, filename=part.filename)


@dataclass(frozen=True)
class StoredFile:
    """A file now in the store: its key, size, SHA-256, type and sanitized name."""

    stored: Stored
    detected: Detected
    file_name: str

    @property
    def fields(self) -> dict[str, Any]:
        """Return the columns of a ``ContributionVersion`` describing it."""
        return {
            "storage_key": self.stored.key,
            "file_name": self.file_name,
            "media_type": self.detected.media_type,
            "size": self.stored.size,
            "sha256": self.stored.sha256,
        }


def store_file(
    *, store: FileStore, received: Received, contribution_id: str, limit: int
) -> StoredFile:
    """Check the file's type by content (415) and stream it into ``store`` (413 past limit)."""
    assert received.stream is not None
    try:
        detected = detect(received.stream, received.filename)
    except UnsupportedType as refused:
        raise ApiError(415, "unsupported_file_type", str(refused)) from None
    key = f"contributions/{contribution_id}/{uuid.uuid4().hex}"
    try:
        stored = store.put(key, received.stream, max_bytes=limit)
    except TooLarge:
        raise too_large(limit) from None
    name = names.sanitize(received.filename, extension=detected.extension)
    return StoredFile(stored=stored, detected=detected, file_name=name)
