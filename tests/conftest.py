"""Shared fixtures. Tests that need PostgreSQL, Redis or Chromium skip with a reason when those are
missing, and fail instead when REQUIRE_SERVICES=1 (as in CI)."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def missing(reason: str) -> None:
    """Skip, or fail when the services are required."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _audit_trail_flushable() -> None:
    """A test database is wiped between transactional tests; on SQLite that is a DELETE, which the audit
    trail's triggers refuse, so the wipe (and only it) lifts them for its own transaction."""
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "sqlite":
        return  # PostgreSQL wipes with TRUNCATE, which row triggers do not see
    # The latest migration that shapes the triggers (0005: notes erasable after a purge).
    audit = import_module("moderation.migrations.0008_audit_notes_erasable_after_purge")
    DatabaseOperations = type(connection.ops)
    flush = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        sql = flush(self, style, tables, **kwargs)
        return [*audit.SQLITE_DROP, *sql, *audit.SQLITE_CREATE] if sql else sql

    DatabaseOperations.sql_flush = sql_flush


def pytest_report_header(config) -> list[str]:
    from django.conf import settings

    return [f"database: {settings.DATABASES['default']['ENGINE']}; broker: {settings.CELERY_BROKER_URL.split(':')[0]}"]


@pytest.fixture(scope="session", autouse=True)
def _services_required_are_used(django_db_setup) -> None:
    """With REQUIRE_SERVICES=1 the suite must really run on PostgreSQL and Redis, not fall back."""
    from django.conf import settings

    if REQUIRE_SERVICES:
        engine = settings.DATABASES["default"]["ENGINE"]
        assert engine == "django.db.backends.postgresql", "DATABASE_URL is not PostgreSQL"
        assert settings.REDIS_URL, "REDIS_URL is not set"


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing("REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        missing(f"Redis at REDIS_URL does not answer ({error})")
    return url


@pytest.fixture
def chromium_path() -> str:
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing(f"Chromium not found at {CHROMIUM}")
    return CHROMIUM


@contextmanager
def celery_broker(url: str, options: dict):
    """Point the project's Celery app at another broker for the duration of a test."""
    from config.celery import app

    old = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url, app.conf.broker_transport_options = url, options

    def reset_pools() -> None:
        # The same reset Celery does after a fork: the next publish opens a connection to the new broker;
        # and a breaker tripped by the old one is closed.
        from moderation.queue import breaker_reset

        app._pool = None
        app.amqp._producer_pool = None
        breaker_reset()

    reset_pools()
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = old
        reset_pools()


@pytest.fixture
def filesystem_broker():
    folder = Path(tempfile.mkdtemp(prefix="broker-"))
    (folder / "queue").mkdir()
    (folder / "processed").mkdir()
    (folder / "control").mkdir()
    options = {"data_folder_in": str(folder / "queue"), "data_folder_out": str(folder / "queue"),
               "processed_folder": str(folder / "processed"), "control_folder": str(folder / "control"),
               "store_processed": False}
    with celery_broker("filesystem://localhost//", options) as app:
        yield app
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def redis_broker(redis_url):
    with celery_broker(redis_url, {"visibility_timeout": 3600}) as app:
        yield app


@contextmanager
def running_worker(app):
    """A real Celery worker (thread, solo pool) consuming both queues (analysis, io) from the app's
    current broker."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30,
                      loglevel="WARNING", queues=["analysis", "io"]) as worker:
        yield worker


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages render without running collectstatic first; test users hash passwords cheaply; the feed
    is not cached unless a test asks (it changes rows behind the services' back)."""
    settings.FEED_CACHE_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _broker_breaker_closed():
    """A broker failure in one test must not make the next one skip its enqueues."""
    from config.cache import cache_breaker_reset
    from moderation.queue import breaker_reset

    breaker_reset()
    cache_breaker_reset()
    yield
    breaker_reset()
    cache_breaker_reset()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, feed versions and the practice context must not leak from one test into the next."""
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception:
        pass
    import moderation.analysis_store as analysis_store

    analysis_store._practice_cache = None  # the therapists a test creates are not hidden by an earlier test's
    from reviews.catalogue_ids import catalogue_forget

    catalogue_forget()  # nor its clinics, therapists and tags (SQLite gives a rolled-back row's id to the next one)
    yield


@pytest.fixture
def production_log():
    """What the configured log handler (the redacting one of settings.LOGGING) writes, at INFO and above."""
    import io
    import logging

    from config.log_redaction import RedactPersonalData

    handlers = [h for h in logging.getLogger().handlers
                if any(isinstance(f, RedactPersonalData) for f in h.filters) and isinstance(h, logging.StreamHandler)]
    assert handlers, "settings.LOGGING has no redacting handler on the root logger"
    stream, root = io.StringIO(), logging.getLogger()
    old = [(h, h.stream) for h in handlers]
    for handler in handlers:
        handler.stream = stream  # not setStream(): it flushes the old stream, which pytest may have closed
    level = root.level
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.setLevel(level)
        for handler, previous in old:
            handler.stream = previous
