"""The portal service's tables (its own database only)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Dialect, ForeignKey, Index, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.outbox import OutboxMixin


def _now() -> datetime:
    return datetime.now(UTC)


def _uuid() -> str:
    return str(uuid.uuid4())


def split_roles(value: str) -> list[str]:
    """Return the roles stored as a comma list."""
    return [role for role in value.split(",") if role]


def join_roles(roles: list[str] | tuple[str, ...] | set[str]) -> str:
    """Return ``roles`` as the stored comma list (sorted, without duplicates)."""
    return ",".join(sorted(set(roles)))


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store times in UTC."""
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return stored times as aware UTC datetimes."""
        if value is None or value.tzinfo:
            return value
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base of the portal service."""


class Administration(Base):
    """A customs administration: the tenant every user and API key belongs to."""

    __tablename__ = "administrations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    name: Mapped[str] = mapped_column(String(200))
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    default_language: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)


class User(Base):
    """A person who signs in; platform operators and editors may have no administration."""

    __tablename__ = "users"
    __table_args__ = (Index("ix_users_admin_created", "administration_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    administration_id: Mapped[str | None] = mapped_column(
        ForeignKey("administrations.id"), nullable=True
    )
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(512))
    roles_text: Mapped[str] = mapped_column("roles", String(200), default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    @property
    def roles(self) -> list[str]:
        """Return the user's roles."""
        return split_roles(self.roles_text)


class ApiKey(Base):
    """A machine client's key: only its SHA-256 is stored; the secret is shown once."""

    __tablename__ = "api_keys"
    __table_args__ = (Index("ix_api_keys_admin_created", "administration_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    administration_id: Mapped[str] = mapped_column(ForeignKey("administrations.id"))
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    roles_text: Mapped[str] = mapped_column("roles", String(200), default="client")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def roles(self) -> list[str]:
        """Return the roles granted to tokens of this key."""
        return split_roles(self.roles_text)


class SigningKey(Base):
    """An Ed25519 token-signing key; retired keys leave the JWKS."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Null for a key supplied by PORTAL_SIGNING_KEY_PEM: only its public half is kept here.
    private_key_pem: Mapped[str | None] = mapped_column(Text, nullable=True)
    public_jwk: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def jwk(self) -> dict[str, Any]:
        """Return the public key as a JWK."""
        document: dict[str, Any] = json.loads(self.public_jwk)
        return document


class OutboxMessage(OutboxMixin, Base):
    """Events written with the change that caused them, relayed to the stream."""

    __tablename__ = "outbox"
