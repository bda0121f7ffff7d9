"""Members' contributions (issue 15): the contribution and each version of its file.

Upgrade: two new tables, empty. Downgrade drops them (the stored files stay in the file store;
the catalogue items the contributions became stay in the catalogue).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the contribution tables."""
    op.create_table(
        "contributions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("administration_id", sa.String(length=36), nullable=False),
        sa.Column("contributor", sa.String(length=64), nullable=False),
        sa.Column("contributor_name", sa.String(length=200), nullable=False),
        sa.Column("requested_visibility", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["administration_id"], ["administrations.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["content_items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id"),
    )
    op.create_index(
        "ix_contributions_administration", "contributions", ["administration_id", "created_at"]
    )
    op.create_index("ix_contributions_contributor", "contributions", ["contributor", "created_at"])
    op.create_table(
        "contribution_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("contribution_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contribution_id"], ["contributions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contribution_id", "number"),
        sa.UniqueConstraint("storage_key"),
    )


def downgrade() -> None:
    """Drop the contribution tables."""
    op.drop_table("contribution_versions")
    op.drop_index("ix_contributions_contributor", table_name="contributions")
    op.drop_index("ix_contributions_administration", table_name="contributions")
    op.drop_table("contributions")
