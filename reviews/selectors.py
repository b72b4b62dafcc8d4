"""Reads shared by the API, the admin and the tasks."""
from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from .models import Location, Testimonial, Therapist


def published_q(prefix: str = "") -> Q:
    """Approved, with an authorization that has not expired (withdrawn ones are never approved)."""
    return Q(**{f"{prefix}status": Testimonial.Status.APPROVED, f"{prefix}consent_expires_at__gt": timezone.now()})


def testimonial_list_published() -> QuerySet[Testimonial]:
    """The public feed: newest published first, with what a page needs in a constant number of queries."""
    return (
        Testimonial.objects.filter(published_q())
        .select_related("location", "therapist")
        .prefetch_related("tags")
        .order_by("-published_at", "-id")
    )


def location_list_with_stats() -> QuerySet[Location]:
    """Active clinics with their published count and average rating."""
    published = published_q("testimonials__")
    return Location.objects.filter(is_active=True).annotate(
        published_count=Count("testimonials", filter=published),
        average_rating=Avg("testimonials__rating", filter=published),
    ).order_by("name")


def therapist_list_with_stats() -> QuerySet[Therapist]:
    """Active therapists with their published count and average rating."""
    published = published_q("testimonials__")
    return (
        Therapist.objects.filter(is_active=True)
        .annotate(
            published_count=Count("testimonials", filter=published, distinct=True),
            average_rating=Avg("testimonials__rating", filter=published),
        )
        .prefetch_related("locations")
        .order_by("first_name", "last_name")
    )


def feed_counts() -> dict[str, int]:
    """How many testimonials were received (not withdrawn) and how many are published: an honest feed."""
    received = Testimonial.objects.exclude(status=Testimonial.Status.WITHDRAWN).count()
    return {"received_count": received, "published_count": Testimonial.objects.filter(published_q()).count()}
