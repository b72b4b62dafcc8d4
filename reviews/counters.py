"""Counts per public filter from the trigger-kept `FeedCounter` cells: the cost of a count depends on
the number of clinics, therapists, ratings and months, never on the number of testimonials."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, Sum

from .models import Testimonial
from .public_sql import public_fetch


@dataclass(frozen=True)
class FeedCriteria:
    """The public filters, resolved to ids (None = not filtered)."""

    location_ids: tuple[int, ...] | None = None
    therapist_ids: tuple[int, ...] | None = None
    min_rating: int | None = None
    tag_id: int | None = None
    published_after: datetime | None = None  # aware


def _month(moment: datetime) -> int:
    utc = moment.astimezone(UTC)
    return utc.year * 100 + utc.month


def _month_end(moment: datetime) -> datetime:
    utc = moment.astimezone(UTC)
    if (utc.year, utc.month) == (9999, 12):  # the calendar's last month has no next one
        return datetime.max.replace(tzinfo=UTC)
    year, month = (utc.year + 1, 1) if utc.month == 12 else (utc.year, utc.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


def average(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _cells(criteria: FeedCriteria, params: list) -> str:
    """The WHERE of the counter cells for the filters other than the date (appends to params)."""
    sql = "tag_id = %s"
    params.append(criteria.tag_id or 0)
    for column, values in (("location_id", criteria.location_ids), ("therapist_id", criteria.therapist_ids)):
        if values is not None:
            sql += f" AND {column} IN ({', '.join(['%s'] * len(values))})"
            params.extend(values)
    if criteria.min_rating:
        sql += " AND rating >= %s"
        params.append(criteria.min_rating)
    return sql


def totals_sql(criteria: FeedCriteria, params: list) -> str:
    """One row: received count and rating total, published count and rating total, for filters without
    a date (the unpublished cells, month 0, and the "any month" published ones, -1: a few hundred at
    most). Also run inside the feed page's query, so a list page costs one round trip."""
    return ("SELECT SUM(n), SUM(n * rating), SUM(CASE WHEN published THEN n ELSE 0 END), "
            "SUM(CASE WHEN published THEN n * rating ELSE 0 END) FROM reviews_feedcounter WHERE month <= 0 AND "
            + _cells(criteria, params))


def stats_of_totals(totals) -> dict[str, int | float | None]:
    """The public figures from totals_sql's row."""
    received, received_total, published, published_total = (int(value or 0) for value in totals)
    return {
        "received_count": received,
        "published_count": published,
        "average_rating": average(received_total, received),
        "published_average_rating": average(published_total, published),
    }


def feed_stats(criteria: FeedCriteria) -> dict[str, int | float | None]:
    """received_count / average_rating (every testimonial received, not withdrawn) and
    published_count / published_average_rating, for the list's filters.

    `published_after` narrows the published figures only (a testimonial not published has no date);
    whole months after it come from the counters, the rest of its own month from the feed's index.
    Plain SQL: the ORM took longer to build these than the database to run them."""
    params: list = []
    if not criteria.published_after:
        return stats_of_totals(public_fetch(totals_sql(criteria, params), params)[0])
    after_month = _month(criteria.published_after)
    # Every month's cells, to pick the months after it.
    sql = "SELECT published, month, SUM(n), SUM(n * rating) FROM reviews_feedcounter WHERE month >= 0 AND "
    sql += _cells(criteria, params)
    rows = public_fetch(sql + " GROUP BY published, month", params)
    totals = {False: [0, 0], True: [0, 0], "after": [0, 0]}
    for published, month, count, total in rows:  # one row per (published, month)
        count, total = int(count or 0), int(total or 0)
        key = bool(published)
        totals[key][0] += count
        totals[key][1] += total
        if key and month > after_month:
            totals["after"][0] += count
            totals["after"][1] += total
    partial = _published_in_rest_of_month(criteria)
    received = totals[False][0] + totals[True][0], totals[False][1] + totals[True][1]
    return stats_of_totals((*received, totals["after"][0] + partial[0], totals["after"][1] + partial[1]))


def _published_in_rest_of_month(criteria: FeedCriteria) -> tuple[int, int]:
    """Published after the moment and before its month ends: at most one month of the feed's index."""
    rows = Testimonial.objects.filter(status=Testimonial.Status.APPROVED,
                                      published_at__gt=criteria.published_after,
                                      published_at__lt=_month_end(criteria.published_after))
    if criteria.location_ids is not None:
        rows = rows.filter(location_id__in=criteria.location_ids)
    if criteria.therapist_ids is not None:
        rows = rows.filter(therapist_id__in=criteria.therapist_ids)
    if criteria.min_rating:
        rows = rows.filter(rating__gte=criteria.min_rating)
    if criteria.tag_id:
        rows = rows.filter(tags=criteria.tag_id)
    found = rows.aggregate(count=Count("id"), total=Sum("rating"))
    return found["count"] or 0, found["total"] or 0


def feed_counters_rebuild() -> None:
    """Recount every cell from the testimonials (after a bulk load with triggers off, or a repair)."""
    from importlib import import_module

    migration = import_module("reviews.migrations.0006_feed_counter_skips_bots")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reviews_feedcounter")
        for statement in migration.statements(connection.vendor):
            if statement.startswith("INSERT"):  # the counts, not the triggers
                cursor.execute(statement)




TRIGGERS = frozenset({"reviews_feedcounter_ins", "reviews_feedcounter_del", "reviews_feedcounter_upd",
                      "reviews_feedcounter_tag_ins", "reviews_feedcounter_tag_del"})
TRIGGER_MIGRATION = ("reviews", "0006_feed_counter_skips_bots")


def feed_counter_triggers_ensure(*, using: str = "default", **kwargs) -> bool:
    """Reinstall the counters' triggers (and recount) if any is missing; True if it had to."""
    from importlib import import_module

    db = connections[using]
    if db.vendor not in ("postgresql", "sqlite"):
        return False
    if TRIGGER_MIGRATION not in MigrationRecorder(db).applied_migrations():
        return False  # not migrated that far (or migrating back): nothing to keep
    with db.cursor() as cursor:
        if db.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master "
                           "WHERE type = 'trigger' AND name LIKE 'reviews_feedcounter_%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger "
                           "WHERE NOT tgisinternal AND tgname LIKE 'reviews_feedcounter_%'")
        present = {row[0] for row in cursor.fetchall()}
    if TRIGGERS <= present:
        return False
    migration = import_module("reviews.migrations.0006_feed_counter_skips_bots")
    with db.cursor() as cursor:
        migration.install(None, _Statements(db, cursor))  # drops what is left, recreates all, recounts
    return True


class _Statements:
    """The part of a schema editor the migration's functions use, over a plain cursor (a schema
    editor cannot open inside a transaction on SQLite)."""

    def __init__(self, db, cursor) -> None:
        self.connection, self.cursor = db, cursor

    def execute(self, sql: str, params=None) -> None:
        self.cursor.execute(sql, params)
