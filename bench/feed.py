#!/usr/bin/env python
"""The public API's speed at 10,000 and 1,000,000 published testimonials, against the framework's ceiling.

Makes a throw-away PostgreSQL database beside DATABASE_URL's, migrates it, bulk-loads testimonials
with generate_series (triggers off, counters rebuilt in one pass), starts gunicorn as compose runs it
(2 sync workers here) on loopback, and measures with wrk, in the same run and server: a constant JSON
body of the feed page's size from a plain Django view (the ceiling), then each endpoint; requests/s,
p50, p99, the ratio to the ceiling; queries per request; EXPLAIN ANALYZE of every query at the
largest size. Repeats are interleaved; medians are printed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x REDIS_URL=redis://127.0.0.1:6379/9 \\
        python bench/feed.py [--sizes 10000,1000000] [--duration 5] [--repeats 3] [--port 9900]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
FILTERED = "/api/v1/testimonials/?location=town-3&min_rating=4&tag=knee"
UNPUBLISHED = 1_000_000_000  # keys of the unpublished rows start here, clear of the published ones


def bench_database_url(url: str) -> tuple[str, str, str]:
    """(bench database URL, its name, the maintenance database URL)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_feed_bench"
    return (urlunsplit(parts._replace(path="/" + name)), name, urlunsplit(parts._replace(path="/postgres")))


def psql(url: str, *statements: str, autocommit: bool = True) -> list:
    import psycopg

    with psycopg.connect(url, autocommit=autocommit) as connection:
        rows = []
        for statement in statements:
            cursor = connection.execute(statement)
            rows = cursor.fetchall() if cursor.description else rows
        return rows


def load(url: str, *, start: int, stop: int) -> float:
    """Add published testimonials start+1..stop (and one in ten as many unpublished); seconds taken."""
    fill = [sql for sql in import_module("reviews.migrations.0006_feed_counter_skips_bots").statements("postgresql")
            if sql.startswith("INSERT")]
    began = time.perf_counter()
    setup = []
    if start == 0:
        setup = [
            "INSERT INTO reviews_location (slug, name, town, address, is_active) "
            "SELECT 'town-' || i, 'Town ' || i, 'Town ' || i, '', true FROM generate_series(0, 22) i",
            "INSERT INTO reviews_therapist (slug, first_name, last_name, credentials, nicknames, is_active) "
            "SELECT 't-' || i, 'Thera' || i, 'Pist', 'DPT', '[]', true FROM generate_series(0, 45) i",
            "INSERT INTO reviews_therapist_locations (therapist_id, location_id) SELECT t.id, l.id "
            "FROM reviews_therapist t JOIN reviews_location l ON l.slug = 'town-' || (substr(t.slug, 3)::int % 23)",
            "INSERT INTO reviews_tag (slug, name) SELECT 'tag-' || i, 'Tag ' || i FROM generate_series(1, 19) i "
            "ON CONFLICT DO NOTHING",
            "INSERT INTO reviews_tag (slug, name) VALUES ('knee', 'Knee') ON CONFLICT DO NOTHING",
        ]
    extra = (stop - start) // 10
    statements = setup + [
        "ALTER TABLE reviews_testimonial DISABLE TRIGGER USER",
        "ALTER TABLE reviews_testimonial_tags DISABLE TRIGGER USER",
        # Published over three years, every moment distinct (the cursor needs no offsets); 1 in 5
        # without a therapist; ratings 1–5; ~300 characters of text.
        f"""INSERT INTO reviews_testimonial (location_id, therapist_id, rating, body, condition, display_as,
            published_at, body_original, first_name, last_name, email, consent_text, consent_version,
            consented_at, consent_expires_at, origin_hash, submission_key, fingerprint, language, locale,
            source, status, created_at, updated_at, condition_authorized, condition_original,
            analysis_attempts, analysis_error, confirmation_attempts, confirmation_error, notice_attempts,
            notice_error)
        SELECT l.id, CASE WHEN s.i % 5 = 0 THEN NULL ELSE t.id END, 1 + (s.i * 7) % 5,
            'My knee was so stiff I could not climb the stairs at home. After eight weeks with the team I '
            || 'hike again on weekends and the pain is mostly gone. Everyone at the front desk was kind and '
            || 'the exercises were explained clearly. Visit number ' || s.i || '.', 'knee', 'initial',
            CASE WHEN s.i < {UNPUBLISHED} THEN now() - ((s.i::bigint * 475140) % 94608000) * interval '1 second'
                 - s.i * interval '1 microsecond' END,
            '', 'Pat', 'Lee', 'p' || s.i || '@example.com', 'authorization', 1, now() - interval '3 years',
            now() + interval '3 years', '', 'bench-' || s.i, '', 'en', 'en', 'demo',
            CASE WHEN s.i < {UNPUBLISHED} THEN 'approved' WHEN s.i % 2 = 0 THEN 'in_review' ELSE 'rejected' END,
            now() - interval '3 years', now(), true, '', 0, '', 0, '', 0, ''
        FROM (SELECT i::bigint AS i FROM generate_series({start + 1}, {stop}) i
              UNION ALL SELECT {UNPUBLISHED}::bigint + i
                        FROM generate_series({start // 10 + 1}, {start // 10 + extra}) i) s
        JOIN reviews_location l ON l.slug = 'town-' || (s.i % 23)
        JOIN reviews_therapist t ON t.slug = 't-' || ((s.i % 23) + 23 * ((s.i / 23) % 2))""",
        # Half carry `knee`, every one a second tag (two plain equi-joins: fast).
        *[f"""INSERT INTO reviews_testimonial_tags (testimonial_id, tag_id)
        SELECT x.id, tg.id FROM (SELECT id, substr(submission_key, 7)::bigint AS i FROM reviews_testimonial
                                 WHERE submission_key LIKE 'bench-%' AND id > {{last}}) x
        JOIN reviews_tag tg ON tg.slug = {join}""" for join in ("CASE WHEN x.i % 2 = 0 THEN 'knee' END",
                                                              "'tag-' || (1 + x.i % 19)")],
        "DELETE FROM reviews_feedcounter",
        *fill,
        "ALTER TABLE reviews_testimonial ENABLE TRIGGER USER",
        "ALTER TABLE reviews_testimonial_tags ENABLE TRIGGER USER",
    ]
    last = psql(url, "SELECT coalesce(max(testimonial_id), 0) FROM reviews_testimonial_tags")[0][0] if start else 0
    psql(url, *[statement.replace("{last}", str(last)) for statement in statements])
    psql(url, "VACUUM ANALYZE")
    return time.perf_counter() - began


