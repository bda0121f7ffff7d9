"""Peer learning (issue 16): ``peer_opt_ins`` and ``peer_aggregates``.

Upgrade: two new tables, empty (no assessment is opted in until its coordinator says so). The
aggregates table holds counts and cut points only, never one administration's value. Downgrade
is safe for everything but peer learning: it drops the opt-ins and the aggregates; no
assessment, answer or score is touched.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``peer_opt_ins`` and ``peer_aggregates``."""
    op.create_table(
        "peer_opt_ins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column("administration_id", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("framework_key", sa.String(length=64), nullable=False),
        sa.Column("framework_version", sa.String(length=32), nullable=False),
        sa.Column("opted_in_by", sa.String(length=64), nullable=False),
        sa.Column("opted_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assessment_id"),
    )
    op.create_index(
        "ix_peer_opt_ins_group",
        "peer_opt_ins",
        ["region", "framework_key", "framework_version"],
    )
    op.create_index("ix_peer_opt_ins_administration", "peer_opt_ins", ["administration_id"])
    op.create_table(
        "peer_aggregates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("framework_key", sa.String(length=64), nullable=False),
        sa.Column("framework_version", sa.String(length=32), nullable=False),
        sa.Column("area", sa.String(length=64), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("median", sa.Float(), nullable=True),
        sa.Column("first_quartile", sa.Float(), nullable=True),
        sa.Column("third_quartile", sa.Float(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region", "framework_key", "framework_version", "area"),
    )


def downgrade() -> None:
    """Drop the peer tables (opt-ins and aggregates only)."""
    op.drop_table("peer_aggregates")
    op.drop_index("ix_peer_opt_ins_administration", table_name="peer_opt_ins")
    op.drop_index("ix_peer_opt_ins_group", table_name="peer_opt_ins")
    op.drop_table("peer_opt_ins")
