"""Bulk imports: import jobs, their files, file chunks and problems; ``answers.import_job_id``.

Upgrade: four new tables and a nullable column on ``answers`` (existing answers keep their
values, with no import job). Downgrade is safe for everything but import data: it drops the
import jobs, their stored files and problem lists and forgets which import set an answer; no
answer, assessment or other row is touched.

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
    """Create the import tables; add ``answers.import_job_id`` (NULL on every existing answer)."""
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("administration_id", sa.String(length=64), nullable=False),
        sa.Column("assessment_id", sa.String(length=36), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("errors_count", sa.Integer(), nullable=False),
        sa.Column("answers_stored", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("problem", sa.JSON(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=128), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_import_jobs_admin_created", "import_jobs", ["administration_id", "created_at"]
    )
    op.create_index("ix_import_jobs_status", "import_jobs", ["status"])
    op.create_table(
        "import_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["import_jobs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job_id", "position"),
    )
    op.create_index("ix_import_files_job_id", "import_files", ["job_id"])
    op.create_table(
        "import_problems",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(length=255), nullable=False),
        sa.Column("sheet", sa.String(length=64), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=128), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["import_jobs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_import_problems_job_seq", "import_problems", ["job_id", "seq"])
    op.create_table(
        "import_file_chunks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["import_files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("file_id", "seq"),
    )
    op.create_index("ix_import_file_chunks_file_id", "import_file_chunks", ["file_id"])
    # Batch mode: SQLite adds the column in place (no copy), PostgreSQL runs ALTER TABLE.
    with op.batch_alter_table("answers") as batch_op:
        batch_op.add_column(sa.Column("import_job_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    """Drop the import tables and ``answers.import_job_id`` (import data only)."""
    with op.batch_alter_table("answers") as batch_op:
        batch_op.drop_column("import_job_id")
    op.drop_index("ix_import_file_chunks_file_id", table_name="import_file_chunks")
    op.drop_table("import_file_chunks")
    op.drop_index("ix_import_problems_job_seq", table_name="import_problems")
    op.drop_table("import_problems")
    op.drop_index("ix_import_files_job_id", table_name="import_files")
    op.drop_table("import_files")
    op.drop_index("ix_import_jobs_status", table_name="import_jobs")
    op.drop_index("ix_import_jobs_admin_created", table_name="import_jobs")
    op.drop_table("import_jobs")
