"""One way to run the public API's hot queries (reviews.feed_query, reviews.counters, reviews.catalogue_query,
reviews.catalogue_ids): `public_fetch(sql, params)`.

On PostgreSQL it binds parameters on the server, so psycopg prepares each query once per connection
(DB_PREPARED_STATEMENTS): a feed page's plan is made once, not on every request — planning the join
cost PostgreSQL several times what running it did. It is still Django's cursor wrapper: queries are
counted and logged as usual (tests pin the numbers), errors become Django's (the outage page).

A persistent connection is not health-checked with a `SELECT 1` first (CONN_HEALTH_CHECKS costs a round
trip on every request): these queries only read, so one that fails on a connection that died since the
last request (a database restart) is run again once on a new connection — the same outcome as the health
check, without its round trip. Anywhere else (SQLite, or prepared statements off) the cursor is the
ordinary one."""
from __future__ import annotations

from django.db import InterfaceError, OperationalError, connection


def public_cursor():
    """A cursor (use it as a context manager) for the public feed's queries."""
    if connection.vendor != "postgresql" or connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg.pq import Format

    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = ServerBindingCursor(connection.connection)
    raw.format = Format.BINARY  # rows in binary: less work to write for PostgreSQL and to read for psycopg
    connection.validate_thread_sharing()
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


def _check_by_using() -> bool:
    """True when the connection is a PostgreSQL one kept from an earlier request and not yet checked in
    this one: it is then marked checked, and the caller retries once if it turns out dead."""
    if (connection.vendor != "postgresql" or connection.connection is None or not connection.health_check_enabled
            or connection.health_check_done or connection.in_atomic_block):
        return False
    connection.health_check_done = True
    return True


def _dead() -> bool:
    """The connection was lost (not a query that failed on a live one: that is never run twice)."""
    return connection.connection is None or connection.connection.closed  # psycopg: also when broken


def public_fetch(sql: str, params: list) -> list[tuple]:
    """Every row of a read-only query, on a connection found alive by this query itself."""
    retry = _check_by_using()
    try:
        with public_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    except (InterfaceError, OperationalError):
        if not retry or not _dead():
            raise
        connection.close()  # died since the last request: a new connection, as the health check would make
    with public_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
