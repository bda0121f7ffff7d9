"""Tables of the members' discussion forums (the portal's own database): categories, threads,
posts and the editors' moderation log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models import Base
from shared.timestamps import UtcDateTime, utcnow

KINDS = ("technology", "topic")
LANGUAGES = ("en", "fr")
# What an editor does to a post or a thread (each one a line of the moderation log).
ACTIONS = ("hide", "unhide", "lock", "unlock", "move")
TARGETS = ("post", "thread")


def _uuid() -> str:
    return str(uuid.uuid4())


class ForumCategory(Base):
    """A category of threads: a technology (AI, blockchain...) or a cross-cutting topic."""

    __tablename__ = "forum_categories"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_fr: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(12))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ForumThread(Base):
    """A thread of a category, in English or French, optionally about a catalogue item."""

    __tablename__ = "forum_threads"
    # The thread lists' order (the latest activity first, then the id), of a category or of all.
    __table_args__ = (
        Index("ix_forum_threads_category_recent", "category_key", "last_post_at", "id"),
        Index("ix_forum_threads_recent", "last_post_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    category_key: Mapped[str] = mapped_column(
        String(40), ForeignKey("forum_categories.key", ondelete="RESTRICT")
    )
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    administration_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # The catalogue item the thread discusses ("discuss this case study"), when there is one.
    item_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ForumPost(Base):
    """A post of a thread (its first post opens it): Markdown, kept with its sanitized HTML."""

    __tablename__ = "forum_posts"
    # A thread's posts in their order (the time of posting, then the id): a page reads no more.
    __table_args__ = (Index("ix_forum_posts_thread_order", "thread_id", "created_at", "id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    thread_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("forum_threads.id", ondelete="CASCADE")
    )
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    quoted_post_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("forum_posts.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # The members the post mentions, loaded with the posts in one more statement per read.
    mentions: Mapped[list[ForumMention]] = relationship(
        lazy="selectin", order_by="ForumMention.position", cascade="all, delete-orphan"
    )


class ForumMention(Base):
    """A member a post mentions, with the name they had then, in the order the replier gave."""

    __tablename__ = "forum_mentions"

    post_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("forum_posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class ForumModeration(Base):
    """One moderation act of an editor: who did what to which post or thread, when and why."""

    __tablename__ = "forum_moderation_log"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    actor_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(10))
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[str] = mapped_column(String(36), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    # For a move: the category the thread left and the one it went to.
    detail: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class ForumReport(Base):
    """A member's flag on a post for the editors (one per member and post)."""

    __tablename__ = "forum_reports"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id", name="uq_forum_reports_post"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    post_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
