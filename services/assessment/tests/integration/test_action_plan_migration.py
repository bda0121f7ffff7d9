"""Revision 0005 on the selected database (TEST_DB): it adds the action plan tables empty, and
its downgrade drops only them (the assessments they planned for stay as they were)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.pool import NullPool

from assessment.migrations import SCHEMA
from assessment.models import Base
from shared import migrations
from shared.testing import schema_state

pytestmark = pytest.mark.integration

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
PLAN_TABLES = {"action_plans", "plan_actions", "action_log", "action_reminders"}
ASSESSMENT = {
    "id": "a-1",
    "administration_id": "adm-1",
    "title": "Readiness 2026",
    "language": "fr",
    "framework_key": "ai-ml-readiness",
    "framework_version": "1.0",
    "targets": {},
    "status": "submitted",
    "version": 1,
    "previous_id": None,
    "created_by": "coord-1",
    "created_at": AT,
    "updated_at": AT,
    "submitted_at": AT,
    "submitted_by": "coord-1",
}


@pytest.fixture
def engine(database_url):
    engine = create_engine(database_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def _tables(engine):
    return set(inspect(engine).get_table_names())


def _assessments(engine):
    table = Base.metadata.tables["assessments"]
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(select(table))]


def test_0005_adds_the_plan_tables_empty_and_its_downgrade_drops_only_them(database_url, engine):
    migrations.upgrade(SCHEMA, database_url, "0004")
    assert not PLAN_TABLES & _tables(engine)
    with engine.begin() as connection:
        connection.execute(Base.metadata.tables["assessments"].insert(), ASSESSMENT)
    kept = _assessments(engine)

    assert migrations.upgrade(SCHEMA, database_url, "0005").after == ("0005",)
    with engine.begin() as connection:
        for table in PLAN_TABLES:
            assert connection.scalar(text(f"SELECT count(*) FROM {table}")) == 0
        connection.execute(
            Base.metadata.tables["action_plans"].insert(),
            {
                "id": "p-1",
                "assessment_id": "a-1",
                "administration_id": "adm-1",
                "created_by": "coord-1",
                "created_at": AT,
                "updated_at": AT,
            },
        )
        connection.execute(
            Base.metadata.tables["plan_actions"].insert(),
            {
                "id": "act-1",
                "plan_id": "p-1",
                "administration_id": "adm-1",
                "position": 1,
                "title": "Nommer les propriétaires des données",
                "description": "",
                "indicators": ["data.owners"],
                "recommendations": [],
                "owner_id": "resp-1",
                "owner_name": "Awa",
                "target_date": date(2027, 6, 30),
                "target_level": 3,
                "status": "planned",
                "evidence_note": "",
                "created_by": "coord-1",
                "created_at": AT,
                "updated_at": AT,
            },
        )
        stored = connection.scalar(text("SELECT target_date FROM plan_actions"))
    assert str(stored)[:10] == "2027-06-30"

    assert migrations.downgrade(SCHEMA, database_url, "0004").after == ("0004",)
    assert not PLAN_TABLES & _tables(engine)
    assert _assessments(engine) == kept

    assert migrations.upgrade(SCHEMA, database_url).after == SCHEMA.heads()
    assert schema_state(SCHEMA, database_url)[1] == []
