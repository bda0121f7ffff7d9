"""Timestamps are aware UTC and written as RFC 3339 with an offset; times without one are UTC."""

import dataclasses
import json
import logging
from datetime import UTC, datetime, timedelta, timezone

import pytest
from marshmallow import Schema, ValidationError
from sqlalchemy import String, insert, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import Database
from shared.events import InvalidEvent, load_payload, new_event
from shared.logs import JsonFormatter
from shared.timestamps import Timestamp, UtcDateTime, as_utc, parse, to_rfc3339, utcnow

PARIS_SUMMER = timezone(timedelta(hours=2))


def test_now_is_aware_utc():
    now = utcnow()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_naive_time_is_read_as_utc_and_an_aware_one_is_converted():
    assert as_utc(datetime(2026, 12, 6, 1, 52)) == datetime(2026, 12, 6, 1, 52, tzinfo=UTC)
    converted = as_utc(datetime(2026, 12, 6, 3, 52, tzinfo=PARIS_SUMMER))
    assert (converted.tzinfo, converted.hour) == (UTC, 1)


@pytest.mark.parametrize(
    "text_in",
    [
        "2026-12-06T01:52:47.738570",  # the old answers: no offset
        "2026-12-06 01:52:47.738570",  # SQLite's stored form
        "2026-12-06T01:52:47.738570Z",
        "2026-12-06T01:52:47.738570+00:00",
        "2026-12-06T03:52:47.738570+02:00",
    ],
)
def test_every_form_parses_to_the_same_utc_time_and_writes_with_an_offset(text_in):
    moment = parse(text_in)
    assert moment == datetime(2026, 12, 6, 1, 52, 47, 738570, tzinfo=UTC)
    assert moment.tzinfo is UTC
    assert to_rfc3339(moment) == "2026-12-06T01:52:47.738570+00:00"
    assert parse(to_rfc3339(moment)) == moment  # round trip


