"""Schema migrations of a service's own database (Alembic), the same machinery for every service.

Each service keeps its revisions in ``<service>/migrations/`` (``env.py``, ``script.py.mako``,
``versions/``) inside its package, so they ship in its wheel and image, and describes them with a
``Schema``. There is no ``alembic.ini``: the Alembic configuration is built here, for the
``DATABASE_URL`` of the service's app, and every command runs on one connection in one
transaction (PostgreSQL and SQLite both have transactional DDL: a failed upgrade changes nothing).

* ``flask --app <service> db upgrade [revision]``, ``db downgrade <revision>``, ``db current``,
  ``db check`` and ``db revision -m ... [--autogenerate]`` (``db_commands``); ``init-db`` runs
  ``upgrade`` too.
* A database made by ``create_all`` before migrations existed (tables, no ``alembic_version``) is
  adopted by ``upgrade``: stamped at the head if it already matches the models, else at the first
  revision, then upgraded.
* The web app, the event process and the importer refuse to start on a database behind the
  code (``refuse_if_behind``, ``require_current``): ``database of <service> is at revision X,
  code needs Y: run `flask --app <service> db upgrade```.
* Revisions render the shared ``UtcDateTime`` as ``sa.DateTime(timezone=True)`` (its storage) and
  the autogenerate comparison compares a type decorator by what it stores, so models and
  migrations are compared table by table, column by column, index by index (``differences``).
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import click
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import Column, Connection, MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator, TypeEngine

from shared.timestamps import UtcDateTime

_log = logging.getLogger(__name__)


class _QuietAlembic(logging.Filter):
    """Keep Alembic's useful lines (``Running upgrade 0001 -> 0002``), not its chatter about
    which dialect it uses, logged on every check (its DDL runs in our transaction anyway)."""

    CHATTER = ("Context impl ", "Will assume ")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.CHATTER)


logging.getLogger("alembic.runtime.migration").addFilter(_QuietAlembic())
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

VERSION_TABLE = "alembic_version"
SQLITE_LOCK_TIMEOUT_S = 30


def _no_table(_name: str) -> bool:
    return False


@dataclass(frozen=True)
class Schema:
    """A service's tables (its models' metadata) and the folder of its migrations."""

    service: str
    metadata: MetaData
    directory: Path
    # The first revision: what a database made by ``create_all`` before migrations is stamped at.
    baseline: str = "0001"
    # Tables the migrations do not manage (made and kept by other code, e.g. a search index).
    ignored_table: Callable[[str], bool] = field(default=_no_table)

    def config(self, connection: Connection | None = None) -> Config:
        """Return the Alembic configuration of these migrations (on ``connection``, if given)."""
        config = Config()
        config.set_main_option("script_location", str(self.directory))
        config.set_main_option("path_separator", "os")
        config.attributes["connection"] = connection
        config.attributes["schema"] = self
        return config

    def script(self) -> ScriptDirectory:
        """Return the revisions (read once per process)."""
        cached = _SCRIPTS.get(self.directory)
        if cached is None:
            cached = _SCRIPTS[self.directory] = ScriptDirectory.from_config(self.config())
        return cached

    def heads(self) -> tuple[str, ...]:
        """Return the revision(s) the code needs."""
        return tuple(sorted(self.script().get_heads()))

    @property
    def upgrade_command(self) -> str:
        """Return the command an operator runs to bring the database up to date."""
        return f"flask --app {self.service} db upgrade"


_SCRIPTS: dict[Path, ScriptDirectory] = {}


class SchemaBehind(RuntimeError):
    """The database's schema is older than the code's (its migrations were not run)."""


@dataclass(frozen=True)
class Migrated:
    """What ``upgrade`` or ``downgrade`` did."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    adopted: str | None = None  # the revision a database without version table was stamped at


# ---------------------------------------------------------------- engine and comparison options
def migration_engine(url: str) -> Engine:
    """Return an engine for migrations: no pool, and on SQLite a real transaction around DDL.

    pysqlite leaves DDL outside transactions and SQLite enforces no foreign keys unless asked
    (batch migrations copy and drop tables: they must not cascade): the app's engine does both
    differently, hence an engine of its own. ``BEGIN IMMEDIATE`` also makes two upgrades of one
    file run one after the other.
    """
    if not url.startswith("sqlite"):
        return create_engine(url, poolclass=NullPool)
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": SQLITE_LOCK_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def compare_type(
    context: MigrationContext,
    inspected_column: Column[Any],
    metadata_column: Column[Any],
    inspected_type: TypeEngine[Any],
    metadata_type: TypeEngine[Any],
) -> bool | None:
    """Compare a type decorator (``UtcDateTime``) by the type it stores; others as Alembic does."""
    if isinstance(metadata_type, TypeDecorator):
        stored: Column[Any] = Column(metadata_column.name, metadata_type.impl_instance)
        return context.impl.compare_type(inspected_column, stored)
    return None


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render ``UtcDateTime`` as what it stores, so revisions depend on SQLAlchemy alone."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def context_options(schema: Schema) -> dict[str, Any]:
    """Return the options of Alembic's migration context for ``schema`` (env.py and checks)."""

    def include_name(name: str | None, type_: str, _parents: Any) -> bool:
        return not (type_ == "table" and name is not None and schema.ignored_table(name))

    return {
        "target_metadata": schema.metadata,
        "render_as_batch": True,  # SQLite alters a table by copying it
        "compare_type": compare_type,
        "render_item": render_item,
        "include_name": include_name,
    }


