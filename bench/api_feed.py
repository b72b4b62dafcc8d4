#!/usr/bin/env python
"""Requests per second of the public feed, uncached vs cached, in one process on a throwaway database.

Uses DATABASE_URL / REDIS_URL when set (PostgreSQL, Redis), else SQLite and a local-memory cache.
    python bench/api_feed.py [--rows 2000] [--requests 300]
"""
from __future__ import annotations

import argparse
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
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from practice import clinics_create  # noqa: E402


def seed(rows: int) -> None:
    from reviews.consent import consent_expiry
    from reviews.models import Tag, Testimonial

    locations, therapists = clinics_create()
    knee = Tag.objects.get_or_create(slug="knee", defaults={"name": "Knee"})[0]
    now = timezone.now()
    Testimonial.objects.bulk_create(
        Testimonial(location=locations[i % 23], therapist=therapists[i % 46], rating=1 + i % 5,
                    body=f"My knee is much better after therapy, visit {i}. " * 3, first_name="Pat", last_name="Doe",
                    email=f"p{i}@example.com", consent_text="x", consent_version=1, consented_at=now,
                    consent_expires_at=consent_expiry(given_at=now), submission_key=f"k{i}",
                    status="approved", published_at=now)
        for i in range(rows))
    Testimonial.tags.through.objects.bulk_create(
        Testimonial.tags.through(testimonial_id=pk, tag_id=knee.pk)
        for pk in Testimonial.objects.values_list("pk", flat=True)[: rows // 2])


def rate(client: Client, paths: list[str], requests: int) -> float:
    for path in paths:  # warm up (and fill the cache when it is on)
        assert client.get(path).status_code == 200
    started = time.perf_counter()
    for n in range(requests):
        client.get(paths[n % len(paths)])
    return requests / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    setup_test_environment()
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        seed(args.rows)
        from django.core.cache import cache

        cache.clear()
        client = Client()
        paths = ["/api/v1/testimonials/", "/api/v1/testimonials/?location=town-3", "/api/v1/testimonials/?tag=knee",
                 "/api/v1/testimonials/?min_rating=4&page_size=50", "/api/v1/locations/"]
        settings.FEED_CACHE_SECONDS = 0
        uncached = rate(client, paths, args.requests)
        settings.FEED_CACHE_SECONDS = 300
        cached = rate(client, paths, args.requests)
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(f"database {connection.vendor}, cache {backend}, {args.rows} published testimonials, "
              f"{args.requests} requests over {len(paths)} feed URLs")
        print(f"  uncached: {uncached:8.1f} requests/s")
        print(f"  cached:   {cached:8.1f} requests/s")
        print(f"  ratio cached/uncached: {cached / uncached:.1f}x")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
