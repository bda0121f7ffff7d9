"""Where report files live: ``ReportFile`` rows always hold the metadata; a ``FileStore`` the bytes.

The default store keeps the bytes in the reports database, in the same transaction as the job's
status, so a report is never marked ready without its files. An S3-compatible store implements
the same two methods (upload in ``write``, download in ``read``) and is chosen by
``REPORTS_FILE_STORE``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from reports.builder import RenderedFile
from reports.models import ReportFile
from shared.config import ConfigError


class FileMissing(LookupError):
    """The metadata exists but the store has no bytes for it."""


class FileStore(Protocol):
    """Keeps the bytes of report files."""

    backend: str

    def write(self, row: ReportFile, content: bytes) -> None:
        """Store ``content`` for ``row``."""

    def read(self, row: ReportFile) -> bytes:
        """Return the bytes stored for ``row`` (raises ``FileMissing``)."""


class DatabaseFileStore:
    """Keeps the bytes in the ``report_files`` table itself."""

    backend = "database"

    def write(self, row: ReportFile, content: bytes) -> None:
        """Store ``content`` in the row."""
        row.content = content

    def read(self, row: ReportFile) -> bytes:
        """Return the row's bytes."""
        if row.content is None:
            raise FileMissing(f"no bytes for report {row.report_id} ({row.format})")
        return row.content


STORES = {"database": DatabaseFileStore}


def store_from_config(config: Mapping[str, Any]) -> FileStore:
    """Return the file store named by ``REPORTS_FILE_STORE``."""
    name = str(config.get("REPORTS_FILE_STORE", "database"))
    if name not in STORES:
        raise ConfigError(f"REPORTS_FILE_STORE must be one of {sorted(STORES)}, got {name!r}")
    return STORES[name]()


def save_file(
    session: Session, store: FileStore, *, report_id: str, rendered: RenderedFile
) -> ReportFile:
    """Store one rendered format of a report, replacing an earlier build of that format."""
    row = session.scalar(
        select(ReportFile).where(
            ReportFile.report_id == report_id, ReportFile.format == rendered.format
        )
    )
    if row is None:
        row = ReportFile(report_id=report_id, format=rendered.format)
        session.add(row)
    row.media_type = rendered.media_type
    row.filename = rendered.filename
    row.size = len(rendered.content)
    row.sha256 = hashlib.sha256(rendered.content).hexdigest()
    row.backend = store.backend
    store.write(row, rendered.content)
    return row


def load_file(
    session: Session, store: FileStore, *, report_id: str, fmt: str
) -> tuple[ReportFile, bytes] | None:
    """Return the metadata and bytes of one format of a report, or None."""
    row = session.scalar(
        select(ReportFile)
        .where(ReportFile.report_id == report_id, ReportFile.format == fmt)
        .options(undefer(ReportFile.content))
    )
    if row is None:
        return None
    return row, store.read(row)
