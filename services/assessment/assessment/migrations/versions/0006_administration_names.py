"""The assessment service's copy of administration names: ``administration_names``.

Fed by the portal's ``administration.created`` and ``administration.renamed`` events, so
``assessment.submitted`` and the pages carry the name the portal knows. Upgrade: a new, empty
table (the portal's ``administrations republish`` fills it). Downgrade is safe: it drops the
table; submissions carry the name their client gave until it is back.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``administration_names``."""
    op.create_table(
        "administration_names",
        sa.Column("administration_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_time", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("administration_id"),
    )


def downgrade() -> None:
    """Drop ``administration_names``."""
    op.drop_table("administration_names")
