#!/usr/bin/env python
"""The admin moderation queue at scale: SQL queries and time per changelist page over 1,000,000 testimonials
on PostgreSQL, next to the same page with Django admin's defaults (a full COUNT(*) of the filtered rows
and of the whole table on every page) as the baseline.

Creates its own database (testimonials_bench_admin, on the server of DATABASE_URL or 127.0.0.1:5432),
bulk-loads it in SQL, measures, and drops it.
    python bench/admin_queue.py [--rows 1000000] [--runs 5] [--keep] [--explain]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
BENCH_DB = "testimonials_bench_admin"
_server = urlsplit(os.environ.get("DATABASE_URL", "") or "postgres://postgres@127.0.0.1:5432/postgres")
if not _server.scheme.startswith("postgres"):
    _server = urlsplit("postgres://postgres@127.0.0.1:5432/postgres")
SERVER_URL = urlunsplit(_server._replace(path="/postgres"))
os.environ["DATABASE_URL"] = urlunsplit(_server._replace(path=f"/{BENCH_DB}"))
os.environ.pop("REDIS_URL", None)  # the admin needs no broker or shared cache here
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key")

import django  # noqa: E402
import psycopg  # noqa: E402

SURNAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
            "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts"]
FIRST_NAMES = ["Stephanie", "Michael", "Maria", "James", "Linda", "Robert", "Patricia", "John", "Jennifer", "David",
               "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos"]
SENTENCES = [
    "My knee feels great after six weeks of therapy here.",
    "The team got my shoulder moving again after surgery.",
    "I was in constant back pain and now I can garden again.",
    "Friendly front desk, clean clinic, easy parking.",
    "After my ankle fracture I could barely walk; now I run three miles.",
    "The exercises for my plantar fasciitis worked, I walk without pain now.",
    "Scheduling was a hassle and I waited thirty minutes twice.",
    "Vestibular therapy got rid of my vertigo in four visits.",
    "My hip replacement rehab went better than I hoped.",
    "They explained every exercise and checked my form each time.",
]


def server_execute(*statements: str) -> None:
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def load(rows: int) -> None:
    """Clinics and therapists through the ORM; testimonials, analyses and flags in set-based SQL."""
    from django.db import connection

    from reviews.models import Location, Therapist

    locations = [Location.objects.create(slug=f"town-{i}", name=f"Town {i}") for i in range(23)]
    for i in range(46):
        therapist = Therapist.objects.create(slug=f"t-{i}", first_name=f"T{i}", last_name="Pist")
        therapist.locations.add(locations[i % 23])
    first_location = locations[0].pk
    first_therapist = Therapist.objects.order_by("pk").first().pk
    sql_array = lambda words: "ARRAY[" + ",".join("'" + w.replace("'", "''") + "'" for w in words) + "]"  # noqa: E731
    with connection.cursor() as cursor:
        # The feed counters' and audit trail's triggers are not what is measured here: load without them.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(f"""
            INSERT INTO reviews_testimonial (location_id, therapist_id, rating, body, condition, display_as,
                published_at, body_original, condition_original, first_name, last_name, email, consent_text,
                consent_version, consented_at, consent_expires_at, origin_hash, submission_key, fingerprint,
                language, locale, source, status, created_at, updated_at, condition_authorized,
                analysis_attempts, analysis_error, confirmation_attempts, confirmation_error, notice_attempts,
                notice_error)
            SELECT {first_location} + g % 23, CASE WHEN g % 7 = 0 THEN NULL ELSE {first_therapist} + g % 46 END,
                1 + g % 5, ({sql_array(SENTENCES)})[1 + g % 10] || ' ' || ({sql_array(SENTENCES)})[1 + (g / 10) % 10]
                    || ' Visit ' || g || '.',
                '', 'initial', CASE WHEN g % 20 >= 3 THEN t ELSE NULL END, '', '',
                ({sql_array(FIRST_NAMES)})[1 + g % 20],
                CASE WHEN g % 100000 = 7 THEN 'Zimmerman' ELSE ({sql_array(SURNAMES)})[1 + (g / 20) % 50] END,
                'p' || g || '@example.com', 'I authorize…', 2, t, t + interval '3 years', '', 'k' || g, '',
                CASE WHEN g % 50 = 0 THEN 'es' ELSE 'en' END, 'en', 'form',
                CASE WHEN g % 20 = 0 THEN 'in_review' WHEN g % 20 = 1 THEN 'rejected' WHEN g % 20 = 2 THEN 'withdrawn'
                     ELSE 'approved' END,
                t, t, false, 0, '', 0, '', 0, ''
            FROM (SELECT g, now() - (({rows} - g) * interval '1 minute') AS t
                  FROM generate_series(1, {rows}) AS g) AS source
        """)
        cursor.execute("""
            INSERT INTO moderation_analysis (testimonial_id, analyzer_version, compound, pos, neu, neg, label, language,
                therapists_mentioned, sentences, outcome_claims, analyzed_at)
            SELECT id, 'bench', ((id % 200) - 60) / 100.0 * 0.7, 0.3, 0.6, 0.1,
                CASE WHEN id % 9 = 0 THEN 'negative' WHEN id % 9 = 1 THEN 'neutral' ELSE 'positive' END,
                language, '[]', '[]', '[]', created_at
            FROM reviews_testimonial
        """)
        cursor.execute("""
            INSERT INTO moderation_flag (testimonial_id, code, severity, message, start, "end")
            SELECT id, (ARRAY['pii_phone','rating_mismatch','link','negative_sentiment','too_short'])[1 + (id / 5) % 5],
                'medium', 'bench flag', NULL, NULL
            FROM reviews_testimonial WHERE id % 5 = 0
        """)
        cursor.execute("SET session_replication_role = DEFAULT")
    with connection.cursor() as cursor:
        for table in ("reviews_testimonial", "moderation_analysis", "moderation_flag"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def measure(client, path: str, runs: int) -> tuple[int, float, float, int, str]:
    """(queries, median milliseconds of the request and of its queries in the database, COUNT queries,
    the count the page shows)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)  # warm up
    assert response.status_code == 200, (path, response.status_code)
    times, database_times, queries = [], [], None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        queries = captured.captured_queries
        database_times.append(sum(float(q["time"]) for q in queries) * 1000)
    counts = sum(1 for q in queries if "COUNT(" in q["sql"].upper())
    shown = re.search(r'<p class="paginator">.*?((?:about )?[\d,]+ testimonials?)', response.content.decode(), re.S)
    return (len(queries), statistics.median(times), statistics.median(database_times), counts,
            shown.group(1).strip() if shown else "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--explain", action="store_true", help="print the plan of each page's main query")
    args = parser.parse_args()
    server_execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"', f'CREATE DATABASE "{BENCH_DB}"')
    try:
        django.setup()
        from django.conf import settings
        from django.contrib import admin
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.core.paginator import Paginator
        from django.db import connection
        from django.test import Client

        from reviews.models import Location, Testimonial

        settings.STORAGES = {**settings.STORAGES,
                             "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        load(args.rows)
        print(f"loaded {Testimonial.objects.count():,} testimonials in {time.perf_counter() - started:.0f} s "
              f"(PostgreSQL {connection.pg_version // 10000})")
        client = Client()
        client.force_login(get_user_model().objects.create_superuser("bench", "b@example.com", "x"))
        location = Location.objects.order_by("pk")[3].pk
        base = "/admin/reviews/testimonial/"
        page = max(1, min(100, args.rows // 20 // 50))  # a page well inside the in-review queue
        pages = [
            ("default queue (in review, oldest first)", base),
            (f"queue, page {page}", base + f"?p={page}"),
            ("all states", base + "?status__exact=all"),
            ("search: a surname (Zimmerman)", base + "?q=Zimmerman"),
            ("search: an email (exact)", base + f"?q=p{args.rows // 2}@example.com"),
            ("search: a word (vertigo)", base + "?q=vertigo"),
            ("filter: flag pii_phone", base + "?flag=pii_phone"),
            ("filter: one clinic", base + f"?location__id__exact={location}"),
            ("filter: Spanish, all states", base + "?language=es&status__exact=all"),
        ]
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            cProfile.runctx("client.get(base)", globals(), {"client": client, "base": base}, "/tmp/admin_queue.prof")
            pstats.Stats("/tmp/admin_queue.prof").sort_stats("cumulative").print_stats(25)
        model_admin = admin.site._registry[Testimonial]
        ours = (model_admin.show_full_result_count, model_admin.paginator)
        defaults = (True, Paginator)
        print(f"\n{'page':40} {'queries':>7} {'ms':>7} {'db ms':>7} {'counts':>6}  {'shows':22} | "
              f"{'defaults: queries':>17} {'ms':>7} {'db ms':>7} {'counts':>6}")
        for label, path in pages:
            model_admin.show_full_result_count, model_admin.paginator = ours
            q, ms, db_ms, counts, shown = measure(client, path, args.runs)
            model_admin.show_full_result_count, model_admin.paginator = defaults
            bq, bms, bdb_ms, bcounts, _ = measure(client, path, args.runs)
            print(f"{label:40} {q:7} {ms:7.0f} {db_ms:7.1f} {counts:6}  {shown:22} | "
                  f"{bq:17} {bms:7.0f} {bdb_ms:7.1f} {bcounts:6}")
        model_admin.show_full_result_count, model_admin.paginator = ours
        if args.explain:
            from moderation.search import testimonial_search

            for term in ("Zimmerman", "vertigo", f"p{args.rows // 2}@example.com"):
                queryset = testimonial_search(queryset=Testimonial.objects.all(), term=term)
                queryset = queryset.order_by("created_at", "id")
                print(f"\n-- search {term!r}:\n" + queryset[:50].explain())
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            server_execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    main()
