"""The reports service's copy of published peer aggregates and of the assessments' opt-ins:
``peer_aggregates`` and ``peer_participations``.

Fed by the assessment service's ``peer_aggregate.*`` and ``peer_participation.*`` events, so a
report shows the administration's scores beside the regional distribution exactly when its
results page does. Upgrade: two new, empty tables (filled by the events to come; a report built
before shows no such section until it is rebuilt). Downgrade is safe: it drops them; reports
then leave the section out.

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
    """Create ``peer_aggregates`` and ``peer_participations``."""
    op.create_table(
        "peer_aggregates",
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("framework_key", sa.String(length=64), nullable=False),
        sa.Column("framework_version", sa.String(length=32), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=True),
        sa.Column("computed_at", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_time", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("region", "framework_key", "framework_version"),
    )
    op.create_table(
        "peer_participations",
        sa.Column("assessment_id", sa.String(length=64), nullable=False),
        sa.Column("administration_id", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=True),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_time", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("assessment_id"),
    )


def downgrade() -> None:
    """Drop ``peer_participations`` and ``peer_aggregates``."""
    op.drop_table("peer_participations")
    op.drop_table("peer_aggregates")
