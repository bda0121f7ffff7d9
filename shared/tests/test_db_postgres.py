"""PostgreSQL connections: the pool replaces a connection that died while idle, and
``Database.statement`` runs each statement as its own transaction."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from shared import db as db_module
from shared.db import Database, DriverStatement
from shared.testing import uses_postgresql

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not uses_postgresql(), reason="PostgreSQL only: the TEST_DB=postgresql run"),
]


@pytest.fixture
def database(database_url):
    database = Database(database_url)
    yield database
    database.dispose()


def _backend_pid(database):
    with database.engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def _kill(database, pid):
    other = Database(database.url)  # another session ends the backend, as a restart would
    try:
        with other.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        other.dispose()


def test_a_connection_killed_while_idle_is_replaced_on_checkout(database, monkeypatch):
    first = _backend_pid(database)
    _kill(database, first)
    monkeypatch.setattr(db_module, "IDLE_PING_S", 0.0)  # it has been idle long enough
    assert _backend_pid(database) != first  # pinged, found dead, replaced: no error


def test_a_connection_in_steady_use_is_not_pinged(database, monkeypatch):
    monkeypatch.setattr(db_module, "IDLE_PING_S", 60.0)
    first = _backend_pid(database)
    assert _backend_pid(database) == first  # the same pooled connection
    _kill(database, first)
    with pytest.raises(DBAPIError):  # no ping: the dead connection is used and fails once
        _backend_pid(database)
    assert _backend_pid(database) != first  # then the pool has replaced it


def test_statement_autocommits_each_statement(database):
    with database.statement(write=True) as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS probe (n int)"))
        connection.execute(text("INSERT INTO probe VALUES (1)"))
        # no commit: on PostgreSQL each statement was its own transaction
    with database.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM probe")) == 1


def test_a_driver_statement_on_a_lost_connection_raises_and_the_pool_replaces_it(
    database, monkeypatch
):
    monkeypatch.setattr(db_module, "IDLE_PING_S", 60.0)  # no ping: the dead one is handed out
    pid_of = DriverStatement(select(func.pg_backend_pid()), database.autocommit_engine.dialect)
    with database.statement() as connection:
        first = pid_of.first(connection, {})[0]
    _kill(database, first)
    with pytest.raises(DBAPIError) as raised, database.statement() as connection:
        pid_of.first(connection, {})
    assert raised.value.connection_invalidated
    with database.statement() as connection:
        assert pid_of.first(connection, {})[0] != first
