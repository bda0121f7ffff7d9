"""Action plans (issue 16): plans, their actions, the log of changes and staged reminders.

Upgrade: four new tables, empty (no assessment has a plan until its coordinator creates one).
Downgrade is safe for everything but the plans: it drops the plans, their actions, the log of
their changes and the reminders staged for them; no assessment, answer or score is touched.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the action plan tables."""
    op.create_table(
        "action_plans",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column("administration_id", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assessment_id"),
    )
    op.create_index("ix_action_plans_administration_id", "action_plans", ["administration_id"])
    op.create_table(
        "plan_actions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("administration_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("recommendations", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("target_level", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("evidence_note", sa.Text(), nullable=False),
        sa.Column("evidence_link", sa.String(length=2000), nullable=True),
        sa.Column("evidence_contribution_id", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["action_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_actions_plan_id", "plan_actions", ["plan_id"])
    op.create_index(
        "ix_plan_actions_admin_owner", "plan_actions", ["administration_id", "owner_id"]
    )
    op.create_index("ix_plan_actions_status_target", "plan_actions", ["status", "target_date"])
    op.create_table(
        "action_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action_id", sa.String(length=36), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["plan_actions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_log_action_id", "action_log", ["action_id"])
    op.create_table(
        "action_reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("staged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["plan_actions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("action_id", "kind"),
    )


def downgrade() -> None:
    """Drop the action plan tables (plans, actions, their log and reminders)."""
    op.drop_table("action_reminders")
    op.drop_index("ix_action_log_action_id", table_name="action_log")
    op.drop_table("action_log")
    op.drop_index("ix_plan_actions_status_target", table_name="plan_actions")
    op.drop_index("ix_plan_actions_admin_owner", table_name="plan_actions")
    op.drop_index("ix_plan_actions_plan_id", table_name="plan_actions")
    op.drop_table("plan_actions")
    op.drop_index("ix_action_plans_administration_id", table_name="action_plans")
    op.drop_table("action_plans")
