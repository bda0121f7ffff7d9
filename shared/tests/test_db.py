"""SQLite write transactions queue on a lock file, across threads and processes."""

import fcntl
import multiprocessing
import os
import sqlite3
import threading
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection

import pytest
from sqlalchemy import DateTime, String, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import Database, DriverStatement, WriteQueue


class Base(DeclarativeBase):
    pass


class Counter(Base):
    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "service.db"


@pytest.fixture
def database(path):
    db = Database(f"sqlite:///{path}")
    db.create_all(Base)
    with db.session(write=True) as session, session.begin():
        session.add(Counter(name="c", value=0))
    yield db
    db.dispose()


def _queue_is_free(path) -> bool:
    fd = os.open(f"{path}-writelock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def _increment(db: Database, times: int) -> None:
    for _ in range(times):
        with db.session(write=True) as session, session.begin():
            counter = session.get(Counter, "c")
            counter.value += 1


def _value(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(Counter.value).where(Counter.name == "c"))


def test_a_write_transaction_holds_the_queue_until_it_commits(database, path):
    with database.session(write=True) as session:
        with session.begin():
            session.get(Counter, "c").value = 5
            assert not _queue_is_free(path)
        assert _queue_is_free(path)
    assert _value(database) == 5


def test_a_failed_write_transaction_lets_the_next_writer_in(database, path):
    with pytest.raises(RuntimeError), database.session(write=True) as session, session.begin():
        session.get(Counter, "c").value = 5
        raise RuntimeError("the use case refused")
    assert _queue_is_free(path)
    assert _value(database) == 0


def test_a_session_closed_without_commit_lets_the_next_writer_in(database, path):
    with database.session(write=True) as session:
        session.get(Counter, "c").value = 5
        assert not _queue_is_free(path)
    assert _queue_is_free(path)
    assert _value(database) == 0


def test_reads_do_not_queue(database, path):
    with database.session() as session, session.begin():
        session.get(Counter, "c")
        assert _queue_is_free(path)


def test_writers_in_threads_and_processes_take_turns_without_losing_an_update(database, path):
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_increment, args=(database, 40)) for _ in range(2)]
    threads = [threading.Thread(target=_increment, args=(database, 40)) for _ in range(2)]
    for worker in [*processes, *threads]:
        worker.start()
    for worker in [*processes, *threads]:
        worker.join(timeout=60)
    assert [p.exitcode for p in processes] == [0, 0]
    assert _value(database) == 160
    assert _queue_is_free(path)


def _take_turn(queue: WriteQueue, done: Connection) -> None:
    queue.acquire()
    done.send("in")
    queue.release()


def test_a_forked_child_waits_for_its_parents_turn_to_end(tmp_path):
    queue = WriteQueue(str(tmp_path / "lock"))
    queue.acquire()
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_take_turn, args=(queue, sender))
    child.start()
    try:
        assert not receiver.poll(0.3)  # the child shares the parent's file, not its turn
    finally:
        queue.release()
    assert receiver.poll(10)
    child.join(timeout=10)
    assert child.exitcode == 0


def test_threads_taking_their_first_turn_at_once_share_one_queue(tmp_path, monkeypatch):
    # The event process's consumers all write as soon as it starts. A slow first open widens the
    # window in which they once each made a lock and a file of their own: one thread's flock then
    # waited forever for another's, and every writer of the process after it failed "locked".
    real_open = os.open

    def slow_open(*args, **kwargs):
        time.sleep(0.05)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(os, "open", slow_open)
    queue = WriteQueue(str(tmp_path / "lock"), timeout_s=5)
    start = threading.Barrier(6)
    holding, most, done = [0], [0], []
    guard = threading.Lock()

    def writer() -> None:
        start.wait()
        queue.acquire()
        with guard:
            holding[0] += 1
            most[0] = max(most[0], holding[0])
        time.sleep(0.01)
        with guard:
            holding[0] -= 1
        queue.release()
        done.append(True)

    threads = [threading.Thread(target=writer, daemon=True) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(done) == 6, "a writer never got its turn"
    assert most[0] == 1, "two writers held the queue at once"


def test_a_writer_that_waits_too_long_fails_as_sqlite_would(tmp_path):
    queue = WriteQueue(str(tmp_path / "lock"), timeout_s=0.1)
    queue.acquire()
    failures = []

    def second_writer() -> None:
        try:
            queue.acquire()
        except sqlite3.OperationalError as error:
            failures.append(str(error))

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(timeout=10)
    queue.release()
    assert failures == ["database is locked"]


class Stamp(Base):
    __tablename__ = "stamps"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def test_a_driver_statement_writes_what_sqlalchemy_would_and_returns_the_row(database):
    at = datetime(2026, 12, 4, 10, 30, tzinfo=UTC)
    insert_stamp = DriverStatement(
        insert(Stamp).values(name=bindparam("name"), at=bindparam("at")).returning(Stamp.name),
        database.engine.dialect,
    )
    with database.statement(write=True) as connection:
        row = insert_stamp.first(connection, {"name": "first", "at": at})
    assert tuple(row) == ("first",)
    with database.session() as session:
        stored = session.scalars(select(Stamp)).one()
    # the DateTime bind processor was applied as SQLAlchemy applies it: the value reads back
    assert (stored.name, stored.at.replace(tzinfo=UTC)) == ("first", at)


def test_a_failing_driver_statement_raises_sqlalchemys_error_and_changes_nothing(database):
    duplicate = DriverStatement(
        insert(Counter).values(name=bindparam("name"), value=0), database.engine.dialect
    )
    with pytest.raises(IntegrityError), database.statement(write=True) as connection:
        connection.execute(update(Counter).values(value=5))
        duplicate.first(connection, {"name": "c"})  # fails: the transaction rolls back
    with database.session() as session:
        assert session.scalars(select(Counter.value)).one() == 0
