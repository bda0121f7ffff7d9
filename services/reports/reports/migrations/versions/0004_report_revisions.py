"""Reports built again from the same submission: ``report_jobs.revision`` and
``report_jobs.peer_distribution``.

An assessment opted in to (or out of) a regional aggregate after its report was built gets a new
revision of that report, with (or without) the peer section (ADR 0012); ``peer_distribution``
is the distribution a build shows, so a later peer-learning event knows whether the current
report already shows it. Upgrade: every existing report is revision 1 and its distribution
unknown (null: treated as showing none, which a report built before issue 16 did). The unique
key becomes (assessment, version, language, revision). Downgrade is safe only while no second
revision exists (it restores the three-column key).

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
    """Add ``revision`` (1 on every report) and ``peer_distribution``; widen the unique key."""
    with op.batch_alter_table("report_jobs") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("peer_distribution", sa.JSON(), nullable=True))
        batch.drop_constraint("uq_report_jobs_key", type_="unique")
        batch.create_unique_constraint(
            "uq_report_jobs_key", ["assessment_id", "version", "language", "revision"]
        )


def downgrade() -> None:
    """Drop ``peer_distribution`` and ``revision``; restore the three-column unique key."""
    with op.batch_alter_table("report_jobs") as batch:
        batch.drop_constraint("uq_report_jobs_key", type_="unique")
        batch.create_unique_constraint(
            "uq_report_jobs_key", ["assessment_id", "version", "language"]
        )
        batch.drop_column("peer_distribution")
        batch.drop_column("revision")
