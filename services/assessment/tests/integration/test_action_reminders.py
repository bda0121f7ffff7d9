"""Reminders of action plans on the real database (SQLite or PostgreSQL): actions due within N
days and overdue ones are each staged once as outbox events with a valid payload; done or
dropped actions are never reminded; a scan racing another never stages a reminder twice."""

import json
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from assessment.actions import plans, reminders
from assessment.actions.models import ActionReminder
from assessment.models import OutboxMessage
from shared import payloads
from shared.auth import Principal

from ..conftest import BASE

pytestmark = pytest.mark.integration

TODAY = date(2026, 12, 7)
COORD = Principal("coord-1", "adm-1", frozenset({"coordinator"}), name="Coordinator")
KINDS = ("action.due_soon", "action.overdue")


@pytest.fixture
def plan_id(app, client, auth, started):
    invited = client.put(
        f"{BASE}/assessments/{started}/participants/resp-1",
        json={"name": "Awa", "areas": []},
        headers=auth(),
    )
    assert invited.status_code == 200, invited.json
    with app.extensions["db"].session(write=True) as session:
        plan = plans.create_plan(
            session=session,
            principal=COORD,
            cache=app.extensions["frameworks"],
            assessment_id=started,
            limit=1,
            today=TODAY,
        )
    return plan["id"]


def _add(app, plan_id, title, target, status=None):
    with app.extensions["db"].session(write=True) as session:
        action = plans.add_action(
            session=session,
            principal=COORD,
            cache=app.extensions["frameworks"],
            plan_id=plan_id,
            title=title,
            owner_id="resp-1",
            target_date=target,
        )
    if status:
        with app.extensions["db"].session(write=True) as session:
            changes = {"status": status, "evidence": {"note": "Done"}}
            plans.update_action(
                session=session,
                principal=COORD,
                cache=app.extensions["frameworks"],
                action_id=action["id"],
                changes=changes,
            )
    return action["id"]


def _scan(app, **kwargs):
    with app.extensions["db"].session(write=True) as session:
        return reminders.scan(session=session, today=kwargs.pop("today", TODAY), **kwargs)


def _reminders(app):
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.event_type.in_(KINDS))
            .order_by(OutboxMessage.id)
        ).all()
        return [(row.event_type, json.loads(row.payload)["data"]) for row in rows]


def test_due_soon_and_overdue_actions_are_each_reminded_once(app, plan_id):
    late = _add(app, plan_id, "Late", date(2026, 12, 1))
    soon = _add(app, plan_id, "Soon", date(2026, 12, 14))
    _add(app, plan_id, "Later", date(2026, 12, 15))
    _add(app, plan_id, "Done late", date(2026, 11, 1), status="done")
    _add(app, plan_id, "Dropped soon", date(2026, 12, 10), status="dropped")

    assert _scan(app, days=7) == {"due_soon": 1, "overdue": 1}
    staged = _reminders(app)
    assert [(kind, data["action_id"]) for kind, data in staged] == [
        ("action.due_soon", soon),
        ("action.overdue", late),
    ]
    due = staged[0][1]
    assert (due["days_left"], due["target_date"], due["notify"]) == (7, "2026-12-14", ["resp-1"])
    assert staged[1][1]["days_left"] == -6 and staged[1][1]["kind"] == "overdue"
    for kind, data in staged:
        version, schema = payloads.schema_for(kind)
        assert version == 1 and schema.validate(data) == {}

    assert _scan(app, days=7) == {"due_soon": 0, "overdue": 0}  # once only
    # A week on, the soon one is overdue (reminded again, as overdue) and "Later" is due soon.
    assert _scan(app, days=7, today=date(2026, 12, 15)) == {"due_soon": 1, "overdue": 1}
    assert len(_reminders(app)) == 4


def test_a_reminder_row_already_written_means_no_second_event(app, plan_id):
    action = _add(app, plan_id, "Soon", date(2026, 12, 8))
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.add(
            ActionReminder(action_id=action, kind="due_soon", target_date=date(2026, 12, 8))
        )
    assert _scan(app) == {"due_soon": 0, "overdue": 0}
    assert _reminders(app) == []


def test_concurrent_scans_stage_each_reminder_once(app, plan_id):
    for n in range(5):
        _add(app, plan_id, f"Due {n}", date(2026, 12, 9 + n % 3))
    outcomes, errors = [], []
    barrier = threading.Barrier(3)

    def run():
        try:
            barrier.wait(timeout=10)
            outcomes.append(_scan(app)["due_soon"])
        except Exception as exc:  # reported below: a scan must not fail on the race
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and sum(outcomes) == 5
    with app.extensions["db"].session() as session:
        assert session.scalar(select(func.count()).select_from(ActionReminder)) == 5
    assert len(_reminders(app)) == 5


def test_the_remind_command_stages_and_reports_the_counts(app, plan_id):
    _add(app, plan_id, "Late", date(2000, 1, 1))
    result = app.test_cli_runner().invoke(args=["actions", "remind", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert "reminders staged: 0 due soon, 1 overdue" in result.output
