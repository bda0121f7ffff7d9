"""Tables of the action plans (the assessment service's own database and declarative base)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from assessment.models import Base
from shared.timestamps import UtcDateTime, utcnow

STATUSES = ("planned", "in_progress", "done", "dropped")
CLOSED = ("done", "dropped")
REMINDER_KINDS = ("due_soon", "overdue")


def _uuid() -> str:
    return str(uuid.uuid4())


class ActionPlan(Base):
    """The action plan of one assessment (at most one per assessment)."""

    __tablename__ = "action_plans"
    __table_args__ = (UniqueConstraint("assessment_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    assessment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("assessments.id", ondelete="CASCADE")
    )
    administration_id: Mapped[str] = mapped_column(String(64), index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class PlanAction(Base):
    """One action of a plan: what, for which indicators, by whom, by when, how far it is."""

    __tablename__ = "plan_actions"
    __table_args__ = (
        Index("ix_plan_actions_admin_owner", "administration_id", "owner_id"),
        Index("ix_plan_actions_status_target", "status", "target_date"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    plan_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    # Copied from the plan so every query filters by tenant without a join.
    administration_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    recommendations: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_id: Mapped[str] = mapped_column(String(64))
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    target_date: Mapped[date] = mapped_column(Date())
    target_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    evidence_link: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    evidence_contribution_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ActionLogEntry(Base):
    """A change to an action: who changed which fields from what to what."""

    __tablename__ = "action_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True
    )
    change: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ActionReminder(Base):
    """A reminder staged for an action (unique per kind: each is announced once)."""

    __tablename__ = "action_reminders"
    __table_args__ = (UniqueConstraint("action_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("plan_actions.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))
    target_date: Mapped[date] = mapped_column(Date())
    staged_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
