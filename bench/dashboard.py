#!/usr/bin/env python
"""The moderation dashboard on a throwaway database: queries and seconds to compute the figures (every
clinic, and one clinic manager's scope), the cached page, and the testimonials CSV export in rows/s.

Uses DATABASE_URL / REDIS_URL when set (PostgreSQL, Redis), else SQLite and a local-memory cache.
    python bench/dashboard.py [--rows 100000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.functions import Mod  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from practice import clinics_create  # noqa: E402

STATUSES = ["in_review", "approved", "approved", "rejected", "pending", "approved", "withdrawn", "in_review"]
LABELS = ["positive", "neutral", "negative"]


def seed(rows: int) -> None:
    from moderation.models import Analysis, Flag, TransitionEvent
    from reviews.consent import consent_expiry
    from reviews.models import Testimonial

    locations, therapists = clinics_create()
    now = timezone.now()
    for start in range(0, rows, 10_000):
        batch = range(start, min(start + 10_000, rows))
        made = Testimonial.objects.bulk_create(
            Testimonial(location=locations[i % 23], therapist=therapists[i % 46], rating=1 + i % 5,
                        body=f"My knee is much better after therapy, visit {i}.", first_name="Pat", last_name="Doe",
                        email=f"p{i}@example.com", consent_text="x", consent_version=1, consented_at=now,
                        consent_expires_at=consent_expiry(given_at=now), submission_key=f"k{i}",
                        status=STATUSES[i % len(STATUSES)],
                        published_at=now if STATUSES[i % len(STATUSES)] == "approved" else None)
            for i in batch)
        Analysis.objects.bulk_create(
            Analysis(testimonial_id=t.pk, analyzer_version="bench", compound=((t.pk % 200) - 100) / 100, pos=0.3,
                     neu=0.6, neg=0.1, label=LABELS[t.pk % 3]) for t in made if t.status != "pending")
        Flag.objects.bulk_create(
            Flag(testimonial_id=t.pk, code=["pii_phone", "profanity", "too_short", "link"][t.pk % 4], severity="high",
                 message="bench") for t in made if t.pk % 5 == 0)
        TransitionEvent.objects.bulk_create(
            TransitionEvent(testimonial_id=t.pk, from_status="in_review", to_status=t.status,
                            reason="spam" if t.status == "rejected" else "")
            for t in made if t.status in ("approved", "rejected"))
    for week in range(26):  # spread arrivals over half a year
        Testimonial.objects.annotate(bucket=Mod("id", 26)).filter(bucket=week).update(
            created_at=now - dt.timedelta(weeks=week, hours=week))


def timed(function, repeat: int = 3) -> tuple[float, int]:
    best, queries = float("inf"), 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            best = min(best, time.perf_counter() - started)
        queries = len(captured)
    return best, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", action="store_true", help="print each query of the figures with its time")
    args = parser.parse_args()
    setup_test_environment()
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.DEBUG = True  # CaptureQueriesContext needs the queries recorded
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        seed(args.rows)
        seeded_in = time.perf_counter() - started
        print(f"database: {connection.vendor}; {args.rows:,} testimonials seeded in {seeded_in:.0f} s")
        from django.contrib.auth.models import Group, User

        from moderation.dashboard import dashboard_compute
        from moderation.models import ClinicAssignment
        from reviews.models import Location

        moderator = User.objects.create_superuser("bench-moderator", "m@example.com", "x")
        manager = User.objects.create_user("bench-manager", "c@example.com", "x", is_staff=True)
        manager.groups.add(Group.objects.get(name="Clinic managers"))
        ClinicAssignment.objects.create(user=manager, location=Location.objects.get(slug="town-3"))
        for label, user in (("every clinic", moderator), ("one clinic (manager)", manager)):
            fresh = User.objects.get(pk=user.pk)
            seconds, queries = timed(lambda fresh=fresh: dashboard_compute(user=fresh))
            print(f"figures, {label}: {seconds * 1000:.0f} ms, {queries} queries")
            if args.queries:
                with CaptureQueriesContext(connection) as captured:
                    dashboard_compute(user=user)
                for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:8]:
                    print(f"  {float(query['time']) * 1000:6.0f} ms  {query['sql'][:300]}")
        from django.core.cache import cache

        cache.clear()
        settings.DASHBOARD_CACHE_SECONDS = 60
        client = Client()
        client.force_login(moderator)
        client.get("/admin/dashboard/")
        seconds, queries = timed(lambda: client.get("/admin/dashboard/"))
        print(f"dashboard page, cached figures: {seconds * 1000:.0f} ms, {queries} queries")

        def export() -> None:
            response = client.get("/admin/dashboard/testimonials.csv")
            export.lines = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1

        seconds, queries = timed(export, repeat=1)
        print(f"testimonials.csv, every clinic: {export.lines:,} rows in {seconds:.1f} s "
              f"({export.lines / seconds:,.0f} rows/s), {queries} queries")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
