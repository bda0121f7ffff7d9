"""The optional e-mail digest of forum notifications: ``digest_preferences``, ``digests`` and
``digest_items``.

A member's chosen frequency (none, daily, weekly), one digest per member and period (unique on
the member and the period's key, so a second run sends nothing twice) and the forum
notifications waiting for or put in a digest (ADR 0013). Upgrade: three new, empty tables
(nobody has chosen a digest yet: nothing changes for anyone). Downgrade is safe: it drops them;
the choices and the digests' record are lost, in-app notifications are untouched.

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


def upgrade() -> None:
    """Create ``digest_preferences``, ``digests`` and ``digest_items``."""
    op.create_table(
        "digest_preferences",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "digests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("period_key", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "period_key", name="uq_digests_user_period"),
    )
    op.create_table(
        "digest_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("notification_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("digest_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["digest_id"], ["digests.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notification_id", name="uq_digest_items_notification"),
    )
    op.create_index("ix_digest_items_user_digest", "digest_items", ["user_id", "digest_id"])


def downgrade() -> None:
    """Drop ``digest_items``, ``digests`` and ``digest_preferences``."""
    op.drop_index("ix_digest_items_user_digest", table_name="digest_items")
    op.drop_table("digest_items")
    op.drop_table("digests")
    op.drop_table("digest_preferences")
