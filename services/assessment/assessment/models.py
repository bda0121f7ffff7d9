"""The assessment service's tables (its own database only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.idempotency import IdempotencyMixin
from shared.names import AdministrationNameMixin
from shared.outbox import OutboxMixin
from shared.timestamps import UtcDateTime, utcnow


def _uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    """Declarative base of the assessment service."""

    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class FrameworkVersion(Base):
    """A published framework version; sessions are pinned to one and it never changes."""

    __tablename__ = "framework_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    checksum: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16), default="file")
    published_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Assessment(Base):
    """One administration's self-assessment."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_admin_created", "administration_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    administration_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="en")
    framework_key: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(32))
    targets: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    version: Mapped[int] = mapped_column(Integer, default=0)
    previous_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    submitted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Participant(Base):
    """A person taking part in an assessment, and the areas assigned to them."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    role: Mapped[str] = mapped_column(String(16), default="respondent")
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    invited_by: Mapped[str] = mapped_column(String(64))
    invited_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Answer(Base):
    """One respondent's answer to one indicator (saved at once, kept when others answer)."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "indicator", "respondent_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(64))
    respondent_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[str | None] = mapped_column(String(8), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    # The bulk import that set this answer (None: typed in the browser or sent one by one).
    import_job_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class AgreedAnswer(Base):
    """The answer the team agreed on for an indicator, recorded by the coordinator."""

    __tablename__ = "agreed_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "indicator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[str | None] = mapped_column(String(8), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class ScoreSnapshot(Base):
    """The results frozen at each submission (what the report was built from)."""

    __tablename__ = "score_snapshots"
    __table_args__ = (UniqueConstraint("assessment_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    results: Mapped[dict[str, Any]] = mapped_column(JSON)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class HistoryEntry(Base):
    """What happened to an assessment, by whom (start, submit, reopen, invitations...)."""

    __tablename__ = "history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ImportJob(Base):
    """A bulk submission of answers (uploaded files), imported asynchronously by the importer."""

    __tablename__ = "import_jobs"
    __table_args__ = (
        Index("ix_import_jobs_admin_created", "administration_id", "created_at"),
        Index("ix_import_jobs_status", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    administration_id: Mapped[str] = mapped_column(String(64))
    # The assessment named by the request (None: each file or row names its assessment).
    assessment_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    mode: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2), default="en")
    # How ``language`` was chosen: "asked" (by the request, or the caller's language
    # preference), "default" (nothing asked: the first workbook's language replaces it),
    # "workbook" (taken from that workbook). A server default only, so older rows read "asked".
    language_source: Mapped[str] = mapped_column(String(8), server_default="asked")
    status: Mapped[str] = mapped_column(String(32), default="queued")
    rows_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    errors_count: Mapped[int] = mapped_column(Integer, default=0)
    answers_stored: Mapped[int] = mapped_column(Integer, default=0)
    # Where an accept-valid import has committed up to: {"file": position, "row": rows done}.
    cursor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ImportFile(Base):
    """One uploaded file of an import job, kept (in chunks) in the service's own database."""

    __tablename__ = "import_files"
    __table_args__ = (UniqueConstraint("job_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("import_jobs.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


class ImportFileChunk(Base):
    """A piece of an uploaded file (so neither side ever holds a whole file in memory)."""

    __tablename__ = "import_file_chunks"
    __table_args__ = (UniqueConstraint("file_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("import_files.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ImportProblem(Base):
    """A refused file, row or cell of an import job (what the error report lists)."""

    __tablename__ = "import_problems"
    __table_args__ = (Index("ix_import_problems_job_seq", "job_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("import_jobs.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    file: Mapped[str] = mapped_column(String(255), default="")
    sheet: Mapped[str] = mapped_column(String(64), default="")
    row: Mapped[int] = mapped_column(Integer, default=0)
    column: Mapped[str] = mapped_column(String(128), default="")
    code: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PeerOptIn(Base):
    """An assessment its coordinator opted in to a regional peer aggregate (issue 16)."""

    __tablename__ = "peer_opt_ins"
    __table_args__ = (
        Index("ix_peer_opt_ins_group", "region", "framework_key", "framework_version"),
        Index("ix_peer_opt_ins_administration", "administration_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    administration_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(8))
    framework_key: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(32))
    opted_in_by: Mapped[str] = mapped_column(String(64))
    opted_in_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PeerAggregate(Base):
    """The distribution of one area's scores in a region: never an individual value.

    Below the threshold only the count is kept (the figures stay NULL), so not even the table
    holds a median of one or two administrations.
    """

    __tablename__ = "peer_aggregates"
    __table_args__ = (UniqueConstraint("region", "framework_key", "framework_version", "area"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region: Mapped[str] = mapped_column(String(8))
    framework_key: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(32))
    area: Mapped[str] = mapped_column(String(64))
    participants: Mapped[int] = mapped_column(Integer, default=0)
    median: Mapped[float | None] = mapped_column(Float, nullable=True)
    first_quartile: Mapped[float | None] = mapped_column(Float, nullable=True)
    third_quartile: Mapped[float | None] = mapped_column(Float, nullable=True)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class IdempotencyRecord(IdempotencyMixin, Base):
    """The first answer to a create request sent with an ``Idempotency-Key``."""

    __tablename__ = "idempotency_records"


class OutboxMessage(OutboxMixin, Base):
    """Events written with the change that caused them, relayed to the stream."""

    __tablename__ = "outbox"


class AdministrationName(AdministrationNameMixin, Base):
    """The assessment service's copy of one administration's name (fed by
    ``administration.*``): what ``assessment.submitted`` and the pages call it."""
