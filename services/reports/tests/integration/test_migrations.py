"""The reports service's schema migrations on the selected database (TEST_DB): they build the
models' schema exactly, a database ``create_all`` made before migrations is adopted with its
rows, and the web app, the Celery worker's app and the event process refuse an older schema."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.pool import NullPool

from reports import create_app
from reports.migrations import SCHEMA
from reports.models import Base, Notification
from shared import migrations
from shared.migrations import SchemaBehind
from shared.testing import schema_state

pytestmark = pytest.mark.integration

HEAD = "0005"

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
ROW = {
    "id": "n-1",
    "event_id": "evt-1",
    "user_id": "coord-1",
    "administration_id": "adm-1",
    "code": "report_ready",
    "report_id": None,
    "params": {"title": "Évaluation 2026"},
    "created_at": AT,
    "read_at": None,
}
BEHIND = (
    "database of reports is at revision none, code needs 0005: run `flask --app reports db upgrade`"
)


def test_a_fresh_database_upgraded_to_head_matches_the_models(database_url):
    migrated = migrations.upgrade(SCHEMA, database_url)
    assert (migrated.before, migrated.after) == ((), (HEAD,)) and SCHEMA.heads() == (HEAD,)
    assert schema_state(SCHEMA, database_url) == ((HEAD,), [])


def test_a_database_create_all_made_before_migrations_is_adopted_with_its_rows(database_url):
    engine = create_engine(database_url, poolclass=NullPool)
    Base.metadata.create_all(engine)
    table = Notification.__table__
    with engine.begin() as connection:
        connection.execute(table.insert(), ROW)
    migrated = migrations.upgrade(SCHEMA, database_url)
    # create_all made today's tables: the database matches the head and is stamped there.
    assert (migrated.adopted, migrated.after) == (HEAD, (HEAD,))
    with engine.connect() as connection:
        assert [dict(r._mapping) for r in connection.execute(select(table))] == [ROW]
    engine.dispose()


def test_upgrading_from_0001_keeps_rows_and_the_names_table_downgrades(database_url):
    assert migrations.upgrade(SCHEMA, database_url, "0001").after == ("0001",)
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(Notification.__table__.insert(), ROW)
    assert migrations.upgrade(SCHEMA, database_url).after == (HEAD,)
    with engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(select(Notification.__table__))]
        names = connection.exec_driver_sql("SELECT count(*) FROM administration_names").scalar()
    assert rows == [ROW] and names == 0
    assert migrations.downgrade(SCHEMA, database_url, "0001").after == ("0001",)
    with engine.connect() as connection:
        assert [dict(r._mapping) for r in connection.execute(select(Notification.__table__))] == [
            ROW
        ]
        assert "administration_names" not in inspect(connection).get_table_names()
    engine.dispose()


def test_the_app_refuses_an_empty_database_and_starts_once_upgraded(service_config):
    config = {**service_config, "TESTING": False}
    with pytest.raises(SchemaBehind) as refused:
        create_app(config)  # the web process and the Celery worker (reports.worker) build it
    assert str(refused.value) == BEHIND
    migrations.upgrade(SCHEMA, config["DATABASE_URL"])
    app = create_app(config)
    app.extensions["celery"].close()
    app.extensions["db"].dispose()


def test_the_event_process_refuses_to_start_when_behind(app):
    with app.extensions["db"].engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM alembic_version")
    result = app.test_cli_runner().invoke(args=["events", "run"])
    assert result.exit_code == 1
    assert f"Error: {BEHIND}" in result.output
