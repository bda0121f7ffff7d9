"""Every timestamp column of the assessment service stores and returns aware UTC (a new one too)."""

from assessment.models import Base
from shared.testing import timestamp_columns


def test_every_datetime_column_uses_the_shared_utc_type():
    timed, not_utc = timestamp_columns(Base.metadata)
    assert timed, "the walk found no timestamp column at all"
    assert not_utc == []
