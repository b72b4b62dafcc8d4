"""One cursor for the public API's hot queries (reviews.feed_query, reviews.counters).

On PostgreSQL it binds parameters on the server, so psycopg prepares each query once per connection
(DB_PREPARED_STATEMENTS): a feed page's plan is made once, not on every request — planning the join
cost PostgreSQL several times what running it did. It is still Django's cursor wrapper: queries are
counted and logged as usual (tests pin the numbers), errors become Django's (the outage page), the
connection's health is checked first. Anywhere else (SQLite, or prepared statements off) it is the
ordinary cursor."""
from __future__ import annotations

from django.db import connection


def public_cursor():
    """A cursor (use it as a context manager) for the public feed's queries."""
    if connection.vendor != "postgresql" or connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg.pq import Format

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = ServerBindingCursor(connection.connection)
    raw.format = Format.BINARY  # rows in binary: less work to write for PostgreSQL and to read for psycopg
    connection.validate_thread_sharing()
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
