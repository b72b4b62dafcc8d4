#!/usr/bin/env python
"""Mixed load on the production shape, on loopback: patients submitting through the form at a fixed rate while
the marketing site reads the API as fast as it can.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/testimonials python bench/load.py [--seconds 60] [--rate 10]

Starts everything it measures and stops it again: a PostgreSQL database of its own (DATABASE_URL's name +
"_load", dropped at the end), a Redis of its own on a spare loopback port (redis-server; REDIS_URL if there is
none), gunicorn with 2 workers and a Celery worker (concurrency 2). Submissions are open-loop (one starts every
1/rate s whatever the server does: GET the form, POST it, expect the redirect to the thanks page); API readers
are closed-loop threads over the list, filters, detail, stats and locations. Then it waits (bounded) until the
analysis queue has drained and every submission is analysed. Prints errors, requests/s, p50/p99 of each.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
API_PATHS = ["/api/v1/testimonials/", "/api/v1/testimonials/?location=dayton", "/api/v1/testimonials/?min_rating=4",
             "/api/v1/testimonials/?tag=knee&page_size=50", "/api/v1/stats/", "/api/v1/locations/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout:.0f} s")


@dataclass
class Series:
    """Latencies (ms) and outcomes of one kind of request; appended from many threads."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, started: float, error: str | None) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies.append(elapsed)
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1

    def summary(self, seconds: float) -> str:
        if not self.latencies:
            return "no requests"
        ordered = sorted(self.latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        errors = sum(self.errors.values())
        detail = f" ({', '.join(f'{k}: {v}' for k, v in sorted(self.errors.items()))})" if errors else ""
        return (f"{len(ordered)} requests, {len(ordered) / seconds:.1f} req/s, "
                f"p50 {statistics.median(ordered):.0f} ms, p99 {p99:.0f} ms, errors {errors}{detail}")


def request(port: int, method: str, path: str, *, body: str | None = None,
            headers: dict | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


class Load:
    def __init__(self, port: int, clinics: list[tuple[str, str]], texts: list[tuple[str, int]]) -> None:
        self.port, self.clinics, self.texts = port, clinics, texts
        self.form_get, self.form_post, self.api = Series(), Series(), Series()
        self.submitted = 0
        self.counter = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def submit(self) -> None:
        with self.lock:
            self.counter += 1
            n = self.counter
        location, therapist = self.clinics[n % len(self.clinics)]
        text, rating = self.texts[n % len(self.texts)]
        started = time.perf_counter()
        try:
            status, headers, page = request(self.port, "GET", f"/testimonials/new/?location={location}")
            csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
            html = page.decode()
            token = re.search(r'name="form_token" value="([^"]*)"', html)
            middleware = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)
            error = None if status == 200 and csrf_cookie and token and middleware else f"form GET {status}"
        except OSError as failure:
            error = f"form GET {failure.__class__.__name__}"
        self.form_get.add(started, error)
        if error:
            return
        fields = {"location": location, "therapist": therapist, "rating": str(rating),
                  "body": f"{text} (Load visit {n}.)", "condition": "", "first_name": "Load",
                  "last_name": f"Patient{n}", "email": f"load{n}-{secrets.token_hex(3)}@example.com",
                  "display_as": "initial", "consent": "on", "website": "", "form_token": token.group(1),
                  "csrfmiddlewaretoken": middleware.group(1)}
        started = time.perf_counter()
        try:
            status, headers, _ = request(self.port, "POST", "/testimonials/new/", body=urllib.parse.urlencode(fields),
                                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                                  "Cookie": f"csrftoken={csrf_cookie.group(1)}",
                                                  "Referer": f"http://127.0.0.1:{self.port}/testimonials/new/"})
            ok = status == 302 and "/testimonials/thanks/" in headers.get("location", "")
            error = None if ok else f"form POST {status}"
        except OSError as failure:
            error = f"form POST {failure.__class__.__name__}"
        self.form_post.add(started, error)
        if not error:
            with self.lock:
                self.submitted += 1

    def read_api(self) -> None:
        n = 0
        while not self.stop.is_set():
            path = API_PATHS[n % len(API_PATHS)]
            n += 1
            started = time.perf_counter()
            try:
                status, _, body = request(self.port, "GET", path, headers={"Accept": "application/json"})
                error = None if status == 200 and body.startswith(b"{") else f"API {status}"
            except OSError as failure:
                error = f"API {failure.__class__.__name__}"
            self.api.add(started, error)

    def run(self, *, seconds: float, rate: float, readers: int) -> tuple[float, float]:
        """(the load window, until the last submission answered): API rates over the first, the form's over the
        second, so a server that falls behind shows a lower submission rate rather than a flattering one."""
        threads = [threading.Thread(target=self.read_api, daemon=True) for _ in range(readers)]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        late = 0
        with ThreadPoolExecutor(max_workers=max(8, int(rate * 3))) as pool:
            for i in range(int(seconds * rate)):
                due = started + i / rate
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                elif delay < -0.05:
                    late += 1
                pool.submit(self.submit)
            time.sleep(max(0.0, started + seconds - time.monotonic()))
            self.stop.set()
            window = time.monotonic() - started
        for thread in threads:
            thread.join(timeout=35)
        if late:
            print(f"(the load generator started {late} submissions more than 50 ms late)")
        return window, time.monotonic() - started


