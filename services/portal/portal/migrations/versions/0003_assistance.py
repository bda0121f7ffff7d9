"""Capacity-building requests (issue 16), the operators' side: ``assistance_cases`` (the queue,
fed by ``assistance_request.sent``) and ``expertise_offers`` (what administrations volunteer).

Upgrade: two new tables, empty. Downgrade drops them (the requests stay with the assessment
service, which sent them; a queue emptied this way is filled again by re-publishing its events).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the queue and the expertise registry."""
    op.create_table(
        "assistance_cases",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("administration_id", sa.String(length=64), nullable=False),
        sa.Column("administration_name", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("horizon", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("framework", sa.JSON(), nullable=False),
        sa.Column("sent_by", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("matches", sa.JSON(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index(
        op.f("ix_assistance_cases_administration_id"), "assistance_cases", ["administration_id"]
    )
    op.create_index("ix_assistance_cases_status_sent", "assistance_cases", ["status", "sent_at"])
    op.create_table(
        "expertise_offers",
        sa.Column("administration_id", sa.String(length=36), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["administration_id"], ["administrations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("administration_id"),
    )


def downgrade() -> None:
    """Drop the queue and the expertise registry."""
    op.drop_table("expertise_offers")
    op.drop_index("ix_assistance_cases_status_sent", table_name="assistance_cases")
    op.drop_index(op.f("ix_assistance_cases_administration_id"), table_name="assistance_cases")
    op.drop_table("assistance_cases")
