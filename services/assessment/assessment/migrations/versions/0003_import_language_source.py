"""Import jobs remember how their language was chosen: ``import_jobs.language_source``.

A job submitted without any language (an API client with no language preference) now reports
its problems in the language of the workbook it received. Upgrade: a new column with a server
default, so every existing job reads "asked" (its language was chosen, as before). Downgrade is
safe: it drops the column; each job keeps the language it has.

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
    """Add ``import_jobs.language_source`` ("asked" on every existing job)."""
    with op.batch_alter_table("import_jobs") as batch:
        batch.add_column(
            sa.Column(
                "language_source",
                sa.String(length=8),
                server_default="asked",
                nullable=False,
            )
        )


def downgrade() -> None:
    """Drop ``import_jobs.language_source`` (each job keeps its language)."""
    with op.batch_alter_table("import_jobs") as batch:
        batch.drop_column("language_source")
