"""The portal service's tables (its own database only)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from portal.names import folded
from shared.outbox import OutboxMixin
from shared.timestamps import UtcDateTime, utcnow


def _uuid() -> str:
    return str(uuid.uuid4())


def split_roles(value: str) -> list[str]:
    """Return the roles stored as a comma list."""
    return [role for role in value.split(",") if role]


def join_roles(roles: list[str] | tuple[str, ...] | set[str]) -> str:
    """Return ``roles`` as the stored comma list (sorted, without duplicates)."""
    return ",".join(sorted(set(roles)))


class Base(DeclarativeBase):
    """Declarative base of the portal service."""


class Administration(Base):
    """A customs administration: the tenant every user and API key belongs to."""

    __tablename__ = "administrations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    name: Mapped[str] = mapped_column(String(200))
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    default_language: Mapped[str] = mapped_column(String(2), default="en")
    # A term of the region vocabulary (the contact point directory is searched by it).
    region: Mapped[str | None] = mapped_column(String(60), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


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
    # display_name folded (portal.names), kept with it: the members lookup filters on it in SQL
    name_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(512))
    roles_text: Mapped[str] = mapped_column("roles", String(200), default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    @property
    def roles(self) -> list[str]:
        """Return the user's roles."""
        return split_roles(self.roles_text)

    @validates("display_name")
    def _fold_name(self, _key: str, name: str) -> str:
        """Keep ``name_key`` the folded ``display_name`` whenever the name is set."""
        self.name_key = folded(name)
        return name


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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    @property
    def jwk(self) -> dict[str, Any]:
        """Return the public key as a JWK."""
        document: dict[str, Any] = json.loads(self.public_jwk)
        return document


class OutboxMessage(OutboxMixin, Base):
    """Events written with the change that caused them, relayed to the stream."""

    __tablename__ = "outbox"


# -- content catalogue -------------------------------------------------------------------------
class ContentItem(Base):
    """A catalogue entry (resource, case study, tool, news, event) and its workflow state."""

    __tablename__ = "content_items"
    __table_args__ = (Index("ix_content_items_listing", "status", "visibility", "published_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    subtype: Mapped[str | None] = mapped_column(String(40), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    # Shown on the home page while published (an editor's choice).
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    region: Mapped[str | None] = mapped_column(String(60), nullable=True)
    # Case studies: the administration the case is about (free text, it may not use the portal).
    administration_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Tools: where the tool runs (a site path such as /assessment/ or an https URL).
    launch_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    event_start: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    event_end: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # Who changed the content since it was last published (comma list): none of them may
    # publish it, so every published change was seen by a second editor.
    contributors_text: Mapped[str] = mapped_column("contributors", String(2000), default="")
    proposed_by_administration: Mapped[str | None] = mapped_column(String(36), nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    translations: Mapped[list[ContentTranslation]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="ContentTranslation.language",
        lazy="selectin",
    )
    labels: Mapped[list[ContentLabel]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    links: Mapped[list[ContentLink]] = relationship(
        cascade="all, delete-orphan", order_by="ContentLink.position", lazy="selectin"
    )

    @property
    def contributors(self) -> list[str]:
        """Return who changed the content since its last publication."""
        return split_roles(self.contributors_text)

    def translation(self, language: str) -> ContentTranslation | None:
        """Return the version in ``language``, if the item has one."""
        return next((t for t in self.translations if t.language == language), None)

    def values(self, facet: str) -> list[str]:
        """Return the item's sorted values of ``facet`` (technology, domain, topic...)."""
        return sorted(label.value for label in self.labels if label.facet == facet)


class ContentTranslation(Base):
    """One language version of an item's texts (Markdown, sanitized when shown)."""

    __tablename__ = "content_translations"

    item_id: Mapped[str] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Case-study sections (empty for other kinds).
    problem: Mapped[str] = mapped_column(Text, default="")
    technology: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[ContentItem] = relationship(back_populates="translations")


class ContentLabel(Base):
    """One facet value of an item (kind, region, language, technology, domain, topic)."""

    __tablename__ = "content_labels"
    __table_args__ = (Index("ix_content_labels_value", "facet", "value", "item_id"),)

    item_id: Mapped[str] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(60), primary_key=True)


class ContentLink(Base):
    """A link or attachment of an item, optionally in one language."""

    __tablename__ = "content_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20), default="link")
    url: Mapped[str] = mapped_column(String(1000))
    label: Mapped[str] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)


class ContentRevision(Base):
    """The history of an item: who changed what, when, at which version."""

    __tablename__ = "content_revisions"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# The languages the editors write a term's label in (a column each): content, like an item's texts.
TERM_LANGUAGES = ("en", "fr")


class VocabularyTerm(Base):
    """A term of a managed vocabulary (technology, domain, topic, region) with its labels."""

    __tablename__ = "vocabulary_terms"

    scheme: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(200))
    label_fr: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(64), default="seed")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    @property
    def labels(self) -> dict[str, str]:
        """Return the term's label in each language it has a column for (content, not a catalog)."""
        return {language: str(getattr(self, f"label_{language}")) for language in TERM_LANGUAGES}


class CatalogueState(Base):
    """One row whose ``version`` every write to the catalogue increments (in its transaction),
    so each web process knows when its in-memory copy of the facets is out of date."""

    __tablename__ = "catalogue_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
