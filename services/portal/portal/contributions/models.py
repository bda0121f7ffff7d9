"""The tables of members' contributions: the contribution (tied to the catalogue item it
became) and each version of its file, kept with its checksum, size and type."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models import Base, ContentItem
from shared.timestamps import UtcDateTime, utcnow


def _uuid() -> str:
    return str(uuid.uuid4())


class Contribution(Base):
    """Material a member uploaded: reviewed and published as its catalogue item."""

    __tablename__ = "contributions"
    __table_args__ = (
        Index("ix_contributions_contributor", "contributor", "created_at"),
        Index("ix_contributions_administration", "administration_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), unique=True
    )
    administration_id: Mapped[str] = mapped_column(ForeignKey("administrations.id"))
    contributor: Mapped[str] = mapped_column(String(64))
    contributor_name: Mapped[str] = mapped_column(String(200), default="")
    requested_visibility: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    item: Mapped[ContentItem] = relationship(lazy="joined")
    versions: Mapped[list[ContributionVersion]] = relationship(
        back_populates="contribution",
        cascade="all, delete-orphan",
        order_by="ContributionVersion.number",
        lazy="selectin",
    )

    @property
    def current(self) -> ContributionVersion:
        """Return the latest version (the one reviewed and, once published, downloaded)."""
        return self.versions[-1]


class ContributionVersion(Base):
    """One uploaded file of a contribution: where it is stored and what it is."""

    __tablename__ = "contribution_versions"
    __table_args__ = (UniqueConstraint("contribution_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contribution_id: Mapped[str] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    # The contributor's answer to the change request this version addresses.
    note: Mapped[str] = mapped_column(Text, default="")
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    contribution: Mapped[Contribution] = relationship(back_populates="versions")
