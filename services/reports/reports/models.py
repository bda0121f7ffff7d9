"""The reports service's tables (its own database only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.names import AdministrationNameMixin
from shared.outbox import OutboxMixin
from shared.timestamps import UtcDateTime, utcnow


def _uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    """Declarative base of the reports service."""


class JobStatus(StrEnum):
    """Where a report job stands."""

    QUEUED = "queued"
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"


class ReportJob(Base):
    """One report of one submitted assessment version in one language (also the dead letter);
    ``revision`` counts the reports built again from the same submission (a peer-learning
    change: ``reports.peer_rebuilds``), the latest one is the current report."""

    __tablename__ = "report_jobs"
    __table_args__ = (
        UniqueConstraint(
            "assessment_id", "version", "language", "revision", name="uq_report_jobs_key"
        ),
        Index("ix_report_jobs_admin_created", "administration_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    administration_id: Mapped[str] = mapped_column(String(64))
    assessment_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    # The validated ``assessment.submitted`` payload: the worker builds from it alone.
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    notify: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_event_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The regional distribution the build shows (None: no peer section), set when it starts.
    peer_distribution: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    files: Mapped[list[ReportFile]] = relationship(
        back_populates="job",
        lazy="selectin",
        order_by="ReportFile.format",
        cascade="all, delete-orphan",
    )

    @property
    def finished(self) -> bool:
        """Return whether no build is pending for this job."""
        return self.status in (JobStatus.READY, JobStatus.FAILED)


class ReportFile(Base):
    """One rendered format of a report; the bytes live where ``backend`` says."""

    __tablename__ = "report_files"
    __table_args__ = (UniqueConstraint("report_id", "format", name="uq_report_files_format"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("report_jobs.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[str] = mapped_column(String(16))
    media_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    backend: Mapped[str] = mapped_column(String(16), default="database")
    # Deferred: listing reports must not read every file's bytes.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    job: Mapped[ReportJob] = relationship(back_populates="files")


class Notification(Base):
    """An in-app notification of one user about one event (texts rendered when read).

    ``report_id`` is empty for events about no report (an import's id is in ``params``).
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_notifications_event_user"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    event_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    administration_id: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))
    report_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class OutboxMessage(OutboxMixin, Base):
    """Events written with the change that caused them, relayed to the stream."""

    __tablename__ = "outbox"


class DeliveryStatus(StrEnum):
    """Where an outbound message (webhook, e-mail) stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


def _message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookEndpoint(Base):
    """An administration's URL that receives signed report and import events."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        UniqueConstraint("administration_id", "idempotency_key", name="uq_webhook_endpoints_key"),
        Index("ix_webhook_endpoints_admin_created", "administration_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    administration_id: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Kept readable: signing needs the key itself (it is shown to the coordinator only once).
    secret: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), nullable=True)
    request_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)


class WebhookDelivery(Base):
    """One event sent to one endpoint; its id is the ``webhook-id`` of every attempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_event"),
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=_message_id)
    endpoint_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    administration_id: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(64))
    # The exact bytes signed and sent, the same on every attempt.
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class EmailSendMixin:
    """The columns of an e-mail to one user sent with retries: its id (the ``Message-ID``),
    address, language, status and attempts."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    user_id: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class EmailDelivery(EmailSendMixin, Base):
    """The e-mail telling one user about one report event (at most one per event and user)."""

    __tablename__ = "email_deliveries"
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_email_deliveries_event"),)

    event_id: Mapped[str] = mapped_column(String(64))
    notification_id: Mapped[str] = mapped_column(String(36))


class Resource(Base):
    """The reports service's copy of one portal resource (fed by ``content.*`` events).

    An archived resource stays as a tombstone (``archived``) so a late ``content.updated`` of an
    older version cannot bring it back; ``event_time`` orders the events of one item.
    """

    __tablename__ = "resources"

    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    visibility: Mapped[str] = mapped_column(String(16))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    url: Mapped[str] = mapped_column(String(2000), default="")
    archived: Mapped[bool] = mapped_column(default=False)
    event_id: Mapped[str] = mapped_column(String(64))
    event_time: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class AdministrationName(AdministrationNameMixin, Base):
    """The reports service's copy of one administration's name (fed by ``administration.*``)."""


class PeerAggregateCopy(Base):
    """The reports service's copy of one published regional peer aggregate (fed by
    ``peer_aggregate.*``): per area only the cut points; ``areas`` is None once withdrawn."""

    __tablename__ = "peer_aggregates"

    region: Mapped[str] = mapped_column(String(16), primary_key=True)
    framework_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    framework_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    areas: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    computed_at: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(64))
    event_time: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class PeerParticipation(Base):
    """Whether one assessment is opted in to a regional aggregate, and to which region (fed by
    ``peer_participation.*``; ``region`` is None once opted out)."""

    __tablename__ = "peer_participations"

    assessment_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    administration_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(16), nullable=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_time: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
