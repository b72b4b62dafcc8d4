"""The public feed's hot reads as plain SQL (PostgreSQL and SQLite alike).

Building these few queries through the ORM cost more CPU than running them (~1 ms each for a
15-column values() with two joins, against ~0.1 ms in the database); the public feed is the one path
where that matters. A row carries its tag slugs (sorted). Same selection as `selectors.published_q`:
approved, authorization unexpired."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import counters
from .catalogue_ids import catalogue
from .counters import FeedCriteria
from .public_sql import public_fetch

COLUMNS = ("id", "first_name", "last_name", "display_as", "body", "rating", "condition", "language", "locale",
           "published_at", "location__slug", "location__name", "therapist__slug", "therapist__first_name",
           "therapist__last_name", "tags")
_SELECT = (
    # The condition only under an authorization that names it (`Testimonial.public_condition`).
    "SELECT t.id, t.first_name, t.last_name, t.display_as, t.body, t.rating, "
    "CASE WHEN t.condition_authorized THEN t.condition ELSE '' END AS condition, "
    "t.language, t.locale, "
    "t.published_at, l.slug AS location_slug, l.name AS location_name, th.slug AS therapist_slug, "
    "th.first_name AS therapist_first_name, th.last_name AS therapist_last_name, {tags} AS tags "
    "FROM reviews_testimonial t JOIN reviews_location l ON l.id = t.location_id "
    "LEFT JOIN reviews_therapist th ON th.id = t.therapist_id "
    "WHERE t.status = 'approved' AND t.consent_expires_at > {now}"
)
# Each row's tag ids in the same query (an index-only probe of the link table per row); their slugs come
# from the process's catalogue (reviews.catalogue_ids): joining reviews_tag per row cost PostgreSQL more
# than the rest of the page.
_TAGS = {
    "postgresql": "ARRAY(SELECT tt.tag_id FROM reviews_testimonial_tags tt WHERE tt.testimonial_id = t.id)",
    "sqlite": "(SELECT group_concat(tt.tag_id, ',') FROM reviews_testimonial_tags tt WHERE tt.testimonial_id = t.id)",
}


def _select() -> tuple[str, list]:
    """The rows' SELECT, and its parameters. On PostgreSQL the authorizations are compared with the
    database's clock (statement_timestamp()): the planner can estimate that condition in a plan made
    once; compared with a parameter, it guessed a third of the rows expired and chose the wrong index."""
    if connection.vendor == "postgresql":
        return _SELECT.format(tags=_TAGS["postgresql"], now="statement_timestamp()"), []
    return _SELECT.format(tags=_TAGS["sqlite"], now="%s"), [_param(timezone.now())]


def _with_counts(page_sql: str, page_params: list, criteria: FeedCriteria, order: str) -> tuple[str, list]:
    """The page with the filters' counts joined to it as four trailing columns (a row of NULLs and
    the counts when the page is empty): one round trip for the whole list response."""
    params: list = []
    sql = (f"SELECT p.*, s.* FROM ({counters.totals_sql(criteria, params)}) s LEFT JOIN ({page_sql}) p ON 1 = 1"
           f" ORDER BY p.published_at {order}, p.id {order}")
    return sql, params + page_params


def _moment(value: Any) -> datetime:
    """A datetime column as an aware UTC datetime (SQLite hands back text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _param(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _rows(sql: str, params: list, version: int, *, extra: int = 0) -> list[dict[str, Any]]:
    """The rows as dicts of COLUMNS (tags as sorted slugs); `extra` trailing columns go, as a tuple,
    under "extra"."""
    width = len(COLUMNS)
    rows = []
    wanted: set[int] = set()
    for raw in public_fetch(sql, params):
        assert len(raw) == width + extra, (len(raw), width, extra)
        row = dict(zip(COLUMNS, raw, strict=False))  # the extra columns, after COLUMNS, are left out here…
        if extra:
            row["extra"] = raw[width:]  # …and kept apart
        rows.append(row)
        if row["id"] is None:  # the page was empty: only the extra columns
            continue
        row["published_at"] = _moment(row["published_at"])
        ids = row["tags"] or ()
        row["tags"] = [int(i) for i in ids.split(",")] if isinstance(ids, str) else ids
        wanted.update(row["tags"])
    slugs = catalogue(version, knows=lambda found: wanted <= found.tag_slugs.keys()).tag_slugs if wanted else {}
    for row in rows:
        if row["id"] is not None:
            # .get: a tag removed between the two reads is left out, as it will be from the next page
            row["tags"] = sorted(slug for i in row["tags"] if (slug := slugs.get(i)) is not None)
    return rows


def _in(column: str, values: tuple[int, ...]) -> str:
    """A clinic or therapist filter with its ids written into the query (ints from the database, never
    the request's text): each choice is prepared with a plan for its own size — one plan for every
    value would scan the whole feed for a small clinic."""
    return f" AND {column} IN ({', '.join(str(int(value)) for value in values)})"


def feed_page(criteria: FeedCriteria, *, limit: int, version: int, before: tuple[datetime, int] | None = None,
              after: tuple[datetime, int] | None = None) -> tuple[list[dict[str, Any]], dict | None]:
    """Up to `limit` rows newest first, strictly before (older than) or after (newer than) a
    (published_at, id) position: a keyset page, as fast at page 200 as at page 1. With them, the
    filters' counts (reviews.counters.feed_stats) from the same query when the filters have no date
    (None otherwise: the caller asks feed_stats). `version`: the publication version the request is
    answered under (for the tags' slugs).

    Served by testimonial_feed_idx (status, published_at DESC, id DESC), testimonial_loc_feed_idx with
    a clinic, testimonial_thr_feed_idx with a therapist; the tag filter and each row's tags probe the
    link table's (testimonial_id, tag_id) unique index (a rare tag's page starts from it instead)."""
    sql, params = _select()
    if criteria.location_ids is not None:
        sql += _in("t.location_id", criteria.location_ids)
    if criteria.therapist_ids is not None:
        sql += _in("t.therapist_id", criteria.therapist_ids)
    if criteria.min_rating:
        sql += f" AND t.rating >= {int(criteria.min_rating)}"  # 1-5, written in as the ids are (see _in)
    if criteria.tag_id:
        # Written into the query too, as in _in: one plan for every tag would scan the feed for a rare one.
        sql += (" AND EXISTS (SELECT 1 FROM reviews_testimonial_tags tt"
                f" WHERE tt.testimonial_id = t.id AND tt.tag_id = {int(criteria.tag_id)})")
    if criteria.published_after:
        sql += " AND t.published_at > %s"
        params.append(_param(criteria.published_after))
    order = "DESC"
    if before is not None:
        # The first condition bounds the index range; the second breaks ties at the same moment.
        sql += " AND t.published_at <= %s AND (t.published_at < %s OR t.id < %s)"
        params += [_param(before[0]), _param(before[0]), before[1]]
    elif after is not None:
        sql += " AND t.published_at >= %s AND (t.published_at > %s OR t.id > %s)"
        params += [_param(after[0]), _param(after[0]), after[1]]
        order = "ASC"
    sql += f" ORDER BY t.published_at {order}, t.id {order} LIMIT {int(limit)}"  # a plan knows its page size
    if criteria.published_after:  # the counts need the months: feed_stats asks them apart
        rows = _rows(sql, params, version)
        return (rows[::-1] if order == "ASC" else rows), None
    rows = _rows(*_with_counts(sql, params, criteria, order), version, extra=4)
    stats = counters.stats_of_totals(rows[0]["extra"])
    rows = [row for row in rows if row["id"] is not None]
    return (rows[::-1] if order == "ASC" else rows), stats


def feed_one(pk: int, *, version: int) -> dict[str, Any] | None:
    """One published testimonial's row, or None."""
    sql, params = _select()
    rows = _rows(sql + " AND t.id = %s", [*params, pk], version)
    return rows[0] if rows else None
