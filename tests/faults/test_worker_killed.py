"""A worker process killed (SIGKILL, as the out-of-memory killer does) in the middle of an analysis: the
message is given back at once (acks_late + reject_on_worker_lost) and the testimonial is analysed
exactly once, within 60 s."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from moderation.models import Analysis
from moderation.queue import enqueue
from moderation.tasks import analyze_testimonial_task
from reviews.models import Testimonial
from tests.conftest import celery_broker
from tests.factories import TestimonialFactory
from tests.faults.conftest import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.fault]

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, for a worker in another process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def row_locked(testimonial_id: int):
    """Hold the testimonial's row (PostgreSQL) or the whole database (SQLite) from another connection, so
    a worker analysing it stops at its first write: mid-analysis, for as long as the test wants."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        lock = sqlite3.connect(db["NAME"], isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        lock = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                               password=db["PASSWORD"] or None, dbname=db["NAME"])
        lock.execute("SELECT id FROM reviews_testimonial WHERE id = %s FOR UPDATE", [testimonial_id])
    try:
        yield
    finally:
        lock.rollback() if hasattr(lock, "rollback") else None
        lock.close()


class WorkerProcess:
    """`celery -A config worker` (prefork, one child) in its own process, its log collected."""

    def __init__(self, broker_url: str) -> None:
        self.log: list[str] = []
        var = tempfile.mkdtemp(prefix="worker-var-")
        env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": broker_url, "VAR_DIR": var,
               "DJANGO_SECRET_KEY": django_settings.SECRET_KEY, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "--concurrency", "1",
             "--loglevel", "INFO", "--without-heartbeat", "--without-mingle", "--without-gossip"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        for line in self.process.stdout:
            self.log.append(line)

    def saw(self, text: str) -> bool:
        return any(text in line for line in self.log)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def test_a_worker_killed_mid_analysis_leaves_the_testimonial_analysed_once_within_a_minute(redis_server):
    if not Path("/proc/self/task").exists():
        pytest.skip("needs /proc to find the worker's child process")
    # given a worker process and a submitted testimonial
    testimonial = TestimonialFactory(source="import")
    worker = WorkerProcess(redis_server.url)
    try:
        assert wait_until(lambda: worker.saw("ready."), 60), "".join(worker.log[-20:])
        with celery_broker(redis_server.url, dict(django_settings.REDIS_BROKER_TRANSPORT_OPTIONS)):
            with row_locked(testimonial.pk):
                assert enqueue(analyze_testimonial_task, testimonial.pk)
                # when the worker's child is in the middle of the analysis (held at its first write)…
                assert wait_until(lambda: worker.saw("analyze_testimonial_task") and worker.saw("received"), 30)
                assert wait_until(lambda: bool(worker.children()), 10)
                threading.Event().wait(1.0)
                (child,) = worker.children()
                # …it is killed
                os.kill(child, signal.SIGKILL)
                assert wait_until(lambda: worker.saw("signal 9") or worker.saw("WorkerLostError"), 20), \
                    "".join(worker.log[-20:])
                assert Testimonial.objects.get(pk=testimonial.pk).status == "pending"  # it had not finished
            # then the message is handed out again and the testimonial analysed, once, within 60 s
            assert wait_until(lambda: Testimonial.objects.get(pk=testimonial.pk).status == "in_review", 60), \
                "".join(worker.log[-30:])
    finally:
        worker.stop()
    testimonial.refresh_from_db()
    assert testimonial.events.count() == 1
    assert Analysis.objects.filter(testimonial=testimonial).count() == 1
    # Runs started: on PostgreSQL the killed run's count, already sent to the server and waiting on the lock,
    # is applied when the lock goes (the server notices the lost client only when it answers); on SQLite
    # the count itself was the write the killed process was waiting to make.
    assert testimonial.analysis_attempts == (2 if connection.vendor == "postgresql" else 1)
