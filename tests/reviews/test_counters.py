"""The feed counters are kept by database triggers, whatever writes the rows."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Avg, Count

from reviews.counters import FeedCriteria, feed_counters_rebuild, feed_stats
from reviews.models import FeedCounter, Tag, Testimonial
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def counted(**criteria) -> dict:
    return feed_stats(FeedCriteria(**criteria))


def truth(queryset) -> dict:
    """The same figures the slow way, straight from the testimonials."""
    received = queryset.exclude(status="withdrawn").aggregate(n=Count("id"), avg=Avg("rating"))
    published = queryset.filter(status="approved").aggregate(n=Count("id"), avg=Avg("rating"))
    return {"received_count": received["n"], "published_count": published["n"],
            "average_rating": round(received["avg"], 2) if received["avg"] is not None else None,
            "published_average_rating": round(published["avg"], 2) if published["avg"] is not None else None}


@pytest.fixture
def mix():
    north, south = LocationFactory(slug="north"), LocationFactory(slug="south")
    ann = TherapistFactory(slug="ann", locations=[north])
    knee = Tag.objects.create(slug="knee-x", name="Knee")
    hip = Tag.objects.create(slug="hip-x", name="Hip")
    base = datetime(2026, 3, 10, 12, tzinfo=UTC)
    rows = []
    for i in range(30):
        status = ("approved", "approved", "in_review", "rejected", "withdrawn", "pending")[i % 6]
        row = TestimonialFactory(location=(north, south)[i % 2], therapist=ann if i % 3 == 0 else None,
                                 rating=1 + i % 5, status=status,
                                 published_at=base + timedelta(days=4 * i) if status == "approved" else None)
        row.tags.set([knee, hip][: i % 3])
        rows.append(row)
    return {"north": north, "south": south, "ann": ann, "knee": knee, "hip": hip, "base": base}


def test_the_counts_per_filter_match_a_count_of_the_rows(mix):
    all_rows = Testimonial.objects.all()
    assert counted() == truth(all_rows)
    assert counted(location_ids=(mix["north"].pk,)) == truth(all_rows.filter(location=mix["north"]))
    assert counted(therapist_ids=(mix["ann"].pk,), min_rating=3) == truth(
        all_rows.filter(therapist=mix["ann"], rating__gte=3))
    assert counted(tag_id=mix["hip"].pk, location_ids=(mix["south"].pk, mix["north"].pk)) == truth(
        all_rows.filter(tags=mix["hip"]))


def test_published_after_narrows_the_published_figures_to_the_second(mix):
    # given a moment in the middle of a month (whole later months come from the counters, the rest
    # of that month from the rows)
    since = mix["base"] + timedelta(days=30, hours=1)
    stats = counted(published_after=since, min_rating=2)
    expected = truth(Testimonial.objects.filter(rating__gte=2, published_at__gt=since))
    assert stats["published_count"] == expected["published_count"] > 0
    assert stats["published_average_rating"] == expected["published_average_rating"]
    # received figures are of every testimonial received (not published ones have no date)
    assert stats["received_count"] == truth(Testimonial.objects.filter(rating__gte=2))["received_count"]


def test_every_kind_of_write_keeps_the_counters_right(mix):
    # a bulk update behind the state machine's back, a deleted row, a tag removed, a rating corrected
    Testimonial.objects.filter(status="in_review").update(status="approved", published_at=mix["base"])
    Testimonial.objects.filter(status="pending").first().delete()
    Testimonial.objects.filter(tags=mix["knee"]).first().tags.remove(mix["knee"])
    moved = Testimonial.objects.filter(status="approved").first()
    moved.rating, moved.location = 1, mix["south"]
    moved.save()
    Testimonial.objects.filter(status="approved").last().delete()
    assert counted() == truth(Testimonial.objects.all())
    assert counted(tag_id=mix["knee"].pk) == truth(Testimonial.objects.filter(tags=mix["knee"]))
    assert counted(location_ids=(mix["south"].pk,)) == truth(Testimonial.objects.filter(location=mix["south"]))


def test_a_rebuild_gives_the_same_cells_as_the_triggers(mix):
    before = sorted(FeedCounter.objects.filter(n__gt=0).values_list(
        "tag_id", "location_id", "therapist_id", "rating", "published", "month", "n"))
    feed_counters_rebuild()
    after = sorted(FeedCounter.objects.values_list(
        "tag_id", "location_id", "therapist_id", "rating", "published", "month", "n"))
    assert after == before and len(after) > 10


def test_triggers_lost_in_a_table_rebuild_are_put_back_and_the_counts_redone(mix):
    from django.db import connection

    from reviews.counters import feed_counter_triggers_ensure

    # given a migration that rebuilt the table and so dropped a trigger (SQLite does that), and a
    # write made while it was missing
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER reviews_feedcounter_upd" + (" ON reviews_testimonial"
                                                                   if connection.vendor == "postgresql" else ""))
    Testimonial.objects.filter(status="in_review").update(status="approved", published_at=mix["base"])
    assert counted() != truth(Testimonial.objects.all())
    # when migrate's post_migrate hook runs
    assert feed_counter_triggers_ensure() is True
    # then the counts are right again, and stay right
    assert counted() == truth(Testimonial.objects.all())
    Testimonial.objects.filter(status="rejected").update(status="in_review")
    assert counted() == truth(Testimonial.objects.all())
    assert feed_counter_triggers_ensure() is False
