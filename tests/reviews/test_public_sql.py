"""The public API checks a kept connection by using it (reviews.public_sql.public_fetch), not with a
`SELECT 1` first: a connection that died between two requests must still be replaced without an error."""
from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import missing
from tests.factories import LocationFactory, TestimonialFactory


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_since_the_last_request_is_replaced_without_an_error(client):
    if connection.vendor != "postgresql":
        missing("a kept connection that dies needs PostgreSQL (SQLite connections are not kept)")
    TestimonialFactory(location=LocationFactory(), status="approved", published_at=timezone.now() - timedelta(hours=1))
    for path in ("/api/v1/testimonials/", "/api/v1/locations/", "/api/v1/stats/"):
        assert client.get(path).status_code == 200
        pid = _backend_pid()
        connection.health_check_done = False  # as at the start of the next request
        dsn = connection.get_connection_params()
        with psycopg.connect(**{k: v for k, v in dsn.items() if k != "cursor_factory"}, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])  # a database restart, as the kept one sees it
        response = client.get(path)
        assert response.status_code == 200, response.content[:300]
        assert _backend_pid() != pid  # answered on a new connection


@pytest.mark.django_db(transaction=True)
def test_a_query_that_fails_on_a_live_connection_is_not_run_again(client, monkeypatch):
    if connection.vendor != "postgresql":
        missing("needs PostgreSQL")
    from reviews import public_sql

    assert client.get("/api/v1/stats/").status_code == 200
    connection.health_check_done = False
    runs = []
    real = public_sql.public_cursor

    def failing():
        runs.append(1)
        cursor = real()
        cursor.execute("SET statement_timeout = 1")  # the next statement fails on a live connection
        return cursor

    monkeypatch.setattr(public_sql, "public_cursor", failing)
    with pytest.raises(Exception):  # noqa: B017  (Django's OperationalError, raised to the outage handling)
        public_sql.public_fetch("SELECT pg_sleep(0.05)", [])
    assert runs == [1]
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")
