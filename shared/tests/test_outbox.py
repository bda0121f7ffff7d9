"""The transactional outbox on the test database (SQLite, or PostgreSQL with TEST_DB)."""

import threading

import pytest
from sqlalchemy import String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.bus import EventBus
from shared.db import Database
from shared.events import CloudEvent, new_event
from shared.outbox import OutboxMixin, add_event, relay_pending, run_relay


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)


class Outbox(OutboxMixin, Base):
    __tablename__ = "outbox"


@pytest.fixture
def database(database_url):
    db = Database(database_url)
    db.create_all(Base)
    yield db
    db.dispose()


def _write(db, name, n):
    with db.session(write=True) as session, session.begin():
        session.add(Thing(name=name))
        add_event(
            session, Outbox, "test:events", new_event("test.pinged", source="t", data={"n": n})
        )


def _count(db, model):
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_change_and_event_commit_together(database):
    _write(database, "a", 1)
    assert _count(database, Thing) == 1
    assert _count(database, Outbox) == 1


def test_a_failed_change_leaves_no_event_behind(database):
    _write(database, "a", 1)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        _write(database, "a", 2)
    assert _count(database, Thing) == 1
    assert _count(database, Outbox) == 1


def test_relay_publishes_pending_rows_in_order_once(database, redis_client):
    for n in range(5):
        _write(database, f"t{n}", n)
    bus = EventBus(redis_client)
    assert relay_pending(database, Outbox, bus, batch=3) == 3
    assert relay_pending(database, Outbox, bus) == 2
    assert relay_pending(database, Outbox, bus) == 0
    entries = redis_client.xrange("test:events")
    assert [CloudEvent.from_json(f[b"event"]).data["n"] for _, f in entries] == [0, 1, 2, 3, 4]


def test_relay_loop_stops_when_asked(database, redis_client):
    _write(database, "x", 42)
    stop = threading.Event()
    thread = threading.Thread(
        target=run_relay,
        args=(database, Outbox, EventBus(redis_client), stop),
        kwargs={"interval_s": 0.01},
    )
    thread.start()
    for _ in range(200):
        if redis_client.xlen("test:events"):
            break
        stop.wait(0.01)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert redis_client.xlen("test:events") == 1


def test_relay_keeps_rows_when_redis_is_down(database):
    import redis

    _write(database, "x", 1)
    dead = EventBus(redis.Redis(port=1, socket_connect_timeout=0.2))
    with pytest.raises(redis.ConnectionError):
        relay_pending(database, Outbox, dead)
    with database.session() as session:
        assert session.scalar(select(Outbox.published_at)) is None
