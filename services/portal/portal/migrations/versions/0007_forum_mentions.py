"""The members a forum post mentions (issue 15): one row per post and mentioned user, with the
name they had when mentioned and the order the replier gave.

Upgrade adds the table; downgrade drops it (the mentions are lost, the posts stay).

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
    """Add the table of the posts' mentions."""
    op.create_table(
        "forum_mentions",
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["forum_posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id", "user_id"),
    )


def downgrade() -> None:
    """Drop the table of the posts' mentions."""
    op.drop_table("forum_mentions")
