"""UtcDateTime: aware datetimes in, aware UTC datetimes out, to the microsecond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, exc, insert, select

from headset.storage.types import UtcDateTime

_metadata = MetaData()
moments = Table(
    "moments",
    _metadata,
    Column("moment_id", Integer, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime),
)
BERLIN = timezone(timedelta(hours=1), "CET")


@pytest.fixture
def table(engine: Engine) -> Table:
    _metadata.create_all(engine)
    return moments


def _round_trip(engine: Engine, moment: datetime | None) -> datetime | None:
    with engine.begin() as conn:
        conn.execute(insert(moments).values(moment_id=1, at=moment))
    with engine.connect() as conn:
        stored: datetime | None = conn.execute(select(moments.c.at)).scalar_one()
        return stored


def test_a_utc_datetime_comes_back_equal_with_its_microseconds(
    engine: Engine, table: Table
) -> None:
    moment = datetime(2026, 11, 23, 8, 0, 5, 123456, tzinfo=UTC)
    back = _round_trip(engine, moment)
    assert back == moment
    assert back is not None
    assert back.microsecond == 123456
    assert back.tzinfo is UTC


def test_another_offset_is_stored_as_the_same_instant_in_utc(engine: Engine, table: Table) -> None:
    moment = datetime(2026, 11, 23, 9, 30, 0, 1, tzinfo=BERLIN)
    back = _round_trip(engine, moment)
    assert back == datetime(2026, 11, 23, 8, 30, 0, 1, tzinfo=UTC)
    assert back is not None
    assert back.utcoffset() == timedelta(0)


def test_null_stays_null(engine: Engine, table: Table) -> None:
    assert _round_trip(engine, None) is None


def test_comparisons_in_queries_use_the_same_conversion(engine: Engine, table: Table) -> None:
    _round_trip(engine, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    later_in_berlin = datetime(2026, 11, 23, 9, 0, 0, 1, tzinfo=BERLIN)  # 08:00:00.000001 UTC
    with engine.connect() as conn:
        found = conn.execute(select(moments.c.moment_id).where(moments.c.at < later_in_berlin))
        assert found.scalars().all() == [1]


def test_naive_datetimes_are_refused(engine: Engine, table: Table) -> None:
    naive = datetime(2026, 11, 23, 8, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        UtcDateTime().process_bind_param(naive, engine.dialect)
    # inside a statement SQLAlchemy wraps it, keeping the ValueError as the cause
    with pytest.raises(exc.StatementError, match="timezone-aware") as raised:
        _round_trip(engine, naive)
    assert isinstance(raised.value.orig, ValueError)


def test_values_that_are_not_datetimes_are_refused(engine: Engine) -> None:
    with pytest.raises(TypeError, match="expected a datetime"):
        UtcDateTime().process_bind_param("2026-11-23", engine.dialect)  # type: ignore[arg-type]
