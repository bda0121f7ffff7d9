"""The table of national contact points (the portal's own database)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base
from shared.timestamps import UtcDateTime, utcnow

# What a contact point is the administration's contact for.
ROLES = ("strategy", "it", "data", "legal", "risk_management", "training", "other")


def _uuid() -> str:
    return str(uuid.uuid4())


class ContactPoint(Base):
    """One person an administration names as a contact point (personal data: the person sees
    and corrects their own entry; the administration can export what is held about its
    people)."""

    __tablename__ = "contact_points"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    administration_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("administrations.id", ondelete="CASCADE"), index=True
    )
    # The portal account of the person, when they have one: they may correct their entry.
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
