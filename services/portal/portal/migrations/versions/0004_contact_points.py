"""The national contact point directory (issue 15): ``contact_points``, and
``administrations.region`` (the directory is searched by region).

Upgrade: a new, empty table and a new nullable column (no administration has a region until
its coordinator or an operator sets one). Downgrade drops both: the entries are lost, so export
them first (``GET /api/v1/portal/administrations/{id}/contact-points/export``).

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
    """Create ``contact_points`` and add ``administrations.region``."""
    with op.batch_alter_table("administrations") as batch:
        batch.add_column(sa.Column("region", sa.String(length=60), nullable=True))
    op.create_table(
        "contact_points",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("administration_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["administration_id"], ["administrations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_contact_points_administration_id"), "contact_points", ["administration_id"]
    )
    op.create_index(op.f("ix_contact_points_user_id"), "contact_points", ["user_id"])


def downgrade() -> None:
    """Drop ``contact_points`` and ``administrations.region``."""
    op.drop_index(op.f("ix_contact_points_user_id"), table_name="contact_points")
    op.drop_index(op.f("ix_contact_points_administration_id"), table_name="contact_points")
    op.drop_table("contact_points")
    with op.batch_alter_table("administrations") as batch:
        batch.drop_column("region")