def test_rfc3339_text_is_always_utc_with_its_offset():
    assert to_rfc3339(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05+00:00"
    assert to_rfc3339(datetime(2026, 1, 2, 5, 4, 5, tzinfo=PARIS_SUMMER)) == (
        "2026-01-02T03:04:05+00:00"
    )
    stamp = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert to_rfc3339(stamp, timespec="milliseconds") == "2026-01-02T03:04:05.678+00:00"


def test_a_bad_text_is_refused():
    with pytest.raises(ValueError):
        parse("last tuesday")


class Moments(Schema):
    at = Timestamp()
    maybe = Timestamp(allow_none=True)


def test_the_field_writes_aware_utc_whatever_it_is_given():
    dumped = Moments().dump(
        {
            "at": datetime(2026, 12, 6, 1, 52, 47),
            "maybe": datetime(2026, 12, 6, 3, 0, tzinfo=PARIS_SUMMER),
        }
    )
    assert dumped == {"at": "2026-12-06T01:52:47+00:00", "maybe": "2026-12-06T01:00:00+00:00"}
    assert Moments().dump({"at": utcnow(), "maybe": None})["maybe"] is None


def test_the_field_reads_any_offset_into_utc_and_a_missing_one_as_utc():
    loaded = Moments().load({"at": "2026-12-06T03:52:47+02:00", "maybe": "2026-12-06T01:52:47"})
    assert loaded == {
        "at": datetime(2026, 12, 6, 1, 52, 47, tzinfo=UTC),
        "maybe": datetime(2026, 12, 6, 1, 52, 47, tzinfo=UTC),
    }
    assert all(value.tzinfo is UTC for value in loaded.values())
    with pytest.raises(ValidationError):
        Moments().load({"at": "soon"})


class Base(DeclarativeBase):
    pass


class Stamp(Base):
    __tablename__ = "timestamp_stamps"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


@pytest.fixture
def database(database_url):
    database = Database(database_url)
    database.create_all(Base)
    yield database
    database.dispose()


def test_the_column_stores_and_returns_aware_utc(database):
    with database.session() as session, session.begin():
        session.add(Stamp(name="paris", at=datetime(2026, 12, 6, 3, 52, tzinfo=PARIS_SUMMER)))
        session.add(Stamp(name="naive", at=datetime(2026, 12, 6, 1, 52)))
        session.add(Stamp(name="none", at=None))
    with database.session() as session:
        stored = {row.name: row.at for row in session.scalars(select(Stamp))}
    expected = datetime(2026, 12, 6, 1, 52, tzinfo=UTC)
    assert stored == {"paris": expected, "naive": expected, "none": None}
    assert stored["paris"].tzinfo is UTC
    # and a comparison binds through the type too (SQLite compares the stored text)
    with database.session() as session:
        later = select(Stamp.name).where(
            Stamp.at > datetime(2026, 12, 6, 2, 0, tzinfo=PARIS_SUMMER)
        )
        assert sorted(session.scalars(later)) == ["naive", "paris"]


def test_an_old_row_written_without_offset_reads_as_utc(database):
    with database.session() as session, session.begin():
        if session.bind.dialect.name == "postgresql":
            session.execute(text("SET LOCAL TIME ZONE 'UTC'"))
        # the old way: a bare text (what SQLite kept) or a naive literal into timestamptz
        session.execute(
            text("INSERT INTO timestamp_stamps (name, at) VALUES ('old', :at)"),
            {"at": "2026-12-06 01:52:47.738570"},
        )
    with database.session() as session:
        old = session.scalars(select(Stamp.at).where(Stamp.name == "old")).one()
    assert old == datetime(2026, 12, 6, 1, 52, 47, 738570, tzinfo=UTC)
    assert old.tzinfo is UTC


def test_the_column_also_serves_core_statements(database):
    with database.statement(write=True) as connection:
        connection.execute(insert(Stamp).values(name="core", at=datetime(2026, 1, 1, 12)))
    with database.session() as session:
        assert session.scalars(select(Stamp.at)).one() == datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_an_event_is_stamped_in_rfc3339_and_an_old_one_without_offset_reads_as_utc():
    event = new_event("test.pinged", source="t", data={"n": 1})
    assert event.moment.tzinfo is UTC
    assert event.time == to_rfc3339(event.moment)
    old = dataclasses.replace(event, time="2026-12-06T01:52:47.738570")
    assert old.moment == datetime(2026, 12, 6, 1, 52, 47, 738570, tzinfo=UTC)
    with pytest.raises(InvalidEvent):
        _ = dataclasses.replace(event, time="yesterday").moment


def _submitted(submitted_at):
    return {
        "assessment_id": "a",
        "administration_id": "adm-1",
        "version": 1,
        "title": "t",
        "language": "en",
        "framework": {"key": "k", "version": "1"},
        "submitted_by": "u",
        "submitted_at": submitted_at,
    }


def test_payload_times_are_written_with_an_offset_and_old_ones_read_as_utc():
    written = new_event(
        "assessment.submitted", source="t", data=_submitted("2026-12-06T03:52:00+02:00")
    )
    assert written.data["submitted_at"] == "2026-12-06T01:52:00+00:00"
    old = dataclasses.replace(written, data=_submitted("2026-12-06T01:52:47.738570"))
    assert load_payload(old)["submitted_at"] == "2026-12-06T01:52:47.738570+00:00"
    with pytest.raises(InvalidEvent):
        new_event("assessment.submitted", source="t", data=_submitted("last tuesday"))


def test_log_lines_carry_rfc3339_times():
    record = logging.makeLogRecord(
        {"msg": "hello", "levelname": "INFO", "at": datetime(2026, 1, 1)}
    )
    record.created = datetime(2026, 12, 6, 1, 52, 47, 738000, tzinfo=UTC).timestamp()
    line = json.loads(JsonFormatter("svc").format(record))
    assert line["time"] == "2026-12-06T01:52:47.738+00:00"
    assert line["at"] == "2026-01-01T00:00:00+00:00"
