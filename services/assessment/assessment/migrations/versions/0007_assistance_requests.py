"""Capacity-building requests: ``assistance_requests``.

A coordinator drafts a request for technical assistance from a submitted assessment's gaps and
sends it to the platform operators; their status comes back. Upgrade: a new, empty table.
Downgrade is safe only before any request was made: it drops the table and its requests.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``assistance_requests``."""
    op.create_table(
        "assistance_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("administration_id", sa.String(length=64), nullable=False),
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column("assessment_version", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("horizon", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("operator_note", sa.Text(), nullable=False),
        sa.Column("matches", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_event_time", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_assistance_requests_admin_created",
        "assistance_requests",
        ["administration_id", "created_at"],
    )
    op.create_index(
        op.f("ix_assistance_requests_assessment_id"), "assistance_requests", ["assessment_id"]
    )


def downgrade() -> None:
    """Drop ``assistance_requests`` (and the requests in it)."""
    op.drop_index(op.f("ix_assistance_requests_assessment_id"), table_name="assistance_requests")
    op.drop_index("ix_assistance_requests_admin_created", table_name="assistance_requests")
    op.drop_table("assistance_requests")