class Server:
    """gunicorn as docker-compose runs it, on loopback, with the bench's settings."""

    def __init__(self, env: dict, port: int, *, cache_seconds: int, workers: int) -> None:
        self.port = port
        command = [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(workers), "--access-logfile", "-"]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**env, "FEED_CACHE_SECONDS": str(cache_seconds)},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/api/v1/bench-ceiling/10/")
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start: " + self.process.stderr.read().decode()[-2000:])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url(path), timeout=30) as response:
            return response.read()

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def wrk(url: str, *, duration: int, connections: int, threads: int) -> dict:
    output = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
                            capture_output=True, text=True, check=True).stdout
    percent = {m[0]: float(m[1]) * _UNIT[m[2]]
               for m in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses")
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": percent["50"], "p99": percent["99"]}


def measure(server: Server, targets: dict[str, str], *, repeats: int, **load) -> dict[str, dict]:
    """Interleaved repeats over every target (the ceiling included); medians."""
    runs: dict[str, list[dict]] = {name: [] for name in targets}
    for path in targets.values():  # warm: connections, caches, the cached page stored
        server.get(path)
    for _ in range(repeats):
        for name, path in targets.items():
            runs[name].append(wrk(server.url(path), **load))
    return {name: {key: statistics.median(run[key] for run in found) for key in ("rps", "p50", "p99")}
            for name, found in runs.items()}


def queries_and_plans(urls: dict[str, str], *, explain: bool) -> tuple[dict[str, int], list[str]]:
    """Queries per request (Django's test client in this process, after one request that reads what a
    process keeps between requests: the catalogue of slugs and ids) and EXPLAIN ANALYZE of each, planned as the server
    runs them: prepared once with a generic plan (settings: plan_cache_mode), not re-planned per value."""
    import django

    if not getattr(django, "_bench_ready", False):
        django.setup()
        django._bench_ready = True
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts, plans = Client(), {}, []
    for name, path in urls.items():
        assert client.get(path).status_code == 200, path
        ran: list[tuple[str, list]] = []

        def keep(execute, sql, params, many, context, ran=ran):
            ran.append((sql, list(params or ())))
            return execute(sql, params, many, context)

        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(keep):
            assert client.get(path).status_code == 200, path
        counts[name] = len(captured)
        if explain:
            with connection.cursor() as cursor:
                cursor.execute("SET plan_cache_mode = force_generic_plan")
                for sql, params in ran:
                    numbered = iter(range(1, len(params) + 1))
                    cursor.execute("DEALLOCATE ALL")
                    cursor.execute("PREPARE bench_q AS " + re.sub(r"%s", lambda _, n=numbered: f"${next(n)}", sql))
                    marks = f"({', '.join(['%s'] * len(params))})" if params else ""
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_q{marks}", params)
                    lines = [row[0] for row in cursor.fetchall()]
                    timing = next(line for line in lines if line.startswith("Execution Time"))
                    plans.append(f"[{name}] {timing}\n    {sql[:300]}\n    " + "\n    ".join(lines[:12]))
                cursor.execute("DEALLOCATE ALL")
    connection.close()
    return counts, plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=9900)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url or not shutil.which("wrk"):
        sys.exit("needs DATABASE_URL (PostgreSQL), REDIS_URL and wrk on the PATH")
    bench_url, name, maintenance = bench_database_url(database_url)
    var_dir = tempfile.mkdtemp(prefix="feed-bench-")
    env = {**os.environ, "DATABASE_URL": bench_url, "REDIS_URL": redis_url, "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(40), "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
           "BENCH_CEILING": "1", "STATIC_MANIFEST": "0", "VAR_DIR": var_dir, "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    # In this process (queries counted, then EXPLAINed): client-side binding, so each query can be
    # prepared again by hand and EXPLAINed as the server (gunicorn, prepared statements) runs it.
    os.environ.update({k: v for k, v in env.items() if k != "FEED_CACHE_SECONDS"}, FEED_CACHE_SECONDS="0",
                      DB_PREPARED_STATEMENTS="0")
    psql(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    load_options = {"duration": args.duration, "connections": args.connections, "threads": args.threads}
    results: dict[int, dict] = {}
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        loaded = 0
        sizes = [int(s) for s in args.sizes.split(",")]
        for size in sizes:
            seconds = load(bench_url, start=loaded, stop=size)
            loaded = size
            print(f"\n== {size:,} published testimonials (+{size // 10:,} unpublished): loaded in {seconds:.1f} s",
                  flush=True)
            results[size] = run_size(env, args, load_options, explain=size == sizes[-1], published=size)
            results[size]["load_seconds"] = seconds
        report(results, args)
    finally:
        if not args.keep:
            psql(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(var_dir, ignore_errors=True)


def run_size(env: dict, args, load_options: dict, *, explain: bool, published: int) -> dict:
    server = Server(env, args.port, cache_seconds=0, workers=args.workers)
    try:
        page = json.loads(server.get("/api/v1/testimonials/"))
        size = len(server.get("/api/v1/testimonials/"))
        detail = f"/api/v1/testimonials/{page['results'][0]['id']}/"
        cursor = "/api/v1/testimonials/"
        for _ in range(min(200, published // 20) - 1):  # page 200, following `next` as a site would
            cursor = urlsplit(json.loads(server.get(cursor))["next"])
            cursor = f"{cursor.path}?{cursor.query}"
        uncached = {"ceiling": f"/api/v1/bench-ceiling/{size}/", "page 1, uncached": "/api/v1/testimonials/",
                    "filtered, uncached": FILTERED, "page 200, uncached": cursor, "detail, uncached": detail,
                    "locations, uncached": "/api/v1/locations/", "therapists, uncached": "/api/v1/therapists/",
                    "stats, uncached": "/api/v1/stats/",
                    "stats filtered, uncached": "/api/v1/stats/?location=town-3&min_rating=4&tag=knee"}
        figures = measure(server, uncached, repeats=args.repeats, **load_options)
    finally:
        server.stop()
    server = Server(env, args.port, cache_seconds=300, workers=args.workers)
    try:
        cached = {"ceiling (cache on)": f"/api/v1/bench-ceiling/{size}/",
                  "page 1, cached (warm)": "/api/v1/testimonials/"}
        figures.update(measure(server, cached, repeats=args.repeats, **load_options))
    finally:
        server.stop()
    counts, plans = queries_and_plans({k: v for k, v in uncached.items() if k != "ceiling"}, explain=explain)
    for name, found in figures.items():
        # each figure against the ceiling measured in the same server, interleaved with it
        ceiling = figures["ceiling (cache on)" if name.endswith(("(warm)", "(cache on)")) else "ceiling"]["rps"]
        found["ratio"] = found["rps"] / ceiling
        found["queries"] = counts.get(name, 0)
        print(f"  {name:28} {found['rps']:8.1f} req/s  p50 {found['p50']:7.2f} ms  p99 {found['p99']:7.2f} ms  "
              f"{found['ratio']:5.2f}x ceiling  {found['queries']} queries", flush=True)
    print(f"  (page 1 is {size:,} bytes)")
    if plans:
        print("\nEXPLAIN ANALYZE of every query of each request:\n" + "\n".join(plans))
    return {"figures": figures, "bytes": size}


def report(results: dict[int, dict], args) -> None:
    sizes = sorted(results)
    print("\n| request | " + " | ".join(f"{s:,} published: req/s, p50, ×ceiling" for s in sizes)
          + (" | p50 ratio largest/smallest |" if len(sizes) > 1 else " |"))
    print("|---|" + "---|" * len(sizes) + ("---|" if len(sizes) > 1 else ""))
    for name in results[sizes[0]]["figures"]:
        cells = []
        for s in sizes:
            f = results[s]["figures"][name]
            cells.append(f"{f['rps']:.0f}, {f['p50']:.1f} ms, {f['ratio']:.2f}×")
        tail = ""
        if len(sizes) > 1:
            tail = f" {results[sizes[-1]]['figures'][name]['p50'] / results[sizes[0]]['figures'][name]['p50']:.2f} |"
        print(f"| {name} | " + " | ".join(cells) + " |" + tail)
    print(f"\ngunicorn {args.workers} sync workers, wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
          f"{args.repeats} interleaved repeats, medians; loading: "
          + ", ".join(f"{s:,} in {results[s]['load_seconds']:.0f} s" for s in sizes))


if __name__ == "__main__":
    main()
