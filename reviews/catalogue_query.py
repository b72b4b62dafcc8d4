"""The public lists of clinics, therapists and tags as plain SQL, one query a page, each row with its
published count and average rating from the trigger-kept counters (reviews.counters).

Through the ORM (a queryset, a prefetch of the therapists' clinics, a counters aggregate, then
ModelSerializers) a page of 46 therapists cost ~8 ms of Python for ~0.3 ms of database work; here it
is one query and a few dicts. Pages are keyset pages on the slug (`after` / `before` a slug)."""
from __future__ import annotations

from typing import Any

from django.db import connection

from .counters import average
from .public_sql import public_fetch

# The counters' "any month" published cells (month -1) of tag 0: one row per clinic/therapist/rating.
_PUBLISHED = ("SELECT {key} AS id, SUM(n) AS n, SUM(n * rating) AS total FROM reviews_feedcounter "
              "WHERE tag_id = 0 AND month = -1 GROUP BY {key}")
# A therapist's clinics (by the clinics' names, as the admin lists them) in one pass over the link table.
_CLINICS = {
    "postgresql": "(SELECT tl.therapist_id AS id, array_agg(l.slug ORDER BY l.name, l.slug) AS slugs "
                  "FROM reviews_therapist_locations tl JOIN reviews_location l ON l.id = tl.location_id "
                  "GROUP BY tl.therapist_id)",
    "sqlite": "(SELECT therapist_id AS id, group_concat(slug, ',') AS slugs FROM (SELECT tl.therapist_id, l.slug "
              "FROM reviews_therapist_locations tl JOIN reviews_location l ON l.id = tl.location_id "
              "ORDER BY tl.therapist_id, l.name, l.slug) GROUP BY therapist_id)",
}


def _window(sql: str, params: list, *, limit: int, after: str | None, before: str | None, slug: str | None,
            column: str) -> tuple[str, list, bool]:
    """Adds the keyset window (or one slug) and the order; True when the rows come back reversed."""
    if slug is not None:
        sql += f" AND {column} = %s"
        params.append(slug)
    elif after is not None:
        sql += f" AND {column} > %s"
        params.append(after)
    elif before is not None:
        sql += f" AND {column} < %s"
        params.append(before)
    order = "DESC" if before is not None else "ASC"
    sql += f" ORDER BY {column} {order} LIMIT %s"
    params.append(limit)
    return sql, params, before is not None


def _fetch(sql: str, params: list, reverse: bool) -> list[tuple]:
    rows = public_fetch(sql, params)
    return rows[::-1] if reverse else rows


def locations(*, limit: int, after: str | None = None, before: str | None = None,
              slug: str | None = None) -> list[dict[str, Any]]:
    """Active clinics by slug: slug, name, town, published_count, average_rating."""
    sql = (f"SELECT l.slug, l.name, l.town, c.n, c.total FROM reviews_location l "
           f"LEFT JOIN ({_PUBLISHED.format(key='location_id')}) c ON c.id = l.id WHERE l.is_active")
    rows = _fetch(*_window(sql, [], limit=limit, after=after, before=before, slug=slug, column="l.slug"))
    return [{"slug": s, "name": name, "town": town, "published_count": int(n or 0),
             "average_rating": average(int(total or 0), int(n or 0))} for s, name, town, n, total in rows]


def therapists(*, limit: int, after: str | None = None, before: str | None = None, slug: str | None = None,
               location_ids: tuple[int, ...] | None = None) -> list[dict[str, Any]]:
    """Active therapists by slug (of these clinics, when given): slug, name, credentials, locations
    (clinic slugs), published_count, average_rating."""
    clinics = _CLINICS.get(connection.vendor, _CLINICS["sqlite"])
    sql = (f"SELECT th.slug, th.first_name, th.last_name, th.credentials, ls.slugs, c.n, c.total "
           f"FROM reviews_therapist th LEFT JOIN {clinics} ls ON ls.id = th.id "
           f"LEFT JOIN ({_PUBLISHED.format(key='therapist_id')}) c ON c.id = th.id WHERE th.is_active")
    params: list = []
    if location_ids is not None:
        sql += (" AND th.id IN (SELECT therapist_id FROM reviews_therapist_locations WHERE location_id IN "
                f"({', '.join(['%s'] * len(location_ids))}))")
        params.extend(location_ids)
    rows = _fetch(*_window(sql, params, limit=limit, after=after, before=before, slug=slug, column="th.slug"))
    return [{"slug": s, "name": f"{first} {last}", "credentials": credentials,
             "locations": (clinic_slugs.split(",") if isinstance(clinic_slugs, str) else list(clinic_slugs or [])),
             "published_count": int(n or 0), "average_rating": average(int(total or 0), int(n or 0))}
            for s, first, last, credentials, clinic_slugs, n, total in rows]


def tags(*, limit: int, after: str | None = None, before: str | None = None) -> list[dict[str, Any]]:
    """Every tag by slug (one with nothing published yet too): slug, name, published_count."""
    sql = ("SELECT g.slug, g.name, c.n FROM reviews_tag g LEFT JOIN (SELECT tag_id AS id, SUM(n) AS n "
           "FROM reviews_feedcounter WHERE tag_id <> 0 AND month = -1 GROUP BY tag_id) c ON c.id = g.id WHERE 1 = 1")
    rows = _fetch(*_window(sql, [], limit=limit, after=after, before=before, slug=None, column="g.slug"))
    return [{"slug": s, "name": name, "published_count": int(n or 0)} for s, name, n in rows]
