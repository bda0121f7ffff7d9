"""The members' discussion forums (issue 15): ``forum_categories`` (seeded with the technologies
and the cross-cutting topics), ``forum_threads``, ``forum_posts``, ``forum_reports`` and the
editors' ``forum_moderation_log``.

Upgrade: new tables, the categories seeded, no thread. Downgrade drops them: every thread, post,
report and moderation line is lost.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CATEGORIES = [
    ("ai", "Artificial intelligence", "Intelligence artificielle", "technology"),
    ("machine-learning", "Machine learning", "Apprentissage automatique", "technology"),
    ("blockchain", "Blockchain", "Chaîne de blocs", "technology"),
    ("cloud", "Cloud computing", "Informatique en nuage", "technology"),
    ("legal-frameworks", "Legal frameworks", "Cadres juridiques", "topic"),
    ("cybersecurity", "Cybersecurity", "Cybersécurité", "topic"),
    ("data-governance", "Data governance", "Gouvernance des données", "topic"),
    ("green-technology", "Green technology", "Technologies vertes", "topic"),
]


def upgrade() -> None:
    """Create the forum tables and seed the categories."""
    categories = op.create_table(
        "forum_categories",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("name_fr", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "forum_threads",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("category_key", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("administration_id", sa.String(length=36), nullable=True),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_post_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["category_key"], ["forum_categories.key"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_forum_threads_author_id"), "forum_threads", ["author_id"])
    op.create_index(op.f("ix_forum_threads_item_id"), "forum_threads", ["item_id"])
    op.create_index(
        "ix_forum_threads_category_last", "forum_threads", ["category_key", "last_post_at"]
    )
    op.create_table(
        "forum_posts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("thread_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("quoted_post_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["thread_id"], ["forum_threads.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["quoted_post_id"], ["forum_posts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_forum_posts_author_id"), "forum_posts", ["author_id"])
    op.create_index("ix_forum_posts_thread_created", "forum_posts", ["thread_id", "created_at"])
    op.create_table(
        "forum_reports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("reporter_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["forum_posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("post_id", "reporter_id", name="uq_forum_reports_post"),
    )
    op.create_index(op.f("ix_forum_reports_post_id"), "forum_reports", ["post_id"])
    op.create_table(
        "forum_moderation_log",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_forum_moderation_log_target_id"), "forum_moderation_log", ["target_id"]
    )
    op.create_index(op.f("ix_forum_moderation_log_at"), "forum_moderation_log", ["at"])
    op.bulk_insert(
        categories,
        [
            {"key": key, "name_en": en, "name_fr": fr, "kind": kind, "position": position}
            for position, (key, en, fr, kind) in enumerate(CATEGORIES, start=1)
        ],
    )


def downgrade() -> None:
    """Drop the forum tables (threads, posts, reports and the moderation log are lost)."""
    op.drop_index(op.f("ix_forum_moderation_log_at"), table_name="forum_moderation_log")
    op.drop_index(op.f("ix_forum_moderation_log_target_id"), table_name="forum_moderation_log")
    op.drop_table("forum_moderation_log")
    op.drop_index(op.f("ix_forum_reports_post_id"), table_name="forum_reports")
    op.drop_table("forum_reports")
    op.drop_index("ix_forum_posts_thread_created", table_name="forum_posts")
    op.drop_index(op.f("ix_forum_posts_author_id"), table_name="forum_posts")
    op.drop_table("forum_posts")
    op.drop_index("ix_forum_threads_category_last", table_name="forum_threads")
    op.drop_index(op.f("ix_forum_threads_item_id"), table_name="forum_threads")
    op.drop_index(op.f("ix_forum_threads_author_id"), table_name="forum_threads")
    op.drop_table("forum_threads")
    op.drop_table("forum_categories")
