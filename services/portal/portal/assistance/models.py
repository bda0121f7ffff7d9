"""Tables of the operators' assistance queue and the expertise administrations volunteer (the
portal's own database)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base
from shared.timestamps import UtcDateTime, utcnow

RECEIVED = "received"
# The statuses an operator gives a request (announced as ``assistance_request.status_changed``).
OPERATOR_STATUSES = ("acknowledged", "matched", "in_progress", "closed", "declined")
STATUSES = (RECEIVED, *OPERATOR_STATUSES)


class AssistanceCase(Base):
    """A capacity-building request an administration sent (``assistance_request.sent``), as the
    operators' queue holds it: only what the administration chose to send."""

    __tablename__ = "assistance_cases"
    __table_args__ = (Index("ix_assistance_cases_status_sent", "status", "sent_at"),)

    request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    administration_id: Mapped[str] = mapped_column(String(64), index=True)
    administration_name: Mapped[str] = mapped_column(String(200), default="")
    topic: Mapped[str] = mapped_column(String(200))
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    horizon: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    formats: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    framework: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sent_by: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default=RECEIVED)
    note: Mapped[str] = mapped_column(Text, default="")
    matches: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    event_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ExpertiseOffer(Base):
    """The areas in which an administration volunteers to help others (peer expertise)."""

    __tablename__ = "expertise_offers"

    administration_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("administrations.id", ondelete="CASCADE"), primary_key=True
    )
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