def run_environment(schema: Schema) -> None:
    """Run the migrations Alembic asks for (each service's ``env.py`` calls this with its own
    ``Schema``; the one the configuration was built from, if any, wins)."""
    from alembic import context

    schema = context.config.attributes.get("schema") or schema
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise click.UsageError(f"run the migrations with `flask --app {schema.service} db ...`")
    context.configure(connection=connection, **context_options(schema))
    with context.begin_transaction():
        context.run_migrations()


# ---------------------------------------------------------------- operations
@contextmanager
def _migrating(schema: Schema, url: str) -> Iterator[Connection]:
    """Yield a connection in a transaction that no other migration of ``schema`` runs beside."""
    engine = migration_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                key = zlib.crc32(f"smartcustoms-migrations:{schema.service}".encode())
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            yield connection
    finally:
        engine.dispose()


def current_revisions(connection: Connection) -> tuple[str, ...]:
    """Return the revision(s) the database on ``connection`` is at (empty: none)."""
    return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


def differences(schema: Schema, connection: Connection) -> list[Any]:
    """Return how the database on ``connection`` differs from the models (empty: it matches)."""
    context = MigrationContext.configure(connection, opts=context_options(schema))
    diffs: list[Any] = compare_metadata(context, schema.metadata)
    return diffs


def _adopt(schema: Schema, connection: Connection) -> str | None:
    """Stamp a database made by ``create_all`` (tables but no version): at the head if it
    matches the models, else at the first revision (the schema before migrations existed)."""
    tables = set(inspect(connection).get_table_names())
    if VERSION_TABLE in tables or not tables & set(schema.metadata.tables):
        return None
    revision = schema.heads()[0] if not differences(schema, connection) else schema.baseline
    MigrationContext.configure(connection).stamp(schema.script(), revision)
    _log.info(
        "adopted a database made before migrations",
        extra={"service": schema.service, "revision": revision},
    )
    return revision


def upgrade(schema: Schema, url: str, revision: str = "head") -> Migrated:
    """Upgrade the database at ``url`` to ``revision`` (adopting a pre-migrations database)."""
    with _migrating(schema, url) as connection:
        adopted = _adopt(schema, connection)
        before = current_revisions(connection)
        command.upgrade(schema.config(connection), revision)
        return Migrated(before, current_revisions(connection), adopted)


def downgrade(schema: Schema, url: str, revision: str) -> Migrated:
    """Downgrade the database at ``url`` to ``revision`` (a revision that refuses stops it)."""
    with _migrating(schema, url) as connection:
        before = current_revisions(connection)
        command.downgrade(schema.config(connection), revision)
        return Migrated(before, current_revisions(connection))


def behind_message(schema: Schema, current: tuple[str, ...]) -> str | None:
    """Return why a database at ``current`` is behind the code, or None when it is not.

    A revision this code does not know is newer than the code (a rollback of the code after an
    upgrade, or old replicas during a rolling deploy): not refused, only logged.
    """
    heads = schema.heads()
    if current == heads:
        return None
    known = {script.revision for script in schema.script().walk_revisions()}
    if current and not set(current) <= known:
        _log.warning(
            "database is at a revision this code does not know (newer code migrated it)",
            extra={"service": schema.service, "revision": ",".join(current)},
        )
        return None
    return (
        f"database of {schema.service} is at revision {', '.join(current) or 'none'}, "
        f"code needs {', '.join(heads)}: run `{schema.upgrade_command}`"
    )


def check_current(schema: Schema, url: str) -> None:
    """Raise ``SchemaBehind`` when the database at ``url`` is behind the code.

    An unreachable database is let through (logged): the process starts and its readiness says
    the database is down, as before migrations existed.
    """
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            current = current_revisions(connection)
    except DBAPIError as exc:
        _log.warning(
            "schema not checked: database unreachable",
            extra={"service": schema.service, "error": type(exc).__name__},
        )
        return
    finally:
        engine.dispose()
    message = behind_message(schema, current)
    if message is not None:
        _log.error(message)
        raise SchemaBehind(message)


def _built_by_flask_cli() -> bool:
    click_context = click.get_current_context(silent=True)
    return click_context is not None and click_context.find_object(ScriptInfo) is not None


def refuse_if_behind(app: Flask, schema: Schema) -> None:
    """Refuse to build ``app`` (web process, Celery worker) on a database behind its code.

    Skipped for TESTING apps (their tables come from the models) and for apps the ``flask``
    command line builds: ``db upgrade`` must run on an old database, and the long-running
    commands (``events run``, ``imports run``) call ``require_current`` themselves.
    """
    if app.config.get("TESTING") or _built_by_flask_cli():
        return
    check_current(schema, app.config["DATABASE_URL"])


def require_current(app: Flask, schema: Schema) -> None:
    """Stop a command (``events run``, ``imports run``) with the message when behind."""
    try:
        check_current(schema, app.config["DATABASE_URL"])
    except SchemaBehind as exc:
        raise click.ClickException(str(exc)) from exc


def forget_scripts(schema: Schema) -> None:
    """Drop the cached revision list of ``schema`` (after a revision file was written)."""
    _SCRIPTS.pop(schema.directory, None)
