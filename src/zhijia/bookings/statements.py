"""The reads of the booking path, written out in SQL.

Booking is the platform's busiest write: a court's week opens and hundreds of workers book at once. On it, the ORM's
work of building each statement (0.3 to 0.9 ms of CPU a query on the benchmark machines, against a tenth of that for
the same statement written out) was most of the request's cost (bench/RESULTS-booking.md). The statements here are
the ones every booking runs under its locks; they return plain values and the services decide what they mean. Each
runs on SQLite and PostgreSQL alike: row locks only where the database has them (SQLite locks the whole database
for the write transaction anyway, which is what the row locks give on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db import connection, models

from zhijia.network.models import HoursException, ServicePoint, WeeklyHours
from zhijia.organizations.models import Organization

from .models import LIVE_STATUSES, Booking, BookingPolicy, IdempotencyKey, Slot, Suspension, Venue, VenueClosure

M = TypeVar("M", bound=models.Model)


@functools.cache
def _loader(model: type[models.Model]) -> tuple[str, list[str], list[tuple[Any, list[Any]]]]:
    """For reading a model's rows from written-out SQL: its columns (to select from the table aliased by its table
    name), its attribute names, and for each column the converters the ORM would apply to the value read."""
    fields = model._meta.concrete_fields
    table = model._meta.db_table
    columns = ", ".join(f"{table}.{connection.ops.quote_name(str(f.column))}" for f in fields)
    converters = []
    for f in fields:
        col = f.get_col(table)
        converters.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    return columns, [f.attname for f in fields], converters


def _instance(model: type[M], values: Sequence[Any]) -> M:
    _columns, names, converters = _loader(model)
    converted = []
    for value, (col, funcs) in zip(values, converters, strict=True):
        for func in funcs:
            value = func(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, names, converted)


def _for_update() -> str:
    """The row-lock clause, or nothing where the database has no row locks."""
    return f" {connection.ops.for_update_sql()}" if connection.features.has_select_for_update else ""


def _when(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


_VENUE_SQL = (
    "SELECT {venue_columns}, {point_columns}, {org_columns} FROM {venue}"
    " JOIN {point} ON {point}.id = {venue}.point_id JOIN {org} ON {org}.id = {point}.owner_id"
    " WHERE {venue}.id = %s AND {venue}.is_active AND {point}.status IN ({statuses})"
)


def bookable_venue(venue_id: int, point_statuses: Sequence[str]) -> Venue | None:
    """The active venue `venue_id` of a point in one of `point_statuses`, with its point and the point's owner
    loaded (as select_related would), or None."""
    venue_columns, venue_names, _ = _loader(Venue)
    point_columns, point_names, _ = _loader(ServicePoint)
    org_columns, _names, _ = _loader(Organization)
    sql = _VENUE_SQL.format(
        venue_columns=venue_columns,
        point_columns=point_columns,
        org_columns=org_columns,
        venue=Venue._meta.db_table,
        point=ServicePoint._meta.db_table,
        org=Organization._meta.db_table,
        statuses=", ".join(["%s"] * len(point_statuses)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [venue_id, *(str(status) for status in point_statuses)])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(venue_names), len(venue_names) + len(point_names)
    venue = _instance(Venue, row[: split[0]])
    point = _instance(ServicePoint, row[split[0] : split[1]])
    point.owner = _instance(Organization, row[split[1] :])
    venue.point = point
    return venue


# Weekly spans of the day's week key (kind 0), the date's exception rows (kind 1: they replace the week) and the
# venue's closure of the date (kind 2).
_DAY_SQL = (
    "SELECT 0, FALSE, opens_minute, closes_minute FROM {weekly} WHERE point_id = %s AND day = %s"
    " UNION ALL SELECT 1, closed, opens_minute, closes_minute FROM {exception} WHERE point_id = %s AND date = %s"
    " UNION ALL SELECT 2, TRUE, NULL, NULL FROM {closure} WHERE venue_id = %s AND date = %s"
)


def day_hours(point_id: int, week_key: int, venue_id: int, day: dt.date) -> list[tuple[int, bool, Any, Any]]:
    """The day's opening of one point and the closure of one venue, in one query: (kind, closed, opens minute,
    closes minute) rows as `_DAY_SQL` describes them."""
    sql = _DAY_SQL.format(
        weekly=WeeklyHours._meta.db_table,
        exception=HoursException._meta.db_table,
        closure=VenueClosure._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [point_id, week_key, point_id, day, venue_id, day])
        return [tuple(row) for row in cursor.fetchall()]


_LOCK_PERSON_SQL = "SELECT id FROM {user} WHERE id = %s{lock}"
_KEY_SQL = "SELECT operation, booking_id FROM {key} WHERE user_id = %s AND key = %s"


def lock_person(user_id: int, key: str = "") -> tuple[str, int] | None:
    """Lock the person's account row (one request of a person at a time: their key, limits and one booking per slot
    are then decided in order), then find what their idempotency key already stands for: (operation, booking id),
    or None for a new key or none. Two statements, not one joined: on PostgreSQL a statement that waited for the
    lock still reads the other tables as they were when it started, so a joined lookup would miss the key that the
    request it waited for has just written."""
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_PERSON_SQL.format(user=get_user_model()._meta.db_table, lock=_for_update()), [user_id])
        if not key:
            return None
        cursor.execute(_KEY_SQL.format(key=IdempotencyKey._meta.db_table), [user_id, key])
        row = cursor.fetchone()
    return (str(row[0]), int(row[1])) if row else None


_SLOT_LOCK_SQL = "SELECT id FROM {slot} WHERE venue_id = %s AND starts_at = %s{lock}"


def slot_lock(venue_id: int, starts_at: dt.datetime) -> int | None:
    """The id of the venue's slot that starts at `starts_at`, its row locked; None if nobody has made it yet."""
    sql = _SLOT_LOCK_SQL.format(slot=Slot._meta.db_table, lock=_for_update())
    with connection.cursor() as cursor:
        cursor.execute(sql, [venue_id, _when(starts_at)])
        row = cursor.fetchone()
    return int(row[0]) if row else None


