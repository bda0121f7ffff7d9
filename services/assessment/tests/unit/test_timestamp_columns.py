"""Every timestamp column of the assessment service stores and returns aware UTC (a new one too)."""

from sqlalchemy import DateTime, TypeDecorator

from assessment.models import Base
from shared.timestamps import UtcDateTime


def _holds_times(column) -> bool:
    kind = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    return isinstance(kind, DateTime)


def test_every_datetime_column_uses_the_shared_utc_type():
    columns = [c for table in Base.metadata.tables.values() for c in table.columns]
    timed = [c for c in columns if _holds_times(c)]
    assert timed, "the walk found no timestamp column at all"
    assert [str(c) for c in timed if not isinstance(c.type, UtcDateTime)] == []
