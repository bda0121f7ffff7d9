"""SQLAlchemy engine and sessions for a service's own database (SQLite or PostgreSQL)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import Any

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.expression import Executable


class Database:
    """One service's database: an engine and a session factory."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = _make_engine(url, echo=echo)
        self.write_engine = self.engine.execution_options(write_lock=True)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.writers = sessionmaker(self.write_engine, expire_on_commit=False)
        # PostgreSQL: a small pool of its own whose connections stay in autocommit, so
        # ``statement`` switches no connection's mode back and forth.
        self.autocommit_engine = (
            None if self.is_sqlite else _make_engine(url, echo=echo, isolation="AUTOCOMMIT")
        )

    @property
    def is_sqlite(self) -> bool:
        """Return whether this is the embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """Yield a session that is closed (and rolled back if uncommitted) afterwards.

        ``write=True`` takes SQLite's write lock at the start of each transaction, so a
        read-then-write use case never fails on a lock upgrade (writers wait their turn in a
        ``WriteQueue``); PostgreSQL ignores it.
        """
        session = (self.writers if write else self.sessions)()
        try:
            yield session
        finally:
            session.close()

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Connection]:
        """Yield a connection in a transaction, committed at the end (rolled back on error).

        For hot paths that run a few Core statements and need no ORM objects: a connection
        costs a fraction of a session. ``write`` as for ``session``.
        """
        with (self.write_engine if write else self.engine).begin() as connection:
            yield connection

    @contextmanager
    def statement(self, *, write: bool = False) -> Iterator[Connection]:
        """Yield a connection for work whose one write is a single self-contained statement.

        On PostgreSQL the connection is in autocommit: each statement is its own transaction,
        with no BEGIN and COMMIT round trips around it (a hot path's single guarded upsert
        needs no more). On SQLite it is a transaction as ``transaction`` gives, so writers
        still queue for the file's lock.
        """
        if self.autocommit_engine is None:
            with self.transaction(write=write) as connection:
                yield connection
            return
        with self.autocommit_engine.connect() as connection:
            yield connection

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
        if self.autocommit_engine is not None:
            self.autocommit_engine.dispose()


class DriverStatement:
    """One Core statement compiled once for a dialect, run on the driver's own cursor.

    For a hot path's single statement: SQLAlchemy's execution (execution context, result and
    event machinery) costs more CPU per call than the database spends on a small upsert. The
    SQL and parameters are exactly SQLAlchemy's (its compiler, literal values and bind
    processors); driver errors are raised as SQLAlchemy's, and a lost connection is
    invalidated in the pool as SQLAlchemy would.
    """

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        self.dialect = dialect
        self.sql = str(compiled)
        self.literals: dict[str, Any] = {
            name: bind.effective_value
            for bind, name in compiled.bind_names.items()
            if not bind.required
        }
        processors: Mapping[str, Callable[[Any], Any]] = compiled._bind_processors
        self.processors = dict(processors)
        self.order: tuple[str, ...] | None = (
            tuple(compiled.positiontup) if compiled.positional else None
        )

    def first(self, connection: Connection, parameters: Mapping[str, Any]) -> Any:
        """Execute with ``parameters`` on ``connection``; return the first row or None."""
        values = {**self.literals, **parameters}
        for name, process in self.processors.items():
            values[name] = process(values[name])
        arguments: Any = values if self.order is None else [values[n] for n in self.order]
        dbapi_connection = connection.connection.dbapi_connection
        cursor = dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(self.sql, arguments)
            return cursor.fetchone()
        except self.dialect.loaded_dbapi.Error as exc:
            lost = self.dialect.is_disconnect(exc, dbapi_connection, cursor)
            if lost:
                connection.invalidate(exc)
            raise DBAPIError.instance(
                self.sql,
                arguments,
                exc,
                self.dialect.loaded_dbapi.Error,
                connection_invalidated=lost,
                dialect=self.dialect,
            ) from exc
        finally:
            cursor.close()


SQLITE_BUSY_TIMEOUT_S = 30
# Guards each WriteQueue's first use in a process (its lock and file): two threads taking their
# first turn at once must not each make their own. A child forked while a thread held it gets a
# free one.
_FIRST_USE = threading.Lock()


def _free_first_use_in_child() -> None:
    global _FIRST_USE
    _FIRST_USE = threading.Lock()


os.register_at_fork(after_in_child=_free_first_use_in_child)


class WriteQueue:
    """Lets the write transactions on one SQLite file run one at a time, across the threads and
    processes of the machine, each starting the moment the one before it ends.

    SQLite alone makes a writer that finds the file locked sleep 1, 2, 5, 10... ms before trying
    again: with two gunicorn workers saving answers, a worker spent most of its time asleep
    while the other one had long finished. Writers here wait on a lock file (``flock``) the
    kernel hands over at once; SQLite's own locking still guards every other writer.
    """

    def __init__(self, path: str, timeout_s: float = SQLITE_BUSY_TIMEOUT_S) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self._pid = -1
        self._fd = -1
        self._threads = threading.Lock()

    def acquire(self) -> None:
        """Wait for our turn (a thread of this process waits at most ``timeout_s``)."""
        if self._pid != os.getpid():  # first use, or a forked child: a lock of its own
            with _FIRST_USE:
                # Checked again under the lock: two threads racing here once made two locks
                # and two files, and the second one's flock then waited forever for the first.
                if self._pid != os.getpid():
                    self._threads = threading.Lock()
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                    self._pid = os.getpid()
        if not self._threads.acquire(timeout=self.timeout_s):
            raise sqlite3.OperationalError("database is locked")
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        """Hand over to the next writer."""
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()


class _QueuedConnection(sqlite3.Connection):
    """A pysqlite connection that leaves the write queue when its transaction ends."""

    queue: WriteQueue | None = None

    def _leave_queue(self) -> None:
        queue, self.queue = self.queue, None
        if queue is not None:
            queue.release()

    def commit(self) -> None:
        """Commit, then let the next writer in."""
        try:
            super().commit()
        finally:
            self._leave_queue()

    def rollback(self) -> None:
        """Roll back, then let the next writer in."""
        try:
            super().rollback()
        finally:
            self._leave_queue()

    def close(self) -> None:
        """Close, letting the next writer in."""
        try:
            super().close()
        finally:
            self._leave_queue()


def _sqlite_file(url: str) -> str | None:
    """Return the file of a SQLite URL, or None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database)