_SUSPENSIONS_SQL = (
    "SELECT s.id, o.path FROM {suspension} s JOIN {org} o ON o.id = s.org_id"
    " WHERE s.user_id = %s AND s.ends_at > %s AND s.starts_at <= %s AND s.lifted_at IS NULL"
    " ORDER BY s.starts_at DESC, s.id DESC"
)


def live_suspensions(user_id: int, now: dt.datetime) -> list[tuple[int, str]]:
    """The person's suspensions in force at `now`, newest first, each as (id, the suspending union's path)."""
    sql = _SUSPENSIONS_SQL.format(suspension=Suspension._meta.db_table, org=Organization._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, _when(now), _when(now)])
        return [(int(pk), str(path)) for pk, path in cursor.fetchall()]


_POLICY_SQL = (
    "SELECT p.owner_id, {fields} FROM {policy} p JOIN {org} o ON o.id = p.owner_id"
    " WHERE o.path IN ({paths}) ORDER BY o.depth DESC LIMIT 1"
)


def nearest_policy(paths: list[str], fields: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """The booking policy of the deepest union among `paths` that has one: (its union's id, {field: value}), or
    None."""
    if not paths:
        return None
    sql = _POLICY_SQL.format(
        fields=", ".join(f"p.{name}" for name in fields),  # the columns are named as the fields
        policy=BookingPolicy._meta.db_table,
        org=Organization._meta.db_table,
        paths=", ".join(["%s"] * len(paths)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, paths)
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), {name: int(value) for name, value in zip(fields, row[1:], strict=True)}


# One pass over the slot's live bookings and the person's live bookings at the venue that week (the index on the
# slot and the one on venue, user and start serve the two halves).
_COUNTS_SQL = """
SELECT
  COALESCE(SUM(CASE WHEN slot_id = %(slot)s AND user_id = %(user)s THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN venue_id = %(venue)s AND user_id = %(user)s
                     AND starts_at >= %(day_start)s AND starts_at < %(day_end)s THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN venue_id = %(venue)s AND user_id = %(user)s
                     AND starts_at >= %(week_start)s AND starts_at < %(week_end)s THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN slot_id = %(slot)s THEN 1 ELSE 0 END), 0)
FROM {table}
WHERE status IN ({live})
  AND (slot_id = %(slot)s
       OR (venue_id = %(venue)s AND user_id = %(user)s
           AND starts_at >= %(week_start)s AND starts_at < %(week_end)s))
"""


def booking_counts(
    *, slot_id: int, venue_id: int, user_id: int, day_start: dt.datetime, week_start: dt.datetime
) -> tuple[int, int, int, int]:
    """Live bookings: the person's in the slot, the person's at the venue on the day and in the week starting at
    `day_start` and `week_start`, and everyone's in the slot."""
    live = {f"live{i}": str(status) for i, status in enumerate(LIVE_STATUSES)}
    sql = _COUNTS_SQL.format(table=Booking._meta.db_table, live=", ".join(f"%({name})s" for name in live))
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                **live,
                "slot": slot_id,
                "user": user_id,
                "venue": venue_id,
                "day_start": _when(day_start),
                "day_end": _when(day_start + dt.timedelta(days=1)),
                "week_start": _when(week_start),
                "week_end": _when(week_start + dt.timedelta(days=7)),
            },
        )
        booked_here, on_day, in_week, taken = cursor.fetchone()
    return int(booked_here), int(on_day), int(in_week), int(taken)
