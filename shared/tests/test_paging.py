"""A page and its counts come from one statement; links name the neighbouring pages."""

import pytest
from marshmallow import ValidationError
from sqlalchemy import String, case, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import Database
from shared.paging import PageQuerySchema, fetch_page, page_headers


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    flag: Mapped[str] = mapped_column(String(1))


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    database.create_all(Base)
    with database.session(write=True) as session, session.begin():
        session.add_all(Row(id=i, flag="y" if i % 3 == 0 else "n") for i in range(1, 8))
    yield database
    database.dispose()


FLAGGED = func.sum(case((Row.flag == "y", 1), else_=0)).over()


def test_a_page_carries_the_total_and_aggregates_of_the_whole_list(db):
    with db.session() as session:
        rows, total, (flagged,) = fetch_page(
            session, select(Row).order_by(Row.id), page=2, page_size=3, extra=[FLAGGED]
        )
    assert [row.id for row in rows] == [4, 5, 6]
    assert (total, flagged) == (7, 2)


def test_a_page_past_the_end_is_empty_but_still_counts(db):
    with db.session() as session:
        rows, total, (flagged,) = fetch_page(
            session, select(Row).order_by(Row.id), page=9, page_size=3, extra=[FLAGGED]
        )
        empty = fetch_page(session, select(Row).where(Row.id > 99), page=1, page_size=3)
    assert (rows, total, flagged) == ([], 7, 2)
    assert empty == ([], 0, [])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("page", "0"),
        ("page", "-1"),
        ("page", "12345678901234567890"),
        ("page", "abc"),
        ("page_size", "0"),
        ("page_size", "101"),
    ],
)
def test_pages_out_of_range_are_refused_naming_the_field(field, value):
    with pytest.raises(ValidationError) as refused:
        PageQuerySchema().load({field: value})
    assert field in refused.value.messages


def test_links_name_first_prev_next_last_and_keep_the_filters():
    headers = page_headers(
        path="/api/v1/x/items", args={"status": "ready", "page": "2"}, total=7, page=2, page_size=3
    )
    assert headers["X-Total-Count"] == "7"
    links = dict(
        (part.split('rel="')[1].rstrip('"'), part.split(">")[0].lstrip("<"))
        for part in headers["Link"].split(", ")
    )
    assert links == {
        "first": "/api/v1/x/items?status=ready&page=1&page_size=3",
        "prev": "/api/v1/x/items?status=ready&page=1&page_size=3",
        "next": "/api/v1/x/items?status=ready&page=3&page_size=3",
        "last": "/api/v1/x/items?status=ready&page=3&page_size=3",
    }
