"""The tables of the optional e-mail digest of forum notifications (``reports.digests``).

Beside ``reports.models`` (the same declarative base, so the same schema and migrations): a
member's chosen frequency, one item per forum notification to put in a digest, and one digest
per member and period, whose id is the e-mail's ``Message-ID``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reports.models import Base, EmailSendMixin
from shared.timestamps import UtcDateTime, utcnow


def _uuid() -> str:
    return str(uuid.uuid4())


class Frequency(StrEnum):
    """How often a member wants the e-mail digest of their forum notifications."""

    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"


class DigestPreference(Base):
    """One member's chosen digest frequency (no row: ``none``, the default)."""

    __tablename__ = "digest_preferences"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(16), default=Frequency.NONE.value)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class Digest(EmailSendMixin, Base):
    """The one e-mail of one member's forum notifications for one period (``2026-12-07``,
    ``2026-W50``); its id is the message's ``Message-ID``, the same on every try."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("user_id", "period_key", name="uq_digests_user_period"),)

    frequency: Mapped[str] = mapped_column(String(16))
    period_key: Mapped[str] = mapped_column(String(16))


class DigestItem(Base):
    """One forum notification waiting for (or put in) a digest, with the address and language
    the event gave for its recipient."""

    __tablename__ = "digest_items"
    __table_args__ = (
        UniqueConstraint("notification_id", name="uq_digest_items_notification"),
        Index("ix_digest_items_user_digest", "user_id", "digest_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    notification_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    digest_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("digests.id", ondelete="SET NULL"), nullable=True
    )