def bench_database(url: str) -> tuple[str, str]:
    """(admin URL on the same server, this bench's own database URL)."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "testimonials"
    own = f"{name}_load"
    return (urllib.parse.urlunsplit(parts._replace(path="/postgres")),
            urllib.parse.urlunsplit(parts._replace(path=f"/{own}")))


def recreate_database(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    # A session of its own, so stopping it stops its children (gunicorn's and Celery's workers) too.
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=10, help="form submissions per second")
    parser.add_argument("--readers", type=int, default=4, help="API reader threads (closed loop)")
    parser.add_argument("--published", type=int, default=1000, help="approved testimonials to seed")
    parser.add_argument("--drain-timeout", type=float, default=180)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        print("bench/load.py needs DATABASE_URL pointing at a PostgreSQL server (it creates its own database there)")
        return 2
    admin_url, database_url = bench_database(base)
    database = urllib.parse.urlsplit(database_url).path.lstrip("/")
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    processes: dict[str, subprocess.Popen] = {}
    try:
        if shutil.which("redis-server"):
            redis_port = free_port()
            processes["redis"] = start(["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
                                        "--appendonly", "no", "--dir", str(workdir)], dict(os.environ),
                                       workdir / "redis.log")
            wait_for_port(redis_port, processes["redis"], "redis-server")
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
        else:
            redis_url = os.environ.get("REDIS_URL", "")
            if not redis_url:
                print("bench/load.py needs redis-server on PATH or REDIS_URL")
                return 2
        recreate_database(admin_url, database)
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "DJANGO_DEBUG": "0",
               "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
               "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "VAR_DIR": str(workdir / "var"), "STATIC_MANIFEST": "0",
               "TESTIMONIAL_MIN_FILL_SECONDS": "0", "TESTIMONIAL_RATE_PER_IP": "1000000",
               "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "LOG_LEVEL": "WARNING",
               "DJANGO_SETTINGS_MODULE": "config.settings", "SENTRY_DSN": ""}
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        print(f"database {database}, redis {redis_url}; migrating and seeding…", flush=True)
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=open(os.devnull, "w"))
        clinics, texts = seed(args.published)

        port = free_port()
        processes["gunicorn"] = start([PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind",
                                       f"127.0.0.1:{port}", "--workers", "2"], env, workdir / "gunicorn.log")
        processes["worker"] = start([PYTHON, "-m", "celery", "-A", "config", "worker", "--concurrency", "2",
                                     "--loglevel", "WARNING", "--without-gossip", "--without-mingle"], env,
                                    workdir / "worker.log")
        wait_for_port(port, processes["gunicorn"], "gunicorn")
        load = Load(port, clinics, texts)
        for path in API_PATHS:  # warm both workers' imports and the caches
            request(port, "GET", path)
        print(f"load: {args.seconds:.0f} s, {args.rate:g} submissions/s through the form, "
              f"{args.readers} API readers at full speed (gunicorn -w 2, Celery worker -c 2)…", flush=True)
        window, elapsed = load.run(seconds=args.seconds, rate=args.rate, readers=args.readers)
        drained, analysed, pending = drain(redis_url, load.submitted, args.drain_timeout)
        print()
        print(f"form GET   {load.form_get.summary(elapsed)}")
        print(f"form POST  {load.form_post.summary(elapsed)}")
        print(f"API        {load.api.summary(window)}")
        with open("/proc/loadavg") as loadavg:
            print(f"load window {window:.1f} s, last submission answered after {elapsed:.1f} s; "
                  f"machine load average now {loadavg.read().split()[0]}")
        print(f"submitted {load.submitted}, analysed {analysed}, still pending {pending}; "
              + (f"queue drained {drained:.1f} s after the load stopped" if drained is not None
                 else f"queue NOT drained within {args.drain_timeout:.0f} s"))
        failures = sum(load.form_post.errors.values()) + sum(load.form_get.errors.values()) + \
            sum(load.api.errors.values())
        server_errors = sum(grep_count(workdir / log, "Traceback") for log in ("gunicorn.log", "worker.log"))
        print(f"errors: {failures} failed requests, {server_errors} tracebacks in the gunicorn and worker logs")
        return 0 if failures == 0 and drained is not None else 1
    finally:
        for name in ("gunicorn", "worker", "redis"):
            stop(processes.get(name))
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        recreate_database(admin_url, database, drop_only=True)
        shutil.rmtree(workdir, ignore_errors=True)


def seed(published: int) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
    """Approved testimonials for the feed; the (clinic, therapist) pairs and texts the patients use."""
    from django.utils import timezone

    from reviews.consent import consent_expiry, consent_text
    from reviews.models import Location, Tag, Testimonial, Therapist

    now = timezone.now()
    pairs = [(t.locations.first().slug, t.slug) for t in Therapist.objects.prefetch_related("locations")]
    locations = {loc.slug: loc for loc in Location.objects.all()}
    therapists = {t.slug: t for t in Therapist.objects.all()}
    text = consent_text(given_at=now)
    rows = Testimonial.objects.bulk_create(
        Testimonial(location=locations[pairs[i % len(pairs)][0]], therapist=therapists[pairs[i % len(pairs)][1]],
                    rating=1 + i % 5, body=f"My knee is much better after therapy here, visit {i}.", first_name="Pat",
                    last_name="Doe", email=f"seed{i}@example.com", consent_text=text, consent_version=2,
                    consented_at=now, consent_expires_at=consent_expiry(given_at=now), submission_key=f"seed-{i}",
                    status="approved", published_at=now, source="form")
        for i in range(published))
    knee = Tag.objects.get_or_create(slug="knee", defaults={"name": "Knee"})[0]
    Testimonial.tags.through.objects.bulk_create(
        Testimonial.tags.through(testimonial_id=row.pk, tag_id=knee.pk) for row in rows[::2])
    texts = [(row["text"], int(row.get("rating") or 5)) for row in map(json.loads, (
        ROOT / "bench" / "data" / "probe-testimonials.jsonl").read_text(encoding="utf-8").splitlines())
        if 20 <= len(row["text"]) <= 1900]
    return pairs, texts


def drain(redis_url: str, submitted: int, timeout: float) -> tuple[float | None, int, int]:
    """Seconds until nothing submitted is pending and the broker's queue is empty (None: not within timeout)."""
    import redis

    from reviews.models import Testimonial

    client = redis.Redis.from_url(redis_url)
    started = time.monotonic()
    while True:
        pending = Testimonial.objects.filter(last_name__startswith="Patient", status="pending").count()
        analysed = Testimonial.objects.filter(last_name__startswith="Patient", analysis__isnull=False).count()
        # Every queue of this bench's own Redis, and messages taken but not yet acknowledged (acks_late).
        queued = sum(client.llen(key) for key in client.scan_iter(_type="list")) + client.hlen("unacked")
        if pending == 0 and queued == 0 and analysed >= submitted:
            return time.monotonic() - started, analysed, pending
        if time.monotonic() - started > timeout:
            return None, analysed, pending
        time.sleep(0.5)


def grep_count(path: Path, needle: str) -> int:
    try:
        return path.read_text(errors="replace").count(needle)
    except OSError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