def _make_engine(url: str, *, echo: bool, isolation: str | None = None) -> Engine:
    options: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        path = _sqlite_file(url)
        options["connect_args"] = {
            "check_same_thread": False,
            "timeout": SQLITE_BUSY_TIMEOUT_S,
            "factory": _QueuedConnection,
        }
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling breaks BEGIN IMMEDIATE: take it over.
        queue = WriteQueue(f"{path}-writelock") if path else None
        event.listen(engine, "begin", partial(_sqlite_begin, queue))
        return engine
    options.update(pool_size=5, max_overflow=10, pool_recycle=1800)
    if isolation is not None:
        options["isolation_level"] = isolation
    if isolation == "AUTOCOMMIT":
        # No transaction is ever left open in autocommit: nothing to roll back on check-in.
        options["pool_reset_on_return"] = None
    engine = create_engine(url, **options)
    event.listen(engine, "checkout", _ping_if_idle)
    event.listen(engine, "checkin", _note_checkin)
    return engine


IDLE_PING_S = 10.0


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Check a pooled connection that sat idle before handing it out (the server may have
    restarted or dropped it); a connection in steady use is not pinged: a round trip per
    request would cost more than the request's own statement. A dead one is replaced."""
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < IDLE_PING_S:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as exc:  # any failure means: use another connection
        raise DisconnectionError() from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cursor.close()


def _sqlite_begin(queue: WriteQueue | None, connection: Any) -> None:
    # IMMEDIATE takes the write lock up front, so concurrent writers queue instead of failing
    # with "database is locked" when a read transaction upgrades. Straight on the DBAPI
    # connection: SQLAlchemy's statement machinery costs more than the BEGIN itself.
    dbapi_connection = connection.connection.dbapi_connection
    write = connection.get_execution_options().get("write_lock", False)
    statement = "BEGIN IMMEDIATE" if write else "BEGIN"
    try:
        if write and queue is not None and isinstance(dbapi_connection, _QueuedConnection):
            queue.acquire()
            dbapi_connection.queue = queue  # left on commit, rollback or close
        dbapi_connection.execute(statement)
    except sqlite3.Error as error:
        if isinstance(dbapi_connection, _QueuedConnection):
            dbapi_connection._leave_queue()
        raise DBAPIError.instance(statement, None, error, sqlite3.Error) from error
    except BaseException:
        if isinstance(dbapi_connection, _QueuedConnection):
            dbapi_connection._leave_queue()
        raise
