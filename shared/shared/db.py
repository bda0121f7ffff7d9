"""SQLAlchemy engine and sessions for a service's own database (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Database:
    """One service's database: an engine and a session factory."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = _make_engine(url, echo=echo)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.writers = sessionmaker(
            self.engine.execution_options(write_lock=True), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        """Return whether this is the embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """Yield a session that is closed (and rolled back if uncommitted) afterwards.

        ``write=True`` takes SQLite's write lock at the start of each transaction, so a
        read-then-write use case never fails on a lock upgrade; PostgreSQL ignores it.
        """
        session = (self.writers if write else self.sessions)()
        try:
            yield session
        finally:
            session.close()

    def create_all(self, base: type[DeclarativeBase]) -> None:
        """Create the tables of ``base`` that do not exist yet."""
        base.metadata.create_all(self.engine)

    def ping(self) -> None:
        """Run a trivial query; raises when the database is unreachable."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _make_engine(url: str, *, echo: bool) -> Engine:
    options: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling breaks BEGIN IMMEDIATE: take it over.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options.update(pool_pre_ping=True, pool_size=5, max_overflow=10, pool_recycle=1800)
    return create_engine(url, **options)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front, so concurrent writers queue on busy_timeout
    # instead of failing with "database is locked" when a read transaction upgrades.
    write = connection.get_execution_options().get("write_lock", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
