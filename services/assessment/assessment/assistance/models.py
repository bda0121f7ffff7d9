"""The table of capacity-building requests (the assessment service's own database)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assessment.models import Base
from shared.timestamps import UtcDateTime, utcnow

DRAFT, SENT = "draft", "sent"
# Statuses the operators give a sent request (``assistance_request.status_changed``).
OPERATOR_STATUSES = ("acknowledged", "matched", "in_progress", "closed", "declined")
STATUSES = (DRAFT, SENT, *OPERATOR_STATUSES)


def _uuid() -> str:
    return str(uuid.uuid4())


class AssistanceRequest(Base):
    """A request for technical assistance drawn from one submitted assessment's gaps."""

    __tablename__ = "assistance_requests"
    __table_args__ = (
        Index("ix_assistance_requests_admin_created", "administration_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    administration_id: Mapped[str] = mapped_column(String(64))
    assessment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    assessment_version: Mapped[int] = mapped_column()
    topic: Mapped[str] = mapped_column(String(200))
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"indicator", "area", "current", "target"}]: the chosen gaps, levels from the snapshot.
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    horizon: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    formats: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    operator_note: Mapped[str] = mapped_column(Text, default="")
    matches: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    sent_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The time of the last operator event applied: a late, older one changes nothing.
    status_event_time: Mapped[str] = mapped_column(String(40), default="")
